package dev.tokenbench.cli;

import dev.tokenbench.publish.Publisher;
import dev.tokenbench.serve.ServeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "publish", description = {"Sends a finished run directory to a central tokenbench service's import "
        + "endpoint, e.g. after `run --publish` could not reach it.",
        "Token: TOKENBENCH_API_TOKEN. Probe name and region: tokenbench.probe.name / .region "
                + "(TOKENBENCH_PROBE_NAME, TOKENBENCH_PROBE_REGION)."})
public class PublishCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The run directory (holds run.json).")
    Path dir;

    @Option(names = "--to", paramLabel = "URL", description = "The central service's API URL, e.g. "
            + "https://central.example/api (default: tokenbench.publish.url).")
    URI to;

    private final ServeConfig config;

    public PublishCommand(ServeConfig config) {
        this.config = config;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        URI url = to != null ? to : config.publish().url().orElse(null);
        if (url == null) {
            err.println("tokenbench: where to? give --to URL (the central service's API URL, e.g. "
                    + "https://central.example/api) or set tokenbench.publish.url");
            return ExitCodes.BAD_INPUT;
        }
        return publish(url, dir, config.probe().name(), config, spec.commandLine().getOut(), err);
    }

    /** Shared with {@code run --publish}: 0 when stored by the central service, else 3 with why on err. */
    static int publish(URI url, Path dir, String probe, ServeConfig config, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        try {
            String id = new Publisher(url, config.apiToken().orElse(null)).publish(dir, probe,
                    config.probe().region().orElse(""));
            out.printf("published %s to %s as %s%n", dir, url, id);
            out.flush();
            return ExitCodes.OK;
        } catch (IOException e) {
            err.println("tokenbench: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (Publisher.PublishException e) {
            err.printf("tokenbench: %s; the run stays in %s: ./tokenbench publish %s --to %s sends it later%n",
                    e.getMessage(), dir, dir, url);
            return ExitCodes.RUN_FAILED;
        }
    }
}
