package dev.tokenbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.config.ConfigException;
import dev.tokenbench.core.Json;
import dev.tokenbench.config.Durations;
import dev.tokenbench.config.MetricsSpec;
import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.SecretValues;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.load.FailFast;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.metrics.MetricsPublisher;
import dev.tokenbench.output.FinishedRun;
import dev.tokenbench.output.HistoryOutput;
import dev.tokenbench.output.MetricsOutput;
import dev.tokenbench.output.Outputs;
import dev.tokenbench.output.PublishOutput;
import dev.tokenbench.output.PublishOutput.Destination;
import dev.tokenbench.output.Retention;
import dev.tokenbench.output.RunOutput;
import dev.tokenbench.output.TerminalSummary;
import dev.tokenbench.output.ToolVersion;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.publish.ClockCheck;
import dev.tokenbench.run.RunEngine;
import dev.tokenbench.run.RunIds;
import dev.tokenbench.run.RunJson;
import dev.tokenbench.run.RunObserver;
import dev.tokenbench.run.RunResult;
import dev.tokenbench.run.Sharding;
import dev.tokenbench.run.WriteFailure;
import dev.tokenbench.serve.ServeConfig;
import dev.tokenbench.store.HistoryStores;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Runs a benchmark file; with no FILE, the bundled demo against the built-in "
        + "simulator (no keys, no servers).", "Writes requests.jsonl (as requests finish), run.json, report.md and "
        + "report.html to the run directory."})
public class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "The benchmark file (YAML).")
    Path file;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: runs/<run id>: <timestamp>-<name>-<random suffix>).")
    Path out;

    @Option(names = "--fail-on-slo", description = "Exit 1 when a target's SLO goodput is under --min-goodput.")
    boolean failOnSlo;

    @Option(names = "--min-goodput", paramLabel = "SHARE", defaultValue = "0.95",
            description = "Share of requests that must meet the SLO, for --fail-on-slo (default: ${DEFAULT-VALUE}).")
    double minGoodput;

    @Option(names = {"-q", "--quiet"}, description = "No live progress, only the final table.")
    boolean quiet;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "10s",
            description = "On SIGTERM or Ctrl-C: how long requests in flight may finish before they are "
                    + "cancelled (default: ${DEFAULT-VALUE}). The run then ends 'interrupted', exit 143 or 130.")
    String grace;

    @Option(names = "--fsync-every", paramLabel = "N", defaultValue = "0", description = {"Force requests.jsonl "
            + "to the disk (fsync) after every N records, so that a power loss or a lost machine loses at most the "
            + "last N - 1 (default: ${DEFAULT-VALUE}, only at the end of the run and on SIGTERM; a crash of the "
            + "process loses nothing either way). Each fsync waits for the disk on the record writer's thread."})
    int fsyncEvery;

    @Option(names = "--drop-lagged", paramLabel = "MS", defaultValue = "0", description = {"Leave requests "
            + "measured while the client's own event loop lagged more than MS milliseconds out of the summaries "
            + "(default: ${DEFAULT-VALUE}: the file's load.drop-lagged, else keep every request; given, it wins over "
            + "the file). They stay in requests.jsonl, marked left_out: client_lag; run.json's client block says "
            + "which threshold applied, and it and the reports say how many."})
    double dropLaggedMs;

    @Option(names = "--push-gateway", paramLabel = "URL", description = {"Push the run's metrics to this Prometheus "
            + "Pushgateway at the end (overrides the file's push-gateway), grouped by job, probe and benchmark.",
            "A failed push is reported and changes neither the run's files nor its exit code."})
    String pushGateway;

    @Option(names = "--probe", paramLabel = "NAME", description = "Where this runs: the metrics' probe label and the "
            + "probe the run is stored and published as (default: $TOKENBENCH_PROBE, else the file's probe, else "
            + "the setting tokenbench.probe.name, else local).")
    String probe;

    @Option(names = "--publish", paramLabel = "URL", description = "Also send the finished run to a central "
            + "service's API (e.g. https://central.example/api; token: TOKENBENCH_API_TOKEN). If that fails the run "
            + "stays on disk and `publish DIR` sends it later.")
    URI publish;

    @Option(names = "--no-history", description = "Do not store the run in the history store (by default every "
            + "finished run is: embedded under tokenbench.store.data-dir, ./data, or PostgreSQL).")
    boolean noHistory;

    @Option(names = "--self-warm", paramLabel = "DURATION", defaultValue = RunEngine.DEFAULT_SELF_WARM,
            description = {"Before the first measured request, warm tokenbench's own client (HTTP, TLS, framers, "
            + "decoders, records) for every API of the file against a throwaway built-in simulator, for at most this "
            + "long (default: ${DEFAULT-VALUE}; it ends sooner once the JIT is done). Otherwise a fresh process reads "
            + "the first request of each target 20-30 ms slow. Nothing of it is recorded; plan.json says how long it "
            + "took."})
    String selfWarm;

    @Option(names = "--no-self-warm", description = "Skip the self-warm (see --self-warm).")
    boolean noSelfWarm;

    @Option(names = "--force", description = "With --out DIR that already holds a run (run.json or "
            + "requests.jsonl): remove that run's files first and write this one there (without it: refused, exit 2).")
    boolean force;

    @Option(names = "--json", description = {"Print the run's summary (run.json without its histograms, plus "
            + "run_dir, exit_code and stopped_early) on stdout as one JSON document, and nothing else: the table, "
            + "the progress and every other line go to stderr."})
    boolean json;

    @Option(names = "--fail-fast", paramLabel = "N", defaultValue = "" + FailFast.DEFAULT_FIRST_REQUESTS,
            description = {"Stop a target that gets HTTP 401, 403 or 404 for each of its first N requests (warm-ups "
                    + "included): a wrong key, model or URL, which more requests cannot change (default: "
                    + "${DEFAULT-VALUE}; 0: never). The run then says why and exits 3."})
    int failFast;
    @Mixin
    ShardOptions sharding = new ShardOptions();

    private final Vertx vertx;
    private final ServeConfig config;
    private final HistoryStores stores;

    @Inject
    public RunCommand(Vertx vertx, ServeConfig config, HistoryStores stores) {
        this.vertx = vertx;
        this.config = config;
        this.stores = stores;
    }

    /** Outside the application (tests driving picocli directly): no history store, no publishing settings. */
    public RunCommand(Vertx vertx) {
        this(vertx, null, null);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        // Under --json stdout carries the one JSON document: what people read goes to stderr.
        PrintWriter stdout = json ? err : spec.commandLine().getOut();
        if (minGoodput < 0 || minGoodput > 1) {
            err.println("tokenbench: --min-goodput must be a share between 0 and 1, e.g. 0.95");
            return ExitCodes.BAD_INPUT;
        }
        Duration graceDuration;
        try {
            graceDuration = Durations.parse(grace);
        } catch (IllegalArgumentException e) {
            err.println("tokenbench: --grace must be a duration like 500ms, 10s or 1m, found '" + grace + "'");
            return ExitCodes.BAD_INPUT;
        }
        if (fsyncEvery < 0) {
            err.println("tokenbench: --fsync-every must be 0 (fsync at the end of the run only) or a number of "
                    + "records such as 100, found " + fsyncEvery);
            return ExitCodes.BAD_INPUT;
        }
        if (!(dropLaggedMs >= 0) || Double.isInfinite(dropLaggedMs)) {
            err.println("tokenbench: --drop-lagged must be 0 (keep every request) or a number of milliseconds "
                    + "such as 50, found " + dropLaggedMs);
            return ExitCodes.BAD_INPUT;
        }
        if (failFast < 0) {
            err.println("tokenbench: --fail-fast must be 0 (never stop a target early) or a number of requests "
                    + "such as 5, found " + failFast);
            return ExitCodes.BAD_INPUT;
        }
        Duration selfWarmLimit;
        try {
            selfWarmLimit = noSelfWarm ? Duration.ZERO : Durations.parse(selfWarm);
        } catch (IllegalArgumentException e) {
            err.println("tokenbench: --self-warm must be a duration like 2s or 500ms (0s or --no-self-warm: none), "
                    + "found '" + selfWarm + "'");
            return ExitCodes.BAD_INPUT;
        }
        ProviderRegistry providers = ProviderRegistry.defaults();
        RunPlan plan;
        try {
            plan = PlanLoading.load(file, providers);
        } catch (ConfigException e) {
            return PlanLoading.reportErrors(e, err);
        }
        ShardOptions.Resolved shard;
        try {
            shard = sharding.resolve(plan, System::getenv, Instant.now());
        } catch (IllegalArgumentException e) {
            err.println("tokenbench: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        MetricsPublisher metrics = null;
        String gateway = pushGateway != null ? pushGateway.strip() : plan.metrics().pushGateway();
        // One probe name for the run's metrics, its history and its publishing.
        String probeName = MetricsPublisher.probe(probe, System::getenv, plan.metrics(),
                config != null ? config.probe().name() : MetricsSpec.DEFAULT_PROBE);
        String probeProblem = MetricsSpec.probeProblem(probeName);
        if (probeProblem != null) {
            err.println("tokenbench: " + (probe != null ? "--probe: " : System.getenv(MetricsPublisher.PROBE_ENV)
                    != null ? MetricsPublisher.PROBE_ENV + ": " : "") + probeProblem);
            return ExitCodes.BAD_INPUT;
        }
        if (gateway != null) {
            String problem = MetricsSpec.pushGatewayProblem(gateway);
            if (problem != null) {
                err.println("tokenbench: --push-gateway: " + problem);
                return ExitCodes.BAD_INPUT;
            }
            metrics = MetricsPublisher.pushingTo(gateway, probeName);
        }
        String runId = RunIds.mint(plan.name()) + shard.shard().runIdSuffix();
        Path runDir = out != null ? out : Path.of("runs", runId);
        Integer refused = prepareRunDirectory(runDir, err);
        if (refused != null) {
            return refused;
        }
        stdout.printf("tokenbench %s: %s — %s (%s, concurrency %d, warm-up %d)%n", ToolVersion.current(),
                plan.name(), LiveProgress.header(plan), LoadSpec.TRACE.equals(plan.load().mode()) ? "trace replay"
                        : plan.load().mode() + " loop", plan.load().concurrency(), plan.load().warmup());
        for (TargetSpec target : plan.targets()) {
            if (target.tls().insecureSkipVerify()) {
                err.println("tokenbench: WARNING: target " + target.name() + " has insecure-skip-verify: true: its "
                        + "server's certificate and host name are NOT verified, so anyone on the path can answer for "
                        + "it and read its prompts and credentials (recorded in run.json)");
            }
        }
        err.flush();
        stdout.flush();

        FatalErrors.installOn(vertx);
        RunEngine engine = new RunEngine(vertx, providers).fsyncEvery(fsyncEvery).dropLaggedMs(dropLaggedMs)
                .selfWarm(selfWarmLimit).failFastAfter(failFast)
                .shard(shard.shard(), clockOffset(shard)).startAt(shard.startAt());
        Outputs outputs = outputs(metrics, probeName, stdout, err);
        RunResult result;
        Map<String, String> stoppedEarly;
        FinishedRun finished;
        int interruptedExitCode;
        try {
            RunEngine.Handle handle = engine.start(plan, runId, runDir, ToolVersion.current(),
                    metrics == null ? RunObserver.NONE : metrics.metrics());
            LiveProgress progress = quiet ? null
                    : new LiveProgress(plan, handle, stdout, err, System.console() != null);
            try (GracefulStop gracefulStop = new GracefulStop(handle, graceDuration,
                    progress != null ? progress::notice : notice -> notify(err, notice))) {
                try {
                    if (progress != null) {
                        progress.start();
                    }
                    result = handle.await();
                } finally {
                    if (progress != null) {
                        progress.stop();
                    }
                }
                stoppedEarly = handle.stoppedEarly();
                finished = outputs.writeFiles(result, ToolVersion.current());
                interruptedExitCode = gracefulStop.exitCodeIfInterrupted();
            }
        } catch (WriteFailure e) {
            // The engine stopped the run when the file failed; every line already in requests.jsonl is whole.
            stdout.flush();
            err.println("tokenbench: " + e.getMessage() + "; the run was stopped (exit 3)");
            return ExitCodes.RUN_FAILED;
        }
        // Outside the signal handling: Ctrl-C during a push or a publish ends the process, as it always did.
        outputs.deliver(finished);
        int exitCode = exitCode(result, interruptedExitCode, stoppedEarly, err);
        if (json) {
            printJson(result, runDir, exitCode, stoppedEarly);
        }
        return exitCode;
    }

    /** The exit code of a finished run, saying on stderr why it is not 0. */
    private int exitCode(RunResult result, int interruptedExitCode, Map<String, String> stoppedEarly,
            PrintWriter err) {
        SecretValues secrets = result.plan().secrets();
        boolean runFailed = RunResult.FAILED.equals(result.status());
        if (interruptedExitCode != 0) {
            err.printf("tokenbench: the run was interrupted: requests.jsonl holds every request that finished, "
                    + "those cut short are 'cancelled'; run.json has status interrupted%n");
            return interruptedExitCode;
        }
        stoppedEarly.forEach((target, why) -> err.println("tokenbench: target " + target + " stopped sending: "
                + secrets.scrub(why) + " (--fail-fast 0 never stops a target)"));
        if (runFailed) {
            err.println("tokenbench: " + secrets.scrub(TerminalSummary.failureSummary(result)) + " (exit code 3; "
                    + "see run.json failures and requests.jsonl)");
            return ExitCodes.RUN_FAILED;
        }
        if (!stoppedEarly.isEmpty()) {
            err.println("tokenbench: the run failed: " + stoppedEarly.size() + (stoppedEarly.size() == 1
                    ? " target" : " targets") + " stopped early, see above (exit code 3)");
            return ExitCodes.RUN_FAILED;
        }
        if (failOnSlo) {
            for (TargetSummary s : result.targets()) {
                if (!(s.goodput() >= minGoodput)) {
                    err.printf("tokenbench: SLO breached: %s goodput %.1f%% < %.1f%%%n", s.target(),
                            100 * s.goodput(), 100 * minGoodput);
                    return ExitCodes.SLO_BREACHED;
                }
            }
        }
        return ExitCodes.OK;
    }

    /** A shard that publishes measures its clock against the central service, before its self-warm. */
    private Sharding.ClockOffset clockOffset(ShardOptions.Resolved shard) {
        if (publish == null || config == null || !shard.shard().sharded()) {
            return Sharding.ClockOffset.UNKNOWN;
        }
        return ClockCheck.against(publish, config.apiToken().orElse(null));
    }

    /**
     * After run.json and the reports: the table, the Pushgateway, the history store (accumulating with no set-up)
     * and a central service, each as asked.
     */
    private Outputs outputs(MetricsPublisher metrics, String probeName, PrintWriter stdout, PrintWriter err) {
        List<RunOutput> after = new ArrayList<>();
        after.add(new TerminalSummary(stdout));
        if (metrics != null) {
            after.add(MetricsOutput.pushGateway(metrics, probeName, stdout, err));
        }
        String region = config != null ? config.probe().region().orElse("") : "";
        if (!noHistory && stores != null) {
            after.add(new HistoryOutput(stores, probeName, region, Retention.NONE, err));
        }
        if (publish != null && config != null) {
            // A failed publish is said on stderr; the run's own exit code stands (the run itself is fine).
            after.add(PublishOutput.toTerminal(new Destination(publish, config.apiToken().orElse(null), probeName,
                    region), stdout, err));
        }
        return new Outputs(after);
    }

    /**
     * Refuses an --out that holds a run (exit 2), or, with --force, clears that run's files; null when the run can
     * go ahead.
     */
    private Integer prepareRunDirectory(Path runDir, PrintWriter err) {
        if (Files.exists(runDir) && !Files.isDirectory(runDir)) {
            err.println("tokenbench: --out " + runDir + " is a file, not a directory; choose another --out");
            return ExitCodes.BAD_INPUT;
        }
        String refusal = RunDirectory.refusal(runDir);
        if (refusal == null) {
            return null;
        }
        if (!force) {
            err.println("tokenbench: " + refusal);
            return ExitCodes.BAD_INPUT;
        }
        try {
            RunDirectory.clear(runDir);
        } catch (IOException e) {
            err.println("tokenbench: --force: cannot remove the old run's files in " + runDir + ": " + e.getMessage());
            return ExitCodes.RUN_FAILED;
        }
        return null;
    }

    /** --json: the run's summary, the one thing on stdout. */
    private void printJson(RunResult result, Path runDir, int exitCode, Map<String, String> stoppedEarly) {
        ObjectNode summary = RunJson.toJson(result, ToolVersion.current());
        for (JsonNode target : summary.path("targets")) {
            ((ObjectNode) target).remove("histograms");
        }
        summary.put("run_dir", runDir.toString());
        summary.put("exit_code", exitCode);
        ObjectNode stopped = summary.putObject("stopped_early");
        stoppedEarly.forEach((target, why) -> stopped.put(target, result.plan().secrets().scrub(why)));
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(summary.toString());
        stdout.flush();
    }

    private static void notify(PrintWriter err, String notice) {
        err.println();
        err.println(notice);
        err.flush();
    }
}
