package dev.tokenbench.cli;

import dev.tokenbench.output.ToolVersion;
import dev.tokenbench.serve.ServeConfig;
import dev.tokenbench.serve.ServiceLifecycle;
import io.quarkus.runtime.Quarkus;
import org.eclipse.microprofile.config.ConfigProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = ServeCommand.NAME, mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Runs the service: REST API (/api/runs, /api/history), cron "
        + "schedules, the dashboard page (/), health (/q/health), OpenAPI (/q/openapi); runs stored in history.",
        "Settings: tokenbench.* in application.yaml (or config/application.yaml in the working directory) or the "
                + "environment (TOKENBENCH_API_TOKEN, …)."})
public class ServeCommand implements Callable<Integer> {
    static final String NAME = "serve";

    @Spec
    CommandSpec spec;

    // Applied before Quarkus starts (TokenbenchMain); declared here for --help and validation.
    @Option(names = "--port", paramLabel = "N", description = "HTTP port (default: tokenbench.serve.port, 8080).")
    Integer port;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to listen on (default: "
            + "tokenbench.serve.host, 127.0.0.1: this machine only); 0.0.0.0 opens it to every interface.")
    String host;

    private final ServeConfig config;
    private final ServiceLifecycle lifecycle;

    public ServeCommand(ServeConfig config, ServiceLifecycle lifecycle) {
        this.config = config;
        this.lifecycle = lifecycle;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!Boolean.getBoolean("tokenbench.serve.enabled")) {
            spec.commandLine().getErr().println("tokenbench: serve must be the first argument (./tokenbench serve "
                    + "[--port N]): the HTTP server is switched on before the application starts");
            return ExitCodes.BAD_INPUT;
        }
        lifecycle.start();
        out.printf("tokenbench %s serving on %s port %d: dashboard /, API /api/runs, health /q/health%n",
                ToolVersion.current(), ConfigProvider.getConfig().getOptionalValue("quarkus.http.host", String.class)
                        .orElse(config.serve().host()),
                port != null ? port : config.serve().port());
        out.flush();
        Quarkus.waitForExit();
        return ExitCodes.OK;
    }
}
