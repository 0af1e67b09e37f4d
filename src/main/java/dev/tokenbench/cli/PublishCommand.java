package dev.tokenbench.cli;

import dev.tokenbench.output.PublishOutput;
import dev.tokenbench.output.PublishOutput.Destination;
import dev.tokenbench.serve.ServeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "publish", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Sends a finished run directory to a central tokenbench service's import "
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
        Destination destination = new Destination(url, config.apiToken().orElse(null), config.probe().name(),
                config.probe().region().orElse(""));
        return switch (PublishOutput.publishDirectory(destination, dir, spec.commandLine().getOut(), err)) {
            case PUBLISHED -> ExitCodes.OK;
            case NOT_A_RUN -> ExitCodes.BAD_INPUT;
            case FAILED -> ExitCodes.RUN_FAILED;
        };
    }
}
