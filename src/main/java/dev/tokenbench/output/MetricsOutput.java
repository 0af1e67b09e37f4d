package dev.tokenbench.output;

import dev.tokenbench.metrics.MetricsPublisher;
import dev.tokenbench.metrics.TokenbenchMetrics;

import java.io.PrintWriter;

/** The run's end in the metrics: the service's registry, or the CLI's pushed to a Pushgateway. */
public final class MetricsOutput {
    private MetricsOutput() {
    }

    /** The service's: the application's registry, which {@code /q/metrics} shows. */
    public static RunOutput registry(TokenbenchMetrics metrics) {
        return run -> metrics.runFinished(run.result());
    }

    /** The CLI's: the run's own registry, pushed; a failed push is said on err and the exit code stands. */
    public static RunOutput pushGateway(MetricsPublisher metrics, String probe, PrintWriter out, PrintWriter err) {
        return run -> {
            if (metrics.finishAndPush(run.result(), err)) {
                out.printf("metrics pushed to the Pushgateway (probe %s)%n", probe);
                out.flush();
            }
        };
    }
}
