package dev.tokenbench.cli;

import dev.tokenbench.config.ConfigException;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.sim.SimConfig;
import dev.tokenbench.sim.Simulator;
import io.quarkus.runtime.Quarkus;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "sim", description = {"Serves the built-in simulated provider until stopped (Ctrl-C).",
        "Scenarios come from a benchmark file's simulator block (default: the bundled demo's); it speaks every "
                + "supported API, and a target reaches scenario S at http://HOST:PORT/S/<the API's own path>."})
public class SimCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8000", description = "Port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--config", paramLabel = "FILE", description = "A benchmark file whose simulator block to serve.")
    Path config;

    @Option(names = "--log", paramLabel = "FILE",
            description = "Append one JSON line per finished request: when each event was written (the truth "
                    + "that accuracy benchmarks compare against).")
    Path log;

    private final Vertx vertx;

    public SimCommand(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        RunPlan plan;
        try {
            plan = PlanLoading.load(config, ProviderRegistry.defaults());
        } catch (ConfigException e) {
            return PlanLoading.reportErrors(e, spec.commandLine().getErr());
        }
        SimConfig simConfig = plan.simulator();
        if (simConfig == null) {
            spec.commandLine().getErr().println("tokenbench: " + plan.sourceFile()
                    + " has no simulator block and no sim:// target; add simulator: {scenarios: {…}}");
            return ExitCodes.BAD_INPUT;
        }
        Simulator simulator = Simulator.start(vertx, simConfig, host, port).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        if (log != null) {
            simulator.log().startJsonl(log);
        }
        out.printf("simulator listening on http://%s:%d%n", host, simulator.port());
        for (String scenario : simConfig.scenarios().keySet()) {
            out.printf("  %-20s base-url http://%s:%d/%s (then the API's own path: /v1 for OpenAI-style bases)%n",
                    scenario, host, simulator.port(), scenario);
        }
        out.flush();
        Quarkus.waitForExit();
        simulator.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return ExitCodes.OK;
    }
}
