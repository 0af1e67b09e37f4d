package dev.tokenbench.run;

import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.SloSpec;
import dev.tokenbench.config.SecretValues;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.load.ArrivalSchedule;
import dev.tokenbench.load.CostBudget;
import dev.tokenbench.load.OpenLoopDispatcher;
import dev.tokenbench.core.Seeds;
import dev.tokenbench.load.StepPlanner;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.TargetAggregate;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.measure.TokenCounter;
import dev.tokenbench.provider.PreparedRequest;
import dev.tokenbench.provider.ProviderApi;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.impl.ContextInternal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Drives one target: warm-up requests first, with up to the first phase's concurrency in parallel so that they also
 * open the connections; then the measured phases. A plain run has one phase (closed loop: {@code concurrency}
 * workers, each sending its next request when the last one ends; open loop: starts at their scheduled times); a
 * sweep or search has one per step, each summarised on its own once the record writer has taken its last record.
 * Requests are encoded once per prompt before the run, unless each gets a random prefix.
 */
final class TargetRunner {
    private static final long NO_DEADLINE = Long.MAX_VALUE;
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
    private final int[] outputCaps;
    private final String resolvedBaseUrl;
    private final TargetAggregate aggregate;
    private final ConnectionTracker connections = new ConnectionTracker();
    private final boolean tls;
    private final io.vertx.core.net.ProxyOptions proxy;
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
    /** Per step, its own aggregate; appended before the step starts, read by the writer thread. */
    private final List<TargetAggregate> stepAggregates = new CopyOnWriteArrayList<>();
    private final List<StepResult> stepResults = new CopyOnWriteArrayList<>();
    /** Requests under way: what a shutdown cancels once its grace period is over. */
    private final java.util.Set<StreamingExchange> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The probes of the client's event loops; set before the first request. */
    private ClientHealthMonitor health;
    /** Set by a shutdown after its grace period: a request that starts later is cancelled at once. */
    private volatile String cancelReason;

    TargetRunner(Vertx vertx, String runId, int index, RunPlan plan, TargetSpec spec, String resolvedBaseUrl,
            ProviderApi api, RecordWriter writer, BooleanSupplier stopping, CostBudget budget, RunObserver observer) {
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
        this.aggregate = new TargetAggregate(spec.name(), plan.slo());
        this.planner = StepPlanner.of(load);
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
            promptInputTokens[i] = TokenCounter.count(spec.tokenizer(), p.user())
                    + (p.system() == null ? 0 : TokenCounter.count(spec.tokenizer(), p.system()));
        }
        this.tls = resolvedBaseUrl.startsWith("https:");
        this.proxy = ProxySettings.forUrl(resolvedBaseUrl, System::getenv);
        this.observer = observer == null ? null
                : observer.target(plan.secrets().displayed(spec), () -> (int) Math.max(0, nextSequence.get() - recordedRequests));
    }

    TargetSpec spec() {
        return spec;
    }

    TargetAggregate aggregate() {
        return aggregate;
    }

    /** The steps of a sweep or search, once the run is over; null for a single phase. */
    TargetSteps steps() {
        if (load.steps() == null) {
            return null;
        }
        return new TargetSteps(spec.name(), load.steps().dimension(), planner.isSearch(), List.copyOf(stepResults),
                planner.knee(), planner.firstFailing(), load.steps().goodput());
    }

    /**
     * Runs the warm-up then the measured phases on the given event-loop contexts; each request reads its client
     * lag from {@code health}'s probe of its loop (null: not probed).
     */
    Future<Void> run(List<Context> contexts, ClientHealthMonitor health) {
        this.health = health;
        int[] workersPerContext = new int[contexts.size()];
        for (int w = 0; w < load.maxInFlight(); w++) {
            workersPerContext[contextIndex(w, contexts.size())]++;
        }
        clients = new HttpClient[contexts.size()];
        for (int c = 0; c < contexts.size(); c++) {
            if (workersPerContext[c] > 0) {
                clients[c] = newClient(workersPerContext[c]);
            }
        }
        double first = planner.first();
        int firstConcurrency = isRateDimension() ? load.concurrency() : (int) first;
        int warmupWorkers = Math.min(load.warmup(), firstConcurrency);
        Future<Void> warmup = closedPhase(contexts, -1, load.warmup(), warmupWorkers, NO_DEADLINE);
        return warmup.compose(v -> steps(contexts, first));
    }

    private boolean isRateDimension() {
        return load.steps() != null ? LoadSpec.Steps.RATE.equals(load.steps().dimension()) : load.open() != null;
    }

    /** Runs the step at {@code level}, waits for its records, summarises it, and goes on as the planner says. */
    private Future<Void> steps(List<Context> contexts, double level) {
        int step = stepAggregates.size();
        stepAggregates.add(new TargetAggregate(spec.name(), slo));
        long startNanos = System.nanoTime();
        long deadline = load.duration() == null ? NO_DEADLINE : startNanos + load.duration().toNanos();
        Future<Void> phase = isRateDimension()
                ? openPhase(contexts, step, level, deadline)
                : closedPhase(contexts, step, load.requests(), (int) level, deadline);
        return phase.compose(v -> {
            double wallSeconds = (System.nanoTime() - startNanos) / 1e9;
            return writer.barrier().map(ignored -> wallSeconds);
        }).compose(wallSeconds -> {
            // On the writer's thread, after the step's last record: its aggregate is complete.
            TargetSummary summary = stepAggregates.get(step).summarize();
            Boolean passed = planner.isSearch() ? summary.goodput() >= load.steps().goodput() : null;
            stepResults.add(new StepResult(step, level, wallSeconds, summary, passed));
            double next = planner.next(level, passed != null && passed);
            if (Double.isNaN(next) || stopping.getAsBoolean() || (budget != null && budget.exhausted())) {
                return Future.succeededFuture();
            }
            return steps(contexts, next);
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

    private int contextIndex(int worker, int contexts) {
        return (index + worker) % contexts;
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
        List<Future<Void>> closing = new java.util.ArrayList<>();
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
     * A closed-loop phase: {@code workers} workers share {@code total} requests; each starts its next when the last
     * one ends, until the requests are all started, the deadline passes, the run stops or the budget runs out.
     *
     * @param step the measured step, or -1 for the warm-up
     */
    private Future<Void> closedPhase(List<Context> contexts, int step, int total, int workers, long deadline) {
        Promise<Void> done = Promise.promise();
        if (total == 0 || workers == 0) {
            done.complete();
            return done.future();
        }
        ClosedPhase phase = new ClosedPhase(step, total, deadline, workers, done);
        for (int w = 0; w < workers; w++) {
            int c = contextIndex(w, contexts.size());
            HttpClient client = clients[c];
            contexts.get(c).runOnContext(v -> phase.next(client));
        }
        return done.future();
    }

    private final class ClosedPhase {
        private final int step;
        private final int total;
        private final long deadline;
        private final Promise<Void> done;
        private final AtomicInteger claimed = new AtomicInteger();
        private final AtomicInteger launched = new AtomicInteger();
        private final AtomicInteger activeWorkers;

        ClosedPhase(int step, int total, long deadline, int workers, Promise<Void> done) {
            this.step = step;
            this.total = total;
            this.deadline = deadline;
            this.done = done;
            this.activeWorkers = new AtomicInteger(workers);
        }

        void next(HttpClient client) {
            boolean over = stopping.getAsBoolean() || (budget != null && budget.exhausted())
                    || (deadline != NO_DEADLINE && System.nanoTime() >= deadline)
                    || claimed.getAndIncrement() >= total;
            RequestMeasurement m = over ? null : newMeasurement(step);
            if (m != null && !reserve(m)) {
                m = null;
            }
            if (m == null) {
                if (activeWorkers.decrementAndGet() == 0) {
                    cancelUnstarted(step, total == LoadSpec.UNBOUNDED ? 0 : total - launched.get());
                    done.complete();
                }
                return;
            }
            launched.incrementAndGet();
            start(client, m, finished -> next(client));
        }
    }

    /**
     * An open-loop phase: one dispatcher on this target's home event loop starts each request at its intended time
     * (a Netty timer with nanosecond deadlines; Vert.x timers only count milliseconds), on the event loops in turn;
     * finished requests free their in-flight slot back on the home loop.
     */
    private Future<Void> openPhase(List<Context> contexts, int step, double rate, long deadline) {
        Promise<Void> done = Promise.promise();
        LoadSpec.OpenLoop open = load.open().withRate(rate);
        long[] offsets = load.duration() == null
                ? ArrivalSchedule.of(open, load.requests())
                : ArrivalSchedule.within(open, load.requests(), load.duration().toNanos());
        ContextInternal home = (ContextInternal) contexts.get(index % contexts.size());
        home.runOnContext(v -> new OpenPhase(home, contexts, step, offsets, done).begin());
        return done.future();
    }

    private final class OpenPhase {
        private final ContextInternal home;
        private final List<Context> contexts;
        private final int step;
        private final long[] offsets;
        private final Promise<Void> done;
        private OpenLoopDispatcher dispatcher;
        private long pendingWakeNanos = Long.MAX_VALUE;
        private int nextContext;
        private int refused;

        OpenPhase(ContextInternal home, List<Context> contexts, int step, long[] offsets, Promise<Void> done) {
            this.home = home;
            this.contexts = contexts;
            this.step = step;
            this.offsets = offsets;
            this.done = done;
        }

        void begin() {
            dispatcher = new OpenLoopDispatcher(offsets, System.nanoTime(), load.concurrency(), this::startRequest,
                    null);
            wake();
        }

        private boolean halted() {
            return stopping.getAsBoolean() || (budget != null && budget.exhausted());
        }

        private void wake() {
            pendingWakeNanos = Long.MAX_VALUE;
            if (halted()) {
                finishIfDrained();
                return;
            }
            long next = dispatcher.onWake(System.nanoTime());
            if (next != Long.MAX_VALUE && next < pendingWakeNanos) {
                pendingWakeNanos = next;
                home.nettyEventLoop().schedule(() -> home.runOnContext(v -> wake()),
                        Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            finishIfDrained();
        }

        private void finishIfDrained() {
            boolean noMoreStarts = dispatcher.allStarted() || halted();
            if (noMoreStarts && dispatcher.inFlight() == 0 && !done.future().isComplete()) {
                stepAggregate(step).setLateStarts(dispatcher.lateStarts());
                aggregate.addLateStarts(dispatcher.lateStarts());
                cancelUnstarted(step, offsets.length - dispatcher.started() + refused);
                done.complete();
            }
        }

        private void startRequest(int ignoredIndex, long intendedNanos) {
            RequestMeasurement m = newMeasurement(step);
            m.intendedStartNanos = intendedNanos;
            if (!reserve(m)) {
                // The budget is spent: this start and every later one are recorded as cancelled.
                refused++;
                home.runOnContext(x -> {
                    dispatcher.onFinished();
                    wake();
                });
                return;
            }
            int c = nextContext;
            while (clients[c] == null) { // fewer in-flight slots than event loops: only some loops have a client
                c = (c + 1) % contexts.size();
            }
            nextContext = (c + 1) % contexts.size();
            HttpClient client = clients[c];
            contexts.get(c).runOnContext(v -> start(client, m, finished -> home.runOnContext(x -> {
                dispatcher.onFinished();
                wake();
            })));
        }
    }

    private TargetAggregate stepAggregate(int step) {
        return step < 0 ? null : stepAggregates.get(step);
    }

    /** A new request: its sequence number, its prompt, its step; the first attempt's measurement. */
    private RequestMeasurement newMeasurement(int step) {
        long sequence = nextSequence.getAndIncrement();
        boolean warmup = step < 0;
        RequestMeasurement m = new RequestMeasurement(requestId(sequence), index, sequence, warmup,
                prompts.get(promptIndex(sequence)).id(), warmup ? null : aggregate.interTokenLatencyRecorder());
        m.step = Math.max(0, step);
        return m;
    }

    /**
     * Which prompt the n-th request sends: in turn ({@code cycle}), or a seeded pick ({@code sample}) that depends on
     * the seed and n only, so every target gets the same prompt for its n-th request.
     */
    int promptIndex(long sequence) {
        if (LoadSpec.PromptOrder.SAMPLE_ORDER.equals(load.prompts().order())) {
            return (int) Math.floorMod(Seeds.forIndex(load.prompts().seed(), sequence),
                    (long) prompts.size());
        }
        return (int) (sequence % prompts.size());
    }

    /** Sets the projected cost aside; false when the budget cannot cover it (the request is not started). */
    private boolean reserve(RequestMeasurement m) {
        if (budget == null) {
            return true;
        }
        int p = promptIndex(m.sequence);
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
            RequestMeasurement m = newMeasurement(step);
            m.finish(Outcome.CANCELLED, "not started: the run's cost budget of "
                    + String.format(java.util.Locale.ROOT, "%.2f", load.budgetUsd()) + " USD would have been exceeded", now);
            writer.submit(this, m);
        }
    }

    /** Sends the request's first attempt; {@code whenDone} runs on the request's event loop after its last. */
    private void start(HttpClient client, RequestMeasurement m, Consumer<RequestMeasurement> whenDone) {
        PreparedRequest request = prepared[promptIndex(m.sequence)];
        if (load.prompts().randomPrefix()) {
            request = api.prepare(spec, resolvedBaseUrl, withRandomPrefix(prompts.get(promptIndex(m.sequence))),
                    outputCaps[promptIndex(m.sequence)]);
        }
        attempt(client, request, m, whenDone);
    }

    private void attempt(HttpClient client, PreparedRequest request, RequestMeasurement m,
            Consumer<RequestMeasurement> whenDone) {
        ClientHealthMonitor.LoopLag loop = health == null ? null : health.loopOfCurrentThread();
        long lagTicksAtStart = loop == null ? 0 : loop.ticks();
        launch(new StreamingExchange(vertx, client, request, api.perRequestHeaders(spec, request), m,
                api, connections, load.timeout().toNanos(), load.stallTimeout().toNanos(), finished -> {
                    if (loop != null) {
                        health.finished(finished, loop, lagTicksAtStart);
                    }
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
        return p.system() != null
                ? new Prompt(p.id(), prefix + p.system(), p.user(), p.expectedOutputTokens())
                : new Prompt(p.id(), null, prefix + p.user(), p.expectedOutputTokens());
    }


    private String requestId(long sequence) {
        return "tb-" + runId + "-" + spec.name() + "-" + sequence;
    }

    /** Called on the record writer's thread. */
    RequestRecord toRecord(RequestMeasurement m) {
        int promptIndex = promptIndex(m.sequence);
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
        aggregate.add(record);
        if (!record.warmup()) {
            TargetAggregate step = stepAggregate(record.step());
            if (step != null) {
                step.add(record);
            }
        }
        if (budget != null) {
            budget.settle(record.retried() ? 0 : m.reservedCostUsd, record.costUsd());
        }
        if (!record.retried()) {
            recordedRequests++; // single writer thread; volatile for the in-flight readers
        }
        if (observer != null) {
            observer.accept(record);
        }
    }
}
