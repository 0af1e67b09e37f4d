package dev.tokenbench.run;

import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.load.ArrivalSchedule;
import dev.tokenbench.load.OpenLoopDispatcher;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.TargetAggregate;
import dev.tokenbench.measure.TokenCounter;
import dev.tokenbench.provider.PreparedRequest;
import dev.tokenbench.provider.ProviderApi;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.impl.ContextInternal;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Drives one target in closed loop: {@code concurrency} workers, each sending its next request when the last one
 * ends. Warm-up requests go first, with up to {@code concurrency} in parallel so that they also open the
 * connections; then the measured ones. Requests are encoded once per prompt before the run.
 */
final class TargetRunner {
    private final Vertx vertx;
    private final String runId;
    private final int index;
    private final TargetSpec spec;
    private final ProviderApi api;
    private final LoadSpec load;
    private final List<Prompt> prompts;
    private final PreparedRequest[] prepared;
    private final long[] promptInputTokens;
    private final TargetAggregate aggregate;
    private final ConnectionTracker connections = new ConnectionTracker();
    private final boolean tls;
    private final io.vertx.core.net.ProxyOptions proxy;
    /** One client per event loop a worker runs on, so a connection lives on its worker's loop: no thread hop
     *  between the read and the stamp. Index = position of the context in the run's context list. */
    private HttpClient[] clients;
    private final RecordWriter writer;
    private final BooleanSupplier stopping;
    private final AtomicLong nextSequence = new AtomicLong();

    TargetRunner(Vertx vertx, String runId, int index, RunPlan plan, TargetSpec spec, String resolvedBaseUrl,
            ProviderApi api, RecordWriter writer, BooleanSupplier stopping) {
        this.vertx = vertx;
        this.runId = runId;
        this.index = index;
        this.spec = spec;
        this.api = api;
        this.load = plan.load();
        this.prompts = plan.prompts().prompts();
        this.writer = writer;
        this.stopping = stopping;
        this.aggregate = new TargetAggregate(spec.name(), plan.slo());
        this.prepared = new PreparedRequest[prompts.size()];
        this.promptInputTokens = new long[prompts.size()];
        for (int i = 0; i < prompts.size(); i++) {
            Prompt p = prompts.get(i);
            int cap = plan.maxOutputTokensFor(spec);
            if (cap == 0 && p.expectedOutputTokens() != null) {
                cap = p.expectedOutputTokens();
            }
            prepared[i] = api.prepare(spec, resolvedBaseUrl, p, cap);
            promptInputTokens[i] = TokenCounter.count(spec.tokenizer(), p.user())
                    + (p.system() == null ? 0 : TokenCounter.count(spec.tokenizer(), p.system()));
        }
        this.tls = resolvedBaseUrl.startsWith("https:");
        this.proxy = ProxySettings.forUrl(resolvedBaseUrl, System::getenv);
    }

    TargetSpec spec() {
        return spec;
    }

    TargetAggregate aggregate() {
        return aggregate;
    }

    /** Runs the warm-up then the measured phase on the given event-loop contexts. */
    Future<Void> run(List<Context> contexts) {
        int[] workersPerContext = new int[contexts.size()];
        for (int w = 0; w < load.concurrency(); w++) {
            workersPerContext[contextIndex(w, contexts.size())]++;
        }
        clients = new HttpClient[contexts.size()];
        for (int c = 0; c < contexts.size(); c++) {
            if (workersPerContext[c] > 0) {
                clients[c] = newClient(workersPerContext[c]);
            }
        }
        int warmupWorkers = Math.min(load.warmup(), load.concurrency());
        Future<Void> warmup = phase(contexts, true, load.warmup(), warmupWorkers);
        if (load.open() == null) {
            return warmup.compose(v -> phase(contexts, false, load.requests(), load.concurrency()));
        }
        return warmup.compose(v -> openPhase(contexts));
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
        if (tls) {
            // HTTP/2 when the provider offers it through ALPN, HTTP/1.1 otherwise: as the official SDKs get.
            options.setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2);
        }
        PoolOptions pool = new PoolOptions()
                .setHttp1MaxSize(poolSize)
                .setHttp2MaxSize(Math.max(1, poolSize / 100));
        return vertx.httpClientBuilder().with(options).with(pool)
                .withConnectHandler(connections::onConnected).build();
    }

    private int contextIndex(int worker, int contexts) {
        return (index + worker) % contexts;
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

    private Future<Void> phase(List<Context> contexts, boolean warmup, int total, int workers) {
        Promise<Void> done = Promise.promise();
        if (total == 0 || workers == 0) {
            done.complete();
            return done.future();
        }
        AtomicInteger started = new AtomicInteger();
        AtomicInteger activeWorkers = new AtomicInteger(workers);
        for (int w = 0; w < workers; w++) {
            int c = contextIndex(w, contexts.size());
            HttpClient client = clients[c];
            contexts.get(c).runOnContext(v -> next(client, warmup, total, started, activeWorkers, done));
        }
        return done.future();
    }

    private void next(HttpClient client, boolean warmup, int total, AtomicInteger started,
            AtomicInteger activeWorkers,
            Promise<Void> done) {
        if (stopping.getAsBoolean() || started.getAndIncrement() >= total) {
            if (activeWorkers.decrementAndGet() == 0) {
                done.complete();
            }
            return;
        }
        long sequence = nextSequence.getAndIncrement();
        int promptIndex = (int) (sequence % prompts.size());
        RequestMeasurement m = new RequestMeasurement(requestId(sequence), index, sequence, warmup,
                prompts.get(promptIndex).id(), warmup ? null : aggregate.interTokenLatencyRecorder());
        PreparedRequest request = prepared[promptIndex];
        new StreamingExchange(vertx, client, request, api.perRequestHeaders(spec, request), m, api.newDecoder(m),
                connections,
                load.timeout().toNanos(), load.stallTimeout().toNanos(), finished -> {
                    writer.submit(this, finished);
                    next(client, warmup, total, started, activeWorkers, done);
                }).start();
    }

    /**
     * The measured phase of an open loop: one dispatcher on this target's home event loop starts each request at
     * its intended time (a Netty timer with nanosecond deadlines; Vert.x timers only count milliseconds), on the
     * event loops in turn; finished requests free their in-flight slot back on the home loop.
     */
    private Future<Void> openPhase(List<Context> contexts) {
        Promise<Void> done = Promise.promise();
        long[] offsets = ArrivalSchedule.of(load.open(), load.requests());
        ContextInternal home = (ContextInternal) contexts.get(index % contexts.size());
        home.runOnContext(v -> new OpenPhase(home, contexts, offsets, done).begin());
        return done.future();
    }

    private final class OpenPhase {
        private final ContextInternal home;
        private final List<Context> contexts;
        private final long[] offsets;
        private final Promise<Void> done;
        private OpenLoopDispatcher dispatcher;
        private long pendingWakeNanos = Long.MAX_VALUE;
        private int nextContext;

        OpenPhase(ContextInternal home, List<Context> contexts, long[] offsets, Promise<Void> done) {
            this.home = home;
            this.contexts = contexts;
            this.offsets = offsets;
            this.done = done;
        }

        void begin() {
            dispatcher = new OpenLoopDispatcher(offsets, System.nanoTime(), load.concurrency(), this::startRequest,
                    null);
            wake();
        }

        private void wake() {
            pendingWakeNanos = Long.MAX_VALUE;
            if (stopping.getAsBoolean()) {
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
            boolean noMoreStarts = dispatcher.allStarted() || stopping.getAsBoolean();
            if (noMoreStarts && dispatcher.inFlight() == 0 && !done.future().isComplete()) {
                aggregate.setLateStarts(dispatcher.lateStarts());
                done.complete();
            }
        }

        private void startRequest(int index, long intendedNanos) {
            int c = nextContext;
            while (clients[c] == null) { // fewer in-flight slots than event loops: only some loops have a client
                c = (c + 1) % contexts.size();
            }
            nextContext = (c + 1) % contexts.size();
            HttpClient client = clients[c];
            long sequence = nextSequence.getAndIncrement();
            int promptIndex = (int) (sequence % prompts.size());
            RequestMeasurement m = new RequestMeasurement(requestId(sequence), TargetRunner.this.index, sequence,
                    false, prompts.get(promptIndex).id(), aggregate.interTokenLatencyRecorder());
            m.intendedStartNanos = intendedNanos;
            PreparedRequest request = prepared[promptIndex];
            contexts.get(c).runOnContext(v -> new StreamingExchange(vertx, client, request,
                    api.perRequestHeaders(spec, request), m, api.newDecoder(m), connections,
                    load.timeout().toNanos(), load.stallTimeout().toNanos(), finishedMeasurement -> {
                        writer.submit(TargetRunner.this, finishedMeasurement);
                        home.runOnContext(x -> {
                            dispatcher.onFinished();
                            wake();
                        });
                    }).start());
        }
    }

    private String requestId(long sequence) {
        return "tb-" + runId + "-" + spec.name() + "-" + sequence;
    }

    /** Called on the record writer's thread. */
    RequestRecord toRecord(RequestMeasurement m) {
        int promptIndex = (int) (m.sequence % prompts.size());
        return RequestRecord.of(m, spec.name(), spec.tokenizer(), promptInputTokens[promptIndex], spec.pricing(),
                spec.estimateAlongsideUsage());
    }
}
