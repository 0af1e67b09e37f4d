package dev.tokenbench.metrics;

import dev.tokenbench.config.MetricsSpec;
import dev.tokenbench.run.RunResult;
import dev.tokenbench.run.Sharding;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The CLI's metrics: a registry of the run's own (no JVM or process meters), recorded into during the run and
 * pushed to the Pushgateway once the run's files are written.
 */
public final class MetricsPublisher {
    public static final String PROBE_ENV = "TOKENBENCH_PROBE";

    private final TokenbenchMetrics metrics;
    private final PrometheusMeterRegistry registry;
    private final String pushGateway;

    /** The label (a Pushgateway grouping key) that keeps a sharded run's shards apart. */
    public static final String SHARD_LABEL = "shard";

    private MetricsPublisher(String pushGateway, String probe) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.metrics = new TokenbenchMetrics(registry, probe);
        this.pushGateway = pushGateway;
    }

    /**
     * The probe name: the command line's, else TOKENBENCH_PROBE, else the benchmark file's, else
     * {@link MetricsSpec#DEFAULT_PROBE}. A name that is not a valid probe is returned as is, for the caller to check
     * with {@link MetricsSpec#probeProblem}.
     */
    public static String probe(String option, Function<String, String> env, MetricsSpec file) {
        return probe(option, env, file, MetricsSpec.DEFAULT_PROBE);
    }

    /** As {@link #probe(String, Function, MetricsSpec)}, with the last default given (the settings' probe name). */
    public static String probe(String option, Function<String, String> env, MetricsSpec file, String fallback) {
        if (option != null) {
            return option.strip();
        }
        String fromEnv = env.apply(PROBE_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        return file.probe() != null ? file.probe() : fallback;
    }

    /** A publisher that pushes to {@code pushGateway} (validated), labelling the run's series with {@code probe}. */
    public static MetricsPublisher pushingTo(String pushGateway, String probe) {
        return new MetricsPublisher(pushGateway, probe);
    }

    public TokenbenchMetrics metrics() {
        return metrics;
    }

    /** The registry's text exposition, as pushed (before accumulation). */
    public String scrape() {
        return registry.scrape();
    }

    /**
     * Records the run's end and pushes. Never throws: a failed push is reported on {@code err} and the run's exit
     * code stays what the run earned.
     *
     * @return true when the push went through
     */
    public boolean finishAndPush(RunResult result, PrintWriter err) {
        metrics.runFinished(result);
        Map<String, String> grouping = new LinkedHashMap<>();
        grouping.put("probe", metrics.probe());
        grouping.put("benchmark", result.plan().name());
        Sharding sharding = result.sharding();
        if (sharding != null && sharding.count() > 1 && sharding.shards().size() == 1) {
            // One group per shard: the shards' pushes do not overwrite each other, and sum by (shard) adds them up.
            grouping.put(SHARD_LABEL, String.valueOf(sharding.shards().get(0).index()));
        }
        PushGateway gateway = new PushGateway(pushGateway);
        try {
            gateway.push(PushGateway.DEFAULT_JOB, grouping, registry.scrape());
            return true;
        } catch (IOException | RuntimeException e) {
            err.printf("tokenbench: pushing metrics to %s failed (%s); the run's files are written and its exit "
                    + "code stands%n", gateway.where(), describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.printf("tokenbench: pushing metrics to %s was interrupted%n", gateway.where());
        }
        err.flush();
        return false;
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        if (e instanceof ConnectException || message == null || message.isBlank()) {
            return "cannot connect: " + e.getClass().getSimpleName();
        }
        return message;
    }
}
