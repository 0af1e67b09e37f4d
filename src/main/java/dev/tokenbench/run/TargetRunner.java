package dev.tokenbench.run;

import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.ShardSpec;
import dev.tokenbench.config.SloSpec;
import dev.tokenbench.config.SecretValues;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.core.Seeds;
import dev.tokenbench.load.ArrivalSchedule;
import dev.tokenbench.load.ClosedLoopDriver;
import dev.tokenbench.load.ConversationDriver;
import dev.tokenbench.load.CostBudget;
import dev.tokenbench.load.Exchanges;
import dev.tokenbench.load.FailFast;
import dev.tokenbench.load.LoadDriver;
import dev.tokenbench.load.OpenLoopDriver;
import dev.tokenbench.load.StepPlanner;
import dev.tokenbench.measure.LiveFigures;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.TargetAggregate;
import dev.tokenbench.measure.TargetRecordSink;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.provider.PreparedRequest;
import dev.tokenbench.provider.ProviderApi;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.net.ProxyOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Coordinates one target: warm-up requests first, with up to the first phase's concurrency in parallel so that they
 * also open the connections; then the measured phases, each run by its load model's driver in load/
 * ({@link ClosedLoopDriver}, {@link OpenLoopDriver}) through this runner's {@link Exchanges} on Vert.x. A plain run
 * has one phase; a sweep or search has one per step, each summarised on its own once the record writer has taken
 * its last record. Here too: the HTTP clients, prompt choice, the cost budget, retries, and the target's records
 * ({@link TargetRecordSink}). Requests are encoded once per prompt before the run, unless each gets a random prefix.
 */
final class TargetRunner {
    /** The output a request is assumed to produce, for the budget, when nothing caps it. */
    private static final int UNCAPPED_OUTPUT_ESTIMATE = 4_096;

    private final Vertx vertx;
    private final String runId;
    private final int index;
    private final TargetSpec spec;
    private final ProviderApi api;
    private final LoadSpec load;
    private final SloSpec slo;
    private final List<Prompt> prompts;
    private final PreparedRequest[] prepared;
    private final long[] promptInputTokens;
    private final ConversationTurns conversations;
    private final int[] outputCaps;
    private final String resolvedBaseUrl;
    private final ConnectionTracker connections = new ConnectionTracker();
    /** What each request's exchange shares. */
    private final StreamingExchange.Transport transport;
    private final boolean tls;
    private final ProxyOptions proxy;
    /** One client per event loop a worker runs on, so a connection lives on its worker's loop: no thread hop
     *  between the read and the stamp. Index = position of the context in the run's context list. */
    private HttpClient[] clients;
    private final RecordWriter writer;
    private final BooleanSupplier stopping;
    private final CostBudget budget;
    private final AtomicLong nextSequence = new AtomicLong();
    /** Requests whose last attempt is recorded; written by the record writer's thread only. */
    private volatile long recordedRequests;
    private final Consumer<RequestRecord> observer;
    private final SecretValues secrets;
    private final StepPlanner planner;
    private final List<StepResult> stepResults = new CopyOnWriteArrayList<>();
    /** Requests under way: what a shutdown cancels once its grace period is over. */
    private final Set<StreamingExchange> inFlight = ConcurrentHashMap.newKeySet();
    /** Where this target's records go; made when the run's event loops are known. */
    private volatile TargetRecordSink records;
    /** The probes of the client's event loops; set before the first request. */
    private ClientHealthMonitor health;
    /** Set by a shutdown after its grace period: a request that starts later is cancelled at once. */
    private volatile String cancelReason;
    /** Stops this target when its first requests all fail with 401, 403 or 404; set before the run starts. */
    private FailFast failFast = FailFast.OFF;
    /** This process's share of the run; set before {@link #run}. */
    private ShardSpec shard = ShardSpec.WHOLE;
    /** When the first measured phase starts ({@code --start-at}, on System.nanoTime()), or OpenLoopDriver.NOW. */
    private long startAtNanos = OpenLoopDriver.NOW;

    /** The target a runner drives: its place in the plan, its spec, the URL its requests go to and its API. */
    record Target(int index, TargetSpec spec, String resolvedBaseUrl, ProviderApi api) {
    }

    /**
     * What the run around a runner gives it.
     *
     * @param stopping true once the run is stopping
     * @param budget   the run's cost budget, null when it has none
     * @param observer sees each target's progress, null for none
     */
    record Controls(BooleanSupplier stopping, CostBudget budget, RunObserver observer) {
    }

    TargetRunner(Vertx vertx, String runId, RunPlan plan, Target target, RecordWriter writer, Controls controls) {
        int index = target.index();
        TargetSpec spec = target.spec();
        String resolvedBaseUrl = target.resolvedBaseUrl();
        ProviderApi api = target.api();
        BooleanSupplier stopping = controls.stopping();
        CostBudget budget = controls.budget();
        RunObserver observer = controls.observer();
        this.vertx = vertx;
        this.runId = runId;
        this.index = index;
        this.spec = spec;
        this.api = api;
        this.load = plan.load();
        this.secrets = plan.secrets();
        this.slo = plan.slo();
        this.prompts = plan.prompts().prompts();
        this.writer = writer;
        this.stopping = stopping;
        this.budget = budget;
        this.resolvedBaseUrl = resolvedBaseUrl;
        this.planner = StepPlanner.of(load);
        this.transport = new StreamingExchange.Transport(vertx, api, connections, load.timeout().toNanos(),
                load.stallTimeout().toNanos());
        this.prepared = new PreparedRequest[prompts.size()];
        this.promptInputTokens = new long[prompts.size()];
        this.outputCaps = new int[prompts.size()];
        for (int i = 0; i < prompts.size(); i++) {
            Prompt p = prompts.get(i);
            int cap = plan.maxOutputTokensFor(spec);
            if (cap == 0 && p.expectedOutputTokens() != null) {
                cap = p.expectedOutputTokens();
            }
            outputCaps[i] = cap;
            prepared[i] = api.prepare(spec, resolvedBaseUrl, p, cap);
            promptInputTokens[i] = ConversationTurns.inputTokens(spec.tokenizer(), p);
        }
        this.conversations = new ConversationTurns(plan.prompts());
        this.tls = resolvedBaseUrl.startsWith("https:");
        this.proxy = ProxySettings.forUrl(resolvedBaseUrl, System::getenv);
        this.observer = observer == null ? null
                : observer.target(plan.name(), plan.secrets().displayed(spec),
                        () -> (int) Math.max(0, nextSequence.get() - recordedRequests));
    }

    /**
     * Runs only {@code shard}'s share of each phase (see {@link ShardSpec} for the rule), the first measured phase
     * starting at {@code startAtNanos} ({@link OpenLoopDriver#NOW}: when the warm-up is over). Call before
     * {@link #run}.
     */
    TargetRunner sharded(ShardSpec shard, long startAtNanos) {
        this.shard = shard;
        this.startAtNanos = startAtNanos;
        return this;
    }

    TargetSpec spec() {
        return spec;
    }

    /** See {@link FailFast}: 0 never stops the target. Call before {@link #run}. */
    TargetRunner failFastAfter(int firstRequests) {
        this.failFast = new FailFast(firstRequests);
        return this;
    }

    /** Why the target stopped sending before its load was done ({@link FailFast}); null when it did not. */
    String stoppedEarly() {
        return failFast.reason();
    }

    /** The live counters (all zero before the run starts). */
    TargetAggregate.Progress progress() {
        TargetRecordSink sink = records;
        return sink == null ? new TargetAggregate.Progress(0, 0, 0) : sink.progress();
    }

    /** For the live display, on its thread: the counters, the medians so far and the step under way. */
    RunEngine.LiveTarget sampleLive() {
        TargetRecordSink sink = records;
        return sink == null
                ? new RunEngine.LiveTarget(new TargetAggregate.Progress(0, 0, 0), LiveFigures.Snapshot.NONE, 0)
                : new RunEngine.LiveTarget(sink.progress(), sink.sampleLive(), sink.stepsBegun());
    }

    /** The target's figures for the run; call after the record writer is done. */
    TargetSummary summarize() {
        TargetRecordSink sink = records;
        TargetSummary summary = sink != null ? sink.summarize()
                : new TargetRecordSink(spec.name(), slo, 0).summarize();
        return failFast.tripped() ? summary.toBuilder().stoppedEarly(failFast.reason()).build() : summary;
    }

    /** The steps of a sweep or search, once the run is over; null for a single phase. */
    TargetSteps steps() {
        if (load.steps() == null) {
            return null;
        }
        return TargetSteps.builder()
                .target(spec.name())
                .dimension(load.steps().dimension())
                .search(planner.isSearch())
                .steps(List.copyOf(stepResults))
                .knee(planner.knee())
                .firstFailing(planner.firstFailing())
                .goodputTarget(load.steps().goodput())
                .build();
    }

    /**
     * Runs the warm-up then the measured phases on the given event-loop contexts; each request reads its client
     * lag from {@code health}'s probe of its loop (null: not probed).
     */
    Future<Void> run(List<Context> contexts, ClientHealthMonitor health) {
        this.health = health;
        this.records = new TargetRecordSink(spec.name(), slo, contexts.size());
        int[] workersPerContext = new int[contexts.size()];
        for (int w = 0; w < load.maxInFlight(); w++) {
            workersPerContext[ClosedLoopDriver.laneOf(w, index % contexts.size(), contexts.size())]++;
        }
        clients = new HttpClient[contexts.size()];
        for (int c = 0; c < contexts.size(); c++) {
            if (workersPerContext[c] > 0) {
                clients[c] = newClient(workersPerContext[c]);
            }
        }
        double first = planner.first();
        int firstConcurrency = isRateDimension() ? load.concurrency() : (int) first;
        int warmupWorkers = Math.min(load.warmup(), Math.max(1, shard.share(firstConcurrency)));
        VertxExchanges exchanges = new VertxExchanges(contexts);
        Future<Void> warmup = phase(new ClosedLoopDriver(exchanges, -1, load.warmup(), warmupWorkers,
                ClosedLoopDriver.NO_DEADLINE));
        return warmup.compose(v -> steps(exchanges, first));
    }

    /** Runs one phase's driver; completes once its last request has finished. */
    private static Future<Void> phase(LoadDriver driver) {
        Promise<Void> done = Promise.promise();
        driver.start(done::complete);
        return done.future();
    }

    private boolean isRateDimension() {
        return load.steps() != null ? LoadSpec.Steps.RATE.equals(load.steps().dimension())
                : load.open() != null || load.trace() != null;
    }

    /** Runs the step at {@code level}, waits for its records, summarises it, and goes on as the planner says. */
    private Future<Void> steps(VertxExchanges exchanges, double level) {
        int step = records.startStep();
        boolean atInstant = step == 0 && startAtNanos != OpenLoopDriver.NOW;
        long startNanos = atInstant ? startAtNanos : System.nanoTime();
        long deadline = load.duration() == null ? ClosedLoopDriver.NO_DEADLINE
                : startNanos + load.duration().toNanos();
        LoadDriver driver;
        if (isRateDimension()) {
            // Every shard computes the whole schedule from the same seed and keeps its own arrivals of it; the
            // in-flight cap is split like any count, at least one so that each shard's arrivals can start.
            OpenLoopDriver open = new OpenLoopDriver(exchanges, step, ArrivalSchedule.shard(
                    OpenLoopDriver.schedule(load, level), shard), Math.max(1, shard.share(load.concurrency())));
            driver = atInstant ? open.startingAt(startNanos) : open;
        } else if (conversations.any()) {
            ConversationDriver talks = new ConversationDriver(exchanges, step, shard.share(load.requests()),
                    shard.share((int) level), deadline, conversations.conversations()).sharded(shard::globalIndex);
            driver = atInstant ? talks.startingAt(startNanos) : talks;
        } else {
            ClosedLoopDriver closed = new ClosedLoopDriver(exchanges, step, shard.share(load.requests()),
                    shard.share((int) level), deadline);
            driver = atInstant ? closed.startingAt(startNanos) : closed;
        }
        return phase(driver).compose(v -> {
            double wallSeconds = (System.nanoTime() - startNanos) / 1e9;
            return writer.barrier().map(ignored -> wallSeconds);
        }).compose(wallSeconds -> {
            // On the writer's thread, after the step's last record: its aggregate is complete.
            TargetSummary summary = records.endStep(step, driver.lateStarts());
            Boolean passed = planner.isSearch() ? summary.goodput() >= load.steps().goodput() : null;
            stepResults.add(new StepResult(step, level, wallSeconds, summary, passed));
            double next = planner.next(level, passed != null && passed);
            if (Double.isNaN(next) || stopping.getAsBoolean() || (budget != null && budget.exhausted())
                    || failFast.tripped()) {
                return Future.succeededFuture();
            }
            return steps(exchanges, next);
        });
    }

    private HttpClient newClient(int poolSize) {
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) Math.min(load.timeout().toMillis(), 30_000))
                .setDecompressionSupported(false)
                .setIdleTimeout(0);
        if (proxy != null) {
            options.setProxyOptions(proxy);
        }
        TlsSettings.apply(options, spec.tls(), tls);
        return vertx.httpClientBuilder().with(options).with(TlsSettings.pool(poolSize))
                .withConnectHandler(connections::onConnected).build();
    }

    int inFlight() {
        return inFlight.size();
    }

    void cancelInFlight(String reason) {
        cancelReason = reason;
        for (StreamingExchange exchange : inFlight) {
            exchange.cancel(reason);
        }
    }

    /** Starts an exchange on the calling event loop, tracked while it is under way. */
    private void launch(StreamingExchange exchange) {
        exchange.trackIn(inFlight);
        exchange.start();
        String reason = cancelReason;
        if (reason != null) {
            exchange.cancel(reason);
        }
    }

    Future<Void> close() {
        List<Future<Void>> closing = new ArrayList<>();
        if (clients != null) {
            for (HttpClient c : clients) {
                if (c != null) {
                    closing.add(c.close());
                }
            }
        }
        return Future.join(closing).mapEmpty();
    }

    /**
     * The engine side of the drivers: lanes are the run's event-loop contexts; a request is sent with the client
     * of its lane, so its connection lives on that loop and its inter-token gaps go to that loop's recorder.
     */
    private final class VertxExchanges implements Exchanges {
        private final List<Context> contexts;

        VertxExchanges(List<Context> contexts) {
            this.contexts = contexts;
        }

        @Override
        public int lanes() {
            return contexts.size();
        }

        @Override
        public int homeLane() {
            return index % contexts.size();
        }

        @Override
        public boolean canSend(int lane) {
            return clients[lane] != null;
        }

        @Override
        public void execute(int lane, Runnable task) {
            contexts.get(lane).runOnContext(v -> task.run());
        }

        @Override
        public void schedule(int lane, long delayNanos, Runnable task) {
            // A Netty timer: Vert.x timers only count milliseconds.
            ContextInternal context = (ContextInternal) contexts.get(lane);
            context.nettyEventLoop().schedule(() -> context.runOnContext(v -> task.run()), delayNanos,
                    TimeUnit.NANOSECONDS);
        }

        @Override
        public boolean halted() {
            return stopping.getAsBoolean() || (budget != null && budget.exhausted()) || failFast.tripped();
        }

        @Override
        public RequestMeasurement claim(int step) {
            RequestMeasurement m = newMeasurement(step, -1);
            return reserve(m) ? m : null;
        }

        @Override
        public RequestMeasurement claimPrompt(int step, int promptIndex) {
            RequestMeasurement m = newMeasurement(step, promptIndex);
            return reserve(m) ? m : null;
        }

        @Override
        public void send(int lane, RequestMeasurement request, Runnable whenDone) {
            if (!request.warmup) {
                // Its gaps go to this loop's recorder, of which this loop is the only writer.
                request.keepInterTokenLatencyFor(records.interTokenLatency(lane));
            }
            start(clients[lane], request, finished -> whenDone.run());
        }

        @Override
        public void notStarted(int step, int count) {
            cancelUnstarted(step, count);
        }
    }

    /**
     * A new request: its sequence number, its prompt (at {@code chosenPrompt}, or -1: the one its sequence picks),
     * its step; the first attempt's measurement.
     */
    private RequestMeasurement newMeasurement(int step, int chosenPrompt) {
        long sequence = nextSequence.getAndIncrement();
        boolean warmup = step < 0;
        int p = chosenPrompt >= 0 ? chosenPrompt
                : warmup ? conversations.warmupPrompt(sequence, promptIndex(sequence)) : promptIndex(sequence);
        RequestMeasurement m = new RequestMeasurement(requestId(sequence), index, sequence, warmup,
                prompts.get(p).id(), null);
        m.promptIndex = p;
        m.conversation = conversations.place(p);
        m.step = Math.max(0, step);
        return m;
    }

    /**
     * Which prompt the n-th request sends: in turn ({@code cycle}), or a seeded pick ({@code sample}) that depends on
     * the seed and n only, so every target gets the same prompt for its n-th request. n is the index in the whole
     * run: a shard's k-th request is the run's {@link ShardSpec#globalIndex(long) index + k × count}-th, whichever
     * shard sends it.
     */
    int promptIndex(long sequence) {
        long global = shard.globalIndex(sequence);
        if (LoadSpec.PromptOrder.SAMPLE_ORDER.equals(load.prompts().order())) {
            return (int) Math.floorMod(Seeds.forIndex(load.prompts().seed(), global),
                    (long) prompts.size());
        }
        return (int) (global % prompts.size());
    }

    /** Sets the projected cost aside; false when the budget cannot cover it (the request is not started). */
    private boolean reserve(RequestMeasurement m) {
        if (budget == null) {
            return true;
        }
        int p = m.promptIndex;
        int output = outputCaps[p] > 0 ? outputCaps[p] : UNCAPPED_OUTPUT_ESTIMATE;
        double projected = spec.pricing() == null ? 0 : spec.pricing().costUsd(promptInputTokens[p], output);
        if (!budget.tryReserve(projected)) {
            return false;
        }
        m.reservedCostUsd = projected;
        return true;
    }

    /** Records the requests a phase was meant to send but did not, because the budget ran out, as cancelled. */
    private void cancelUnstarted(int step, int count) {
        if (budget == null || !budget.exhausted() || count <= 0) {
            return;
        }
        long now = System.nanoTime();
        for (int i = 0; i < count; i++) {
            RequestMeasurement m = newMeasurement(step, -1);
            m.finish(Outcome.CANCELLED, "not started: the run's cost budget of "
                    + String.format(Locale.ROOT, "%.2f", load.budgetUsd()) + " USD would have been exceeded", now);
            writer.submit(this, m);
        }
    }

    /** Sends the request's first attempt; {@code whenDone} runs on the request's event loop after its last. */
    private void start(HttpClient client, RequestMeasurement m, Consumer<RequestMeasurement> whenDone) {
        PreparedRequest request = prepared[m.promptIndex];
        // A conversation's warm-up must not put its turns in the provider's prefix cache before they are measured.
        if (load.prompts().randomPrefix() || (m.warmup && conversations.any())) {
            request = api.prepare(spec, resolvedBaseUrl, withRandomPrefix(prompts.get(m.promptIndex)),
                    outputCaps[m.promptIndex]);
        }
        attempt(client, request, m, whenDone);
    }

    private void attempt(HttpClient client, PreparedRequest request, RequestMeasurement m,
            Consumer<RequestMeasurement> whenDone) {
        ClientHealthMonitor.LoopLag loop = health == null ? null : health.loopOfCurrentThread();
        long lagTicksAtStart = loop == null ? 0 : loop.ticks();
        launch(new StreamingExchange(transport, client, request, api.perRequestHeaders(spec, request), m,
                finished -> {
                    if (loop != null) {
                        health.finished(finished, loop, lagTicksAtStart);
                    }
                    finished.recordInterTokenLatency();
                    if (shouldRetry(finished)) {
                        finished.retried = true;
                        writer.submit(this, finished);
                        RequestMeasurement next = finished.nextAttempt(requestId(finished.sequence) + "-r"
                                + finished.attempts);
                        vertx.setTimer(Math.max(1, retryDelayMillis(finished)),
                                id -> attempt(client, request, next, whenDone));
                    } else {
                        writer.submit(this, finished);
                        whenDone.accept(finished);
                    }
                }));
    }

    /** 429s, 5xx and connection errors are retried when the load block asks for it; nothing else is. */
    private boolean shouldRetry(RequestMeasurement m) {
        if (m.attempts > load.retries().max() || stopping.getAsBoolean()) {
            return false;
        }
        return m.outcome == Outcome.HTTP_429 || m.outcome == Outcome.HTTP_5XX || m.outcome == Outcome.CONNECT_ERROR;
    }

    /** How long to wait before the next attempt: see {@link RetryAfter#waitMillis}. */
    long retryDelayMillis(RequestMeasurement m) {
        return RetryAfter.waitMillis(load.retries(), m.retryAfterMs, m.attempts,
                ThreadLocalRandom.current().nextDouble());
    }

    /**
     * The prompt with a random first line, before the system prompt when there is one: providers cache prompt
     * prefixes, so a request whose first bytes are new to them cannot be served from their cache.
     */
    private static Prompt withRandomPrefix(Prompt p) {
        String prefix = "[" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "]\n";
        return p.withFirstTextPrefixed(prefix);
    }


    private String requestId(long sequence) {
        return "tb-" + runId + "-" + spec.name() + "-" + sequence;
    }

    /** Called on the record writer's thread. */
    RequestRecord toRecord(RequestMeasurement m) {
        int promptIndex = m.promptIndex;
        if (m.error != null) {
            // The request's own credentials are out already (on the event loop); the plan's other secrets go here,
            // off it: a provider may echo a model name or a label that came from ${env:…}.
            m.error = secrets.scrub(m.error);
        }
        return RequestRecord.of(m, spec.name(), spec.tokenizer(), promptInputTokens[promptIndex], spec.pricing(),
                spec.estimateAlongsideUsage());
    }

    /** Called on the record writer's thread once the record is written: the aggregates and the budget see it. */
    void accept(RequestMeasurement m, RequestRecord record) {
        records.accept(record);
        if (budget != null) {
            budget.settle(record.retried() ? 0 : m.reservedCostUsd, record.costUsd());
        }
        if (!record.retried()) {
            recordedRequests++; // single writer thread; volatile for the in-flight readers
            failFast.record(record.httpStatus());
        }
        if (observer != null) {
            observer.accept(record);
        }
    }
}
