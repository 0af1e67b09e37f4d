package dev.tokenbench.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.ShardSpec;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.load.CostBudget;
import dev.tokenbench.load.FailFast;
import dev.tokenbench.load.OpenLoopDriver;
import dev.tokenbench.measure.ClientHealth;
import dev.tokenbench.measure.LiveFigures;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.TargetAggregate;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.sim.Simulator;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxInternal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs a plan: every target side by side (as Azure Bench runs providers in parallel), each with its own
 * connection pool, on the event loops of the given Vert.x. Targets on {@code sim://} are served by an in-process
 * simulator on its own Vert.x (its own threads), so the simulator and the client do not share event loops.
 */
public final class RunEngine {
    /**
     * What the CLI and the service warm for by default (see {@link #selfWarm(Duration)}), as an option or setting
     * writes it: long enough for C2 to compile the per-event code on 2 busy cores (measured with bench/cold.sh).
     */
    public static final String DEFAULT_SELF_WARM = "2s";
    private final Vertx vertx;
    private final ProviderRegistry providers;
    private int fsyncEvery;
    private double dropLaggedMs;
    private RecordWriter.Sync sync = RecordWriter.Sync.FORCE;
    private Duration selfWarmLimit = Duration.ZERO;
    private int failFastAfter;
    private ShardSpec shard = ShardSpec.WHOLE;
    private Instant startAt;
    private Sharding.ClockOffset clock = Sharding.ClockOffset.UNKNOWN;

    public RunEngine(Vertx vertx, ProviderRegistry providers) {
        this.vertx = vertx;
        this.providers = providers;
    }

    /**
     * Forces requests.jsonl to the disk after every {@code records} records (0, the default: only at the run's
     * end). Each force waits for the disk on the record writer's thread, never on an event loop.
     */
    public RunEngine fsyncEvery(int records) {
        if (records < 0) {
            throw new IllegalArgumentException("fsync-every must be 0 (at the end only) or more, found " + records);
        }
        this.fsyncEvery = records;
        return this;
    }

    /**
     * Leaves requests measured while their event loop lagged more than {@code ms} out of the summaries (they stay
     * in requests.jsonl, marked): the CLI's {@code --drop-lagged}, which wins over the file's
     * {@code load.drop-lagged}; 0, the default, defers to the file (see {@link #effectiveDropLaggedMs}).
     */
    public RunEngine dropLaggedMs(double ms) {
        if (!(ms >= 0)) {
            throw new IllegalArgumentException("drop-lagged must be 0 (keep every request) or more ms, found " + ms);
        }
        this.dropLaggedMs = ms;
        return this;
    }

    /**
     * The drop-lagged threshold a run applies, in ms: {@code flagMs} (the CLI's {@code --drop-lagged}) when it is
     * above 0, else the file's {@code load.drop-lagged}, else 0 (every request kept).
     */
    static double effectiveDropLaggedMs(double flagMs, LoadSpec load) {
        if (flagMs > 0) {
            return flagMs;
        }
        return load.dropLagged() == null ? 0 : load.dropLagged().toNanos() / 1e6;
    }

    /**
     * Before the first measured request, warms the client's hot path for every API of the plan against a throwaway
     * in-process simulator for at most {@code limit} (see {@link SelfWarm}); {@link Duration#ZERO}, the default
     * here, skips it. The CLI warms for {@link #DEFAULT_SELF_WARM} unless told not to.
     */
    public RunEngine selfWarm(Duration limit) {
        if (limit == null || limit.isNegative()) {
            throw new IllegalArgumentException("the self-warm limit must be 0 (none) or more, found " + limit);
        }
        this.selfWarmLimit = limit;
        return this;
    }

    /**
     * Stops a target once its first {@code firstRequests} requests (warm-ups included) all failed with HTTP 401, 403
     * or 404, which more requests cannot change ({@link FailFast}); 0, the default here, never stops one. The
     * CLI stops after {@link FailFast#DEFAULT_FIRST_REQUESTS} unless told otherwise.
     */
    public RunEngine failFastAfter(int firstRequests) {
        if (firstRequests < 0) {
            throw new IllegalArgumentException("fail-fast must be 0 (off) or a number of requests, found "
                    + firstRequests);
        }
        this.failFastAfter = firstRequests;
        return this;
    }

    /**
     * Runs only {@code shard}'s share of the plan ({@link ShardSpec}); its run.json says which shard it was, with
     * {@code clock}, its wall clock's offset as far as it was measured.
     */
    public RunEngine shard(ShardSpec shard, Sharding.ClockOffset clock) {
        this.shard = shard;
        this.clock = clock;
        return this;
    }

    /**
     * Starts the first measured request at {@code instant} (by this machine's wall clock, turned once into a
     * System.nanoTime deadline): the self-warm and the warm-up happen before; an instant already past makes the
     * first starts late, and counted so. Null: as soon as the warm-up is done.
     */
    public RunEngine startAt(Instant instant) {
        this.startAt = instant;
        return this;
    }

    /** How requests.jsonl is forced: a test counts the forces and sees the file at each. */
    RunEngine sync(RecordWriter.Sync sync) {
        this.sync = sync;
        return this;
    }

    /**
     * One target as the live display sees it.
     *
     * @param step the measured step under way, from 1 (a single-phase run has one); 0 during the warm-up
     */
    public record LiveTarget(TargetAggregate.Progress counters, LiveFigures.Snapshot medians, int step) {
    }

    /** A run under way. */
    public static final class Handle {
        private final List<TargetRunner> runners;
        private final CompletableFuture<RunResult> result;
        private final Simulator simulator;
        private volatile boolean stopping;

        private Handle(List<TargetRunner> runners, CompletableFuture<RunResult> result, Simulator simulator) {
            this.runners = runners;
            this.result = result;
            this.simulator = simulator;
        }

        /** Per target, in plan order: the live counters. */
        public List<TargetAggregate.Progress> progress() {
            List<TargetAggregate.Progress> list = new ArrayList<>(runners.size());
            for (TargetRunner r : runners) {
                list.add(r.progress());
            }
            return list;
        }

        /** Per target, in plan order: counters, medians so far, step; from one display thread at a time. */
        public List<LiveTarget> sampleLive() {
            List<LiveTarget> list = new ArrayList<>(runners.size());
            for (TargetRunner r : runners) {
                list.add(r.sampleLive());
            }
            return list;
        }

        /** Stops starting requests; those in flight finish. */
        public void stop() {
            stopping = true;
        }

        /**
         * Stops starting requests and ends every request in flight now, each recorded as {@code cancelled}
         * (what a shutdown does once its grace period is over).
         */
        public void cancelInFlight(String reason) {
            stopping = true;
            for (TargetRunner r : runners) {
                r.cancelInFlight(reason);
            }
        }

        /** Requests under way across all targets. */
        public int inFlight() {
            int n = 0;
            for (TargetRunner r : runners) {
                n += r.inFlight();
            }
            return n;
        }

        public boolean stopping() {
            return stopping;
        }

        /** Per target that stopped sending early ({@link FailFast}), in plan order: its name and why. */
        public Map<String, String> stoppedEarly() {
            Map<String, String> stopped = new LinkedHashMap<>();
            for (TargetRunner r : runners) {
                if (r.stoppedEarly() != null) {
                    stopped.put(r.spec().name(), r.stoppedEarly());
                }
            }
            return stopped;
        }

        /** The in-process simulator, when the plan uses one: tests read its log. */
        public Simulator simulator() {
            return simulator;
        }

        public CompletableFuture<RunResult> result() {
            return result;
        }

        /**
         * @throws WriteFailure when a file of the run could not be written: the run was stopped then
         */
        public RunResult await() throws InterruptedException {
            try {
                return result.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof WriteFailure failure) {
                    throw failure;
                }
                throw new IllegalStateException("run failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    /** {@link #start(RunPlan, String, Path, String, Consumer)} for version {@code dev}. */
    public Handle start(RunPlan plan, String runId, Path runDir, Consumer<RequestRecord> recordListener)
            throws IOException, InterruptedException {
        return start(plan, runId, runDir, "dev", recordListener);
    }

    public Handle start(RunPlan plan, String runId, Path runDir, String version,
            Consumer<RequestRecord> recordListener) throws IOException, InterruptedException {
        return start(plan, runId, runDir, version, recordListener, RunObserver.NONE);
    }

    /** The run as the CLI and the service start it: nothing but the metrics watches its records. */
    public Handle start(RunPlan plan, String runId, Path runDir, String version, RunObserver observer)
            throws IOException, InterruptedException {
        return start(plan, runId, runDir, version, null, observer);
    }

    /**
     * Starts the run. plan.json (what {@code report DIR} needs besides the records) and requests.jsonl are
     * created in {@code runDir} before the first request; records are appended as requests finish.
     *
     * @param version        tokenbench's version, for plan.json
     * @param recordListener sees every record after it is written (may be null)
     * @param observer       the metrics: sees each target's records on the record writer's thread
     * @throws WriteFailure when requests.jsonl or plan.json cannot be written (nothing was sent then); a write
     *                      that fails later stops the run, and {@link Handle#await()} throws it
     */
    public Handle start(RunPlan plan, String runId, Path runDir, String version,
            Consumer<RequestRecord> recordListener, RunObserver observer) throws IOException, InterruptedException {
        for (TargetSpec spec : plan.targets()) {
            try {
                providers.get(spec.api()).beforeRun(spec);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("target " + spec.name() + ": " + e.getMessage(), e);
            }
        }
        Vertx simVertx = null;
        Simulator simulator = null;
        if (plan.simulator() != null && plan.targets().stream().anyMatch(t -> t.baseUrl().startsWith("sim://"))) {
            simVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
            simulator = awaitFuture(Simulator.start(simVertx, plan.simulator(), "127.0.0.1", 0,
                    ProviderRegistry.defaults().simApis()));
        }
        Handle[] handleRef = new Handle[1];
        RecordWriter writer;
        // On the writer's thread, off the hot path: when the first measured request went out (a shard's start)
        // and when it was meant to (0 in a closed loop: the start instant then).
        AtomicLong firstSendNanos = new AtomicLong(Long.MAX_VALUE);
        AtomicLong firstIntendedNanos = new AtomicLong();
        Consumer<RequestRecord> listener = record -> {
            if (!record.warmup() && record.sentNanos() != 0 && record.sentNanos() < firstSendNanos.get()) {
                firstSendNanos.set(record.sentNanos());
                firstIntendedNanos.set(record.intendedStartNanos());
            }
            if (recordListener != null) {
                recordListener.accept(record);
            }
        };
        try {
            writer = new RecordWriter(runDir.resolve("requests.jsonl"), listener, failure -> {
                // On the writer's thread: no request starts any more, those in flight end now, and the run finishes.
                Handle started = handleRef[0];
                if (started != null) {
                    started.cancelInFlight("cancelled: " + failure.getMessage());
                }
            }, fsyncEvery, sync);
        } catch (RuntimeException e) {
            closeQuietly(simVertx);
            throw e;
        }
        CostBudget budget = plan.load().budgetUsd() == null ? null : new CostBudget(plan.load().budgetUsd());
        List<TargetRunner> runners = new ArrayList<>();
        for (int i = 0; i < plan.targets().size(); i++) {
            TargetSpec spec = plan.targets().get(i);
            String baseUrl = resolveBaseUrl(spec.baseUrl(), simulator);
            runners.add(new TargetRunner(vertx, runId, plan,
                    new TargetRunner.Target(i, spec, baseUrl, providers.get(spec.api())), writer,
                    new TargetRunner.Controls(() -> handleRef[0].stopping, budget, observer))
                    .failFastAfter(failFastAfter));
        }
        CompletableFuture<RunResult> result = new CompletableFuture<>();
        long[] startClock = new long[2]; // the run's start and its start instant, on System.nanoTime()
        Instant[] startedAtRef = new Instant[1];
        CompletableFuture<RunResult> sharded = !shard.sharded() && startAt == null ? result
                : result.thenApply(r -> r.withSharding(sharding(r.runId(), startedAtRef[0], startClock[0],
                        startClock[1], firstSendNanos.get(), firstIntendedNanos.get())));
        Handle handle = new Handle(runners, sharded, simulator);
        handleRef[0] = handle;

        List<Context> contexts = new ArrayList<>();
        // One context per event loop of this Vert.x: workers spread over every loop, none shares a loop twice.
        int loops = 0;
        for (var ignored : ((VertxInternal) vertx).getEventLoopGroup()) {
            loops++;
        }
        for (int i = 0; i < loops; i++) {
            contexts.add(((VertxInternal) vertx).createEventLoopContext());
        }
        boolean warm = !selfWarmLimit.isZero();
        // Before the run's clock starts: its time and CPU are not the run's.
        SelfWarm.Report warmed = warm ? SelfWarm.run(vertx, plan, providers, contexts, selfWarmLimit)
                : SelfWarm.Report.SKIPPED;
        Instant startedAt = Instant.now();
        long startNanos = System.nanoTime();
        // The one conversion of the wall-clock instant to this process's monotonic clock.
        long startAtNanos = startAt == null ? OpenLoopDriver.NOW
                : startNanos + Duration.between(startedAt, startAt).toNanos();
        for (TargetRunner r : runners) {
            r.sharded(shard, startAtNanos);
        }
        startClock[0] = startNanos;
        startClock[1] = startAtNanos;
        startedAtRef[0] = startedAt;
        try {
            ObjectNode manifest = RunManifest.toJson(plan, runId, startedAt, startNanos, version);
            manifest.set("self_warm", warmed.toJson(warm));
            if (shard.sharded() || startAt != null) {
                manifest.set("start_at_nanos", manifest.numberNode(startAtNanos == OpenLoopDriver.NOW ? 0
                        : startAtNanos));
            }
            RunManifest.write(runDir, manifest);
        } catch (IOException | RuntimeException e) {
            // plan.json could not be written: nothing was sent; the writer and the simulator stop here.
            try {
                writer.close();
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            closeQuietly(simVertx);
            throw e;
        }
        long startCpuNanos = processCpuNanos();
        ClientHealthMonitor health = ClientHealthMonitor.start(contexts, startedAt, startNanos,
                effectiveDropLaggedMs(dropLaggedMs, plan.load()));
        List<Future<Void>> all = new ArrayList<>();
        for (TargetRunner r : runners) {
            all.add(r.run(contexts, health));
        }
        Vertx finalSimVertx = simVertx;
        Future.join(all).onComplete(ar -> {
            // Off the event loop: closing the writer waits for its thread.
            new Thread(() -> finish(plan, runId, runDir, runners, writer, handle, startedAt, startNanos,
                    startCpuNanos, health, finalSimVertx, result), "tokenbench-run-finisher").start();
        });
        return handle;
    }

    private void finish(RunPlan plan, String runId, Path runDir, List<TargetRunner> runners, RecordWriter writer,
            Handle handle, Instant startedAt, long startNanos, long startCpuNanos, ClientHealthMonitor health,
            Vertx simVertx, CompletableFuture<RunResult> result) {
        try {
            // After the writer has caught up: deriving and writing the records is part of the run's cost.
            try {
                writer.close();
            } catch (WriteFailure failure) {
                health.stop();
                for (TargetRunner r : runners) {
                    awaitQuietly(r.close());
                }
                closeQuietly(simVertx);
                result.completeExceptionally(failure);
                return;
            }
            double wallSeconds = (System.nanoTime() - startNanos) / 1e9;
            double cpuSeconds = (processCpuNanos() - startCpuNanos) / 1e9;
            List<TargetSummary> summaries = new ArrayList<>();
            List<TargetSteps> steps = new ArrayList<>();
            boolean anyOk = false;
            for (TargetRunner r : runners) {
                TargetSummary s = r.summarize();
                anyOk |= s.ok() > 0;
                summaries.add(s);
                if (r.steps() != null) {
                    steps.add(r.steps());
                }
                awaitQuietly(r.close());
            }
            closeQuietly(simVertx);
            long lateStarts = 0;
            for (TargetSummary s : summaries) {
                lateStarts += s.lateStarts();
            }
            ClientHealth client = health.finish(wallSeconds, cpuSeconds, lateStarts);
            String status = handle.stopping ? RunResult.INTERRUPTED : anyOk ? RunResult.DONE : RunResult.FAILED;
            result.complete(RunResult.builder()
                    .runId(runId)
                    .plan(plan)
                    .runDir(runDir)
                    .startedAt(startedAt)
                    .endedAt(Instant.now())
                    .status(status)
                    .wallSeconds(wallSeconds)
                    .clientCpuSeconds(cpuSeconds)
                    .targets(summaries)
                    .steps(steps)
                    .client(client)
                    .build());
        } catch (RuntimeException | Error e) {
            health.stop();
            // Out of memory included: the run ends (exit 3) instead of leaving its caller waiting forever.
            result.completeExceptionally(e);
        }
    }

    /**
     * This shard's facts for run.json: when its first measured request went out, and how late that was against its
     * intended start (an open loop's arrival; a closed loop's start instant).
     */
    private Sharding sharding(String runId, Instant startedAt, long startNanos, long startAtNanos,
            long firstSendNanos, long firstIntendedNanos) {
        boolean sent = firstSendNanos != Long.MAX_VALUE;
        Instant firstSendAt = sent ? startedAt.plusNanos(firstSendNanos - startNanos) : null;
        long intended = firstIntendedNanos != 0 ? firstIntendedNanos : startAtNanos;
        double latenessMs = sent && startAtNanos != OpenLoopDriver.NOW ? (firstSendNanos - intended) / 1e6
                : Double.NaN;
        return new Sharding(shard.group(), shard.count(), startAt,
                List.of(new Sharding.Shard(shard.index(), runId, firstSendAt, latenessMs, clock)), Double.NaN);
    }

    private static void closeQuietly(Vertx simVertx) {
        if (simVertx != null) {
            awaitQuietly(simVertx.close());
        }
    }

    /** {@code sim://scenario/v1} → {@code http://127.0.0.1:<port>/scenario/v1}. */
    static String resolveBaseUrl(String baseUrl, Simulator simulator) {
        if (!baseUrl.startsWith("sim://")) {
            return baseUrl;
        }
        if (simulator == null) {
            throw new IllegalStateException("a sim:// target needs the in-process simulator");
        }
        URI uri = URI.create(baseUrl);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return "http://127.0.0.1:" + simulator.port() + "/" + uri.getHost() + path;
    }

    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }

    private static <T> T awaitFuture(Future<T> future) throws InterruptedException {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not start the simulator: " + e.getMessage(), e);
        }
    }

    private static void awaitQuietly(Future<?> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing is best effort; the run's results are already written
        }
    }
}
