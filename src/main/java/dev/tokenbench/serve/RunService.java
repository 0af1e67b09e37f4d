package dev.tokenbench.serve;

import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.ConfigException;
import dev.tokenbench.config.PostedPolicy;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.TargetAggregate;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.metrics.TokenbenchMetrics;
import dev.tokenbench.output.MetricsOutput;
import dev.tokenbench.output.Outputs;
import dev.tokenbench.output.PublishOutput;
import dev.tokenbench.output.PublishOutput.Destination;
import dev.tokenbench.output.Retention;
import dev.tokenbench.output.RunFiles;
import dev.tokenbench.output.RunOutput;
import dev.tokenbench.output.ServiceHistory;
import dev.tokenbench.output.ToolVersion;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.run.RunEngine;
import dev.tokenbench.run.RunIds;
import dev.tokenbench.run.RunRebuild;
import dev.tokenbench.run.RunResult;
import dev.tokenbench.store.HistoryStore;
import dev.tokenbench.store.HistoryStores;
import dev.tokenbench.store.RunInfo;
import dev.tokenbench.store.StoreException;
import dev.tokenbench.store.StoredRun;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The service's runs: one runs at a time (a benchmark measures latency; two at once would measure each other),
 * up to {@code tokenbench.serve.max-queued} wait behind it, one more is refused. Each run goes through the
 * CLI's own engine and writes the same run directory (under the data directory's runs/), then is stored in
 * history with this probe's name and region. Its figures go to the application's registry, which {@code /q/metrics}
 * shows, labelled with this probe's name; a target's meters are made on its first run and reused after.
 *
 * <p>When the service stops (SIGTERM), runs are not lost: the one running stops the way the CLI's does (no new
 * request, those in flight get tokenbench.serve.stop-grace to finish, the rest are recorded as cancelled) and is
 * stored with status {@code interrupted} and every request that finished; runs still queued are stored as
 * {@code interrupted} with no request, so {@code GET /api/runs/{id}} still knows them after a restart.
 */
@ApplicationScoped
public class RunService {
    private static final Logger LOG = Logger.getLogger(RunService.class);
    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    private static final long STORE_WAIT_SECONDS = 30;
    /** In a run's directory: the run is not in the history store yet. */
    public static final String NOT_IN_HISTORY = ServiceHistory.NOT_IN_HISTORY;

    /** A run the service knows of that is not (yet) in the store. */
    public record Tracked(String id, String name, String status, Instant queuedAt, String error) {
    }

    private final ServeConfig config;
    private final HistoryStores stores;
    private final Vertx vertx;
    private final TokenbenchMetrics metrics;
    private final ProviderRegistry providers = ProviderRegistry.defaults();
    private final ShardGroups shardGroups = new ShardGroups();
    private final Map<String, Tracked> inFlight = new ConcurrentHashMap<>();
    private final ServiceHistory history;
    private ThreadPoolExecutor executor;
    /** Set once the service stops: nothing more starts. */
    private volatile boolean stopping;
    /** The run under way, for the stop; guarded by this. */
    private RunEngine.Handle current;

    public RunService(ServeConfig config, HistoryStores stores, Vertx vertx, MeterRegistry registry) {
        if (config.serve().failFast() < 0) {
            throw new IllegalArgumentException("tokenbench.serve.fail-fast must be 0 (never stop a target early) or a "
                    + "number of requests such as 5, found " + config.serve().failFast());
        }
        if (config.serve().selfWarm().isNegative()) {
            throw new IllegalArgumentException("tokenbench.serve.self-warm must be 0s (no warm-up) or a duration such "
                    + "as 2s, found " + config.serve().selfWarm());
        }
        this.config = config;
        this.stores = stores;
        this.vertx = vertx;
        this.metrics = new TokenbenchMetrics(registry, config.probe().name());
        this.history = new ServiceHistory(stores, config.store().dataDir().resolve("runs"), config.probe().name(),
                config.probe().region().orElse(""), new Retention(config.retention().maxAge().orElse(null),
                        config.retention().maxRuns()));
    }

    private synchronized ThreadPoolExecutor executor() {
        if (executor == null) {
            executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(Math.max(1, config.serve().maxQueued())), r -> {
                        Thread t = new Thread(r, "tokenbench-service-run");
                        t.setDaemon(true);
                        return t;
                    });
        }
        return executor;
    }

    /**
     * Loads a benchmark sent in a request (YAML or JSON); every problem at once. It is untrusted: it may use only
     * what {@link #postedPolicy()} allows of this host.
     */
    public RunPlan load(String displayName, String text) throws ConfigException {
        return BenchmarkLoader.forPosted(postedPolicy(), providers).load(displayName, text, benchmarksDir());
    }

    /**
     * The service's rules for posted benchmarks: its named credentials (a credential whose file cannot be read is
     * left out, with a warning that names it), the benchmarks directory for prompt files, the allowed hosts.
     */
    PostedPolicy postedPolicy() {
        Map<String, PostedPolicy.NamedCredential> credentials = new TreeMap<>();
        config.serve().credentials().forEach((name, c) -> {
            String value = c.value().orElse(null);
            if (value == null && c.file().isPresent()) {
                try {
                    value = Files.readString(c.file().get(), StandardCharsets.UTF_8).strip();
                } catch (IOException | RuntimeException e) {
                    LOG.warnf("credential %s: its file %s cannot be read (%s); posted benchmarks cannot use it", name,
                            c.file().get(), e.getClass().getSimpleName());
                }
            }
            if (value != null && !value.isBlank()) {
                credentials.put(name, new PostedPolicy.NamedCredential(value, c.hosts().orElse(List.of())));
            }
        });
        return new PostedPolicy(credentials, benchmarksDir(), config.serve().allowedHosts().orElse(List.of()));
    }

    /** Loads a configured benchmark: benchmarks-dir/NAME.yaml, .yml or .json. Empty when there is none. */
    public Optional<RunPlan> loadConfigured(String name) throws ConfigException {
        Optional<Path> file = configuredFile(name);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(loader().load(file.get()));
    }

    public Optional<Path> configuredFile(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
            return Optional.empty();
        }
        for (String ext : List.of(".yaml", ".yml", ".json")) {
            Path file = benchmarksDir().resolve(name + ext);
            if (Files.isRegularFile(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    private Path benchmarksDir() {
        return config.serve().benchmarksDir().toAbsolutePath();
    }

    private BenchmarkLoader loader() {
        return new BenchmarkLoader(System::getenv, benchmarksDir(), providers);
    }

    /**
     * Queues a run of the plan.
     *
     * @return its id
     * @throws RejectedExecutionException when the queue is full
     */
    public String submit(RunPlan plan) {
        String id = RunIds.mint(plan.name());
        inFlight.put(id, new Tracked(id, plan.name(), QUEUED, Instant.now(), null));
        try {
            executor().execute(new QueuedRun(id, plan));
        } catch (RejectedExecutionException e) {
            inFlight.remove(id);
            throw e;
        }
        return id;
    }

    /** Whether a run of this benchmark is queued or running (a schedule skips its turn then). */
    public boolean busyWith(String benchmark) {
        return inFlight.values().stream().anyMatch(t -> t.name().equals(benchmark) && t.error() == null);
    }

    /** A run waiting in the queue: the stop finds its id and plan there. */
    private final class QueuedRun implements Runnable {
        private final String id;
        private final RunPlan plan;

        QueuedRun(String id, RunPlan plan) {
            this.id = id;
            this.plan = plan;
        }

        @Override
        public void run() {
            execute(id, plan);
        }
    }

    private void execute(String id, RunPlan plan) {
        if (stopping) {
            storeNeverStarted(id, plan);
            return;
        }
        inFlight.put(id, new Tracked(id, plan.name(), RUNNING, inFlight.get(id).queuedAt(), null));
        Path runDir = runDirectory(id);
        try {
            RunEngine.Handle handle = new RunEngine(vertx, providers).failFastAfter(config.serve().failFast())
                    .selfWarm(config.serve().selfWarm()).start(plan, id, runDir, ToolVersion.current(), metrics);
            synchronized (this) {
                current = handle;
                if (stopping) {
                    handle.stop();
                }
            }
            RunResult result;
            try {
                result = handle.await();
            } finally {
                synchronized (this) {
                    current = null;
                }
            }
            outputs(id, result).finish(result, ToolVersion.current());
        } catch (Exception | Error e) {
            String reason = plan.secrets().scrub(String.valueOf(e.getMessage()));
            LOG.errorf("run %s failed: %s", id, reason);
            metrics.runFailed(Instant.now());
            inFlight.put(id, new Tracked(id, plan.name(), RunResult.FAILED, inFlight.get(id).queuedAt(),
                    reason));
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * After run.json and the reports: the registry, the history store, then (the run is no longer tracked: the store
     * answers for it) the central service, when this instance is a probe.
     */
    private Outputs outputs(String id, RunResult result) {
        List<RunOutput> after = new ArrayList<>();
        after.add(MetricsOutput.registry(metrics));
        after.add(history);
        after.add(run -> {
            inFlight.remove(id);
            if (stopping) {
                LOG.infof("run %s stored as %s: %d requests recorded (those cut short as cancelled)", id,
                        result.status(), result.targets().stream().mapToInt(t -> t.requests() + t.warmups()).sum());
            }
        });
        config.publish().url().ifPresent(url -> after.add(PublishOutput.toLog(new Destination(url,
                config.apiToken().orElse(null), config.probe().name(), config.probe().region().orElse("")),
                () -> stopping)));
        return new Outputs(after);
    }

    /**
     * A run imported from another probe: it has no run directory here, so a store fault goes to the caller.
     *
     * @throws StoreException when the store cannot take it
     */
    public ShardGroups.Outcome storeImported(StoredRun run) throws IOException {
        // A shard of a group waits for the others; the group is stored once, merged.
        ShardGroups.Outcome outcome = shardGroups.offer(run, warning -> LOG.warn(warning));
        outcome.toStore().ifPresent(history::storeImported);
        return outcome;
    }

    /** At start: stores the runs a store fault or a crash left out of history. */
    public void storeLeftOutRuns() {
        history.storeLeftOutRuns();
    }

    /**
     * A finished run that is not in the history store yet (a store fault), read from its directory; empty for any
     * other run.
     */
    public Optional<StoredRun> notInHistory(String id) {
        return history.notInHistory(id);
    }

    /** The runs {@link #notInHistory} knows, as the list shows them. */
    public List<RunInfo> runsNotInHistory() {
        return history.runsNotInHistory();
    }

    public Optional<Tracked> tracked(String id) {
        return Optional.ofNullable(inFlight.get(id));
    }

    public List<Tracked> trackedRuns() {
        return new ArrayList<>(inFlight.values());
    }

    public Path runDirectory(String id) {
        return history.runDirectory(id);
    }

    /**
     * The run's directory with its reports, for the report endpoints: the service's own runs have one; an
     * imported run's is made from its stored run.json and records, the way {@code report DIR} rebuilds one.
     */
    public Optional<Path> reportDirectory(String id) throws IOException {
        if (!id.matches("[A-Za-z0-9._@-]+") || id.startsWith(".")) {
            return Optional.empty();
        }
        Path dir = runDirectory(id);
        if (Files.exists(dir.resolve("report.html"))) {
            return Optional.of(dir);
        }
        HistoryStore store = stores.store();
        Optional<String> runJson = store.runJson(id);
        if (runJson.isEmpty()) {
            return Optional.empty();
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("run.json"), runJson.get(), StandardCharsets.UTF_8);
        StringBuilder lines = new StringBuilder();
        store.records(id, line -> lines.append(line).append('\n'));
        Files.writeString(dir.resolve("requests.jsonl"), lines, StandardCharsets.UTF_8);
        RunRebuild.Rebuilt rebuilt = RunRebuild.rebuild(dir, warning -> { });
        RunFiles.write(rebuilt.result(), rebuilt.version());
        return Optional.of(dir);
    }

    /**
     * A run that was queued when the service stopped: stored as interrupted, with the plan and no request (its
     * run directory has run.json and the reports, which say 0 requests).
     */
    private void storeNeverStarted(String id, RunPlan plan) {
        Tracked tracked = inFlight.get(id);
        Instant queuedAt = tracked == null ? Instant.now() : tracked.queuedAt();
        try {
            List<TargetSummary> none = new ArrayList<>();
            for (TargetSpec target : plan.targets()) {
                none.add(new TargetAggregate(target.name(), plan.slo()).summarize());
            }
            Path runDir = runDirectory(id);
            history.finish(RunFiles.write(RunResult.builder()
                    .runId(id)
                    .plan(plan)
                    .runDir(runDir)
                    .startedAt(queuedAt)
                    .endedAt(Instant.now())
                    .status(RunResult.INTERRUPTED)
                    .wallSeconds(0)
                    .clientCpuSeconds(0)
                    .targets(none)
                    .build(), ToolVersion.current()));
            inFlight.remove(id);
            LOG.infof("run %s was still queued when the service stopped: stored as interrupted, no request sent", id);
        } catch (IOException | RuntimeException e) {
            LOG.errorf("run %s (queued when the service stopped) could not be stored: %s", id, e.getMessage());
        }
    }

    void onStop(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent event) {
        stopRuns();
    }

    /**
     * The service stops (ShutdownEvent: before Vert.x and the store close): nothing new starts, queued runs are
     * stored as interrupted, the running one stops gracefully and is stored as interrupted. Bounded: the grace
     * period, then at most {@link #STORE_WAIT_SECONDS} for the run's files and its storing.
     */
    public void stopRuns() {
        ThreadPoolExecutor pool;
        RunEngine.Handle running;
        List<Runnable> queued = new ArrayList<>();
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            pool = executor;
            if (pool == null) {
                return;
            }
            pool.getQueue().drainTo(queued);
            pool.shutdown();
            running = current;
        }
        for (Runnable r : queued) {
            if (r instanceof QueuedRun q) {
                storeNeverStarted(q.id, q.plan);
            }
        }
        Duration grace = config.serve().stopGrace();
        try {
            if (running != null) {
                LOG.infof("stopping: no new requests; the %d in flight get %s to finish, then they are cancelled",
                        running.inFlight(), grace);
                running.stop();
                try {
                    running.result().get(grace.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    running.cancelInFlight("cancelled: the service stopped and the request was still running after "
                            + "the grace period of " + grace.toMillis() + " ms");
                } catch (ExecutionException e) {
                    // The run's own thread reports its failure.
                }
            }
            if (!pool.awaitTermination(STORE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warnf("stopping: the run was not stored within %d s", STORE_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
