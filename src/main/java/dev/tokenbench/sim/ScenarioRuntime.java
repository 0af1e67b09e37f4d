package dev.tokenbench.sim;

import dev.tokenbench.core.Seeds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A scenario plus what the simulator keeps for it at run time. */
final class ScenarioRuntime {
    /** Output tokens when neither the scenario nor the request sets a number. */
    private static final int DEFAULT_OUTPUT_TOKENS = 64;
    /**
     * Bounds the all-out caches: a benchmark has a handful of response shapes and prompts; a client that varies
     * them without end gets its bodies encoded per request instead of growing the heap.
     */
    private static final int ALL_OUT_CACHE_ENTRIES = 1024;

    final String name;
    final SimScenario scenario;
    final AtomicLong requestCounter = new AtomicLong();
    /** Requests of this scenario whose stream has not ended: what ttft-per-in-flight queues behind. */
    final AtomicInteger inFlight = new AtomicInteger();
    /** All-out only: each response shape's body, encoded once. */
    final Map<AllOutShape, AllOutBody> allOutBodies = new ConcurrentHashMap<>();
    /** All-out only: prompt token counts by prompt, so a repeated prompt is not tokenized again. */
    final Map<List<String>, Integer> allOutPromptTokens = new ConcurrentHashMap<>();
    /** Prefix caching only: the prompt prefixes seen. */
    final SimPrefixCache prefixCache = new SimPrefixCache();

    ScenarioRuntime(String name, SimScenario scenario) {
        this.name = name;
        this.scenario = scenario;
    }

    int outputTokens(SimRequest request) {
        Integer maxTokens = request.maxTokens();
        int outputTokens;
        if (scenario.outputTokens() != null) {
            // A real endpoint never exceeds the request's limit, whatever the scenario would say.
            outputTokens = maxTokens == null
                    ? scenario.outputTokens() : Math.min(scenario.outputTokens(), maxTokens);
        } else {
            outputTokens = maxTokens == null ? DEFAULT_OUTPUT_TOKENS : maxTokens;
        }
        // An API that lets a zero or negative cap through still gets a well-formed (empty) stream.
        return Math.max(0, outputTokens);
    }

    static String finishReason(SimRequest request, int outputTokens) {
        Integer maxTokens = request.maxTokens();
        return maxTokens != null && outputTokens == maxTokens ? "length" : "stop";
    }

    /**
     * Serves an all-out request: the body for its shape (API, model, cap, token counts, usage) is encoded on the
     * first request of that shape and written again for every later one; the prompt's token count, which the
     * usage needs, is counted once per prompt on a worker thread.
     */
    void serveAllOut(Vertx vertx, SimLog log, HttpServerResponse response, String requestId,
            long receivedNanos, SimApi api, SimRequest request) {
        boolean sendsUsage = request.includeUsage() && scenario.includeUsage();
        Integer promptTokens = sendsUsage ? allOutPromptTokens.get(request.promptTexts()) : Integer.valueOf(0);
        inFlight.incrementAndGet();
        if (promptTokens != null) {
            startAllOut(log, response, requestId, receivedNanos, api, request, sendsUsage, promptTokens);
            return;
        }
        vertx.executeBlocking(() -> PromptTokenCounter.count(request.promptTexts()), false).onComplete(counted -> {
            int count = counted.succeeded() ? counted.result() : 0;
            if (allOutPromptTokens.size() < ALL_OUT_CACHE_ENTRIES) {
                allOutPromptTokens.put(request.promptTexts(), count);
            }
            startAllOut(log, response, requestId, receivedNanos, api, request, sendsUsage, count);
        });
    }

    private void startAllOut(SimLog log, HttpServerResponse response, String requestId, long receivedNanos,
            SimApi api, SimRequest request, boolean sendsUsage, int promptTokens) {
        AllOutBody body;
        try {
            int outputTokens = outputTokens(request);
            boolean reasoningStreamed = scenario.reasoningTokens() > 0 && scenario.reasoningVisible()
                    && request.wantsReasoning();
            AllOutShape shape = AllOutShape.builder()
                    .api(api)
                    .model(request.model())
                    .maxTokens(request.maxTokens())
                    .outputTokens(outputTokens)
                    .reasoningStreamed(reasoningStreamed)
                    .sendsUsage(sendsUsage)
                    .promptTokens(promptTokens)
                    .build();
            body = allOutBodies.get(shape);
            if (body == null) {
                body = encodeAllOut(api, request, shape);
                if (allOutBodies.size() < ALL_OUT_CACHE_ENTRIES) {
                    allOutBodies.putIfAbsent(shape, body);
                }
            }
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            Simulator.send(response, api.error(500, "The simulator failed to serve " + api.api() + ": " + e, null));
            throw e;
        }
        new AllOutStream(new SimExchange(log, response, requestId, name, receivedNanos, inFlight::decrementAndGet), body)
                .begin();
    }

    private AllOutBody encodeAllOut(SimApi api, SimRequest request, AllOutShape shape) {
        SimSchedule schedule = SimSchedule.builder()
                .headersDelayNanos(0)
                .ttftNanos(0)
                .gapNanos(0)
                .jitter(0)
                .tokensPerChunk(scenario.tokensPerChunk())
                .outputTokens(shape.outputTokens())
                .reasoningTokens(scenario.reasoningTokens())
                .reasoningStreamed(shape.reasoningStreamed())
                .build();
        SimEncoder encoder = api.encoder(request, new SimResponseFacts(Simulator.newResponseId(),
                System.currentTimeMillis() / 1000, shape.sendsUsage(), shape.reasoningStreamed(),
                scenario.seed()));
        return new AllOutBody(encoder, schedule, finishReason(request, shape.outputTokens()), shape.promptTokens(),
                Seeds.mix64(scenario.seed()));
    }

    /**
     * A stream whose ttft and usage depend on the prompt ({@link SimScenario#prefill()}): the prompt is counted and
     * looked up in the prefix cache on a worker thread first; the schedule still runs from {@code receivedNanos}.
     */
    void streamAfterPrefill(Vertx vertx, SimLog log, HttpServerResponse response, String requestId,
            long receivedNanos, SimApi api, SimRequest request, long requestIndex, SimFault fault) {
        boolean useCache = scenario.prefill().prefixCache();
        vertx.executeBlocking(() -> prefixCache.analyse(request.promptTexts(), useCache), false)
                .onComplete(analysed -> {
                    SimPrefixCache.Prefill prefill = analysed.succeeded() ? analysed.result()
                            : new SimPrefixCache.Prefill(0, 0);
                    try {
                        stream(vertx, log, response, requestId, receivedNanos, api, request, requestIndex, fault,
                                prefill).begin();
                    } catch (RuntimeException e) {
                        Simulator.send(response, api.error(500, "The simulator failed to serve " + api.api() + ": "
                                + e, null));
                    }
                });
    }

    SimStream stream(Vertx vertx, SimLog log, HttpServerResponse response, String requestId,
            long receivedNanos, SimApi api, SimRequest request, long requestIndex, SimFault fault) {
        return stream(vertx, log, response, requestId, receivedNanos, api, request, requestIndex, fault, null);
    }

    /** @param prefill the prompt's counted size and cached part, or null: counted later, for the usage only */
    private SimStream stream(Vertx vertx, SimLog log, HttpServerResponse response, String requestId,
            long receivedNanos, SimApi api, SimRequest request, long requestIndex, SimFault fault,
            SimPrefixCache.Prefill prefill) {
        SplittableRandom random = Simulator.requestRandom(scenario.seed(), requestIndex);
        boolean slow = Simulator.isSlow(random, scenario.slowShare());

        int outputTokens = outputTokens(request);
        String finishReason = finishReason(request, outputTokens);

        int reasoningTokens = scenario.reasoningTokens();
        boolean reasoningStreamed = reasoningTokens > 0 && scenario.reasoningVisible() && request.wantsReasoning();
        double tokensPerSecond = slow ? scenario.slowTokensPerSecond() : scenario.tokensPerSecond();
        long prefillNanos = prefill == null ? 0
                : scenario.prefill().prefillNanos(prefill.promptTokens() - prefill.cachedTokens());
        long queuedNanos = scenario.ttftPerInFlight().toNanos() * inFlight.get() + prefillNanos;
        long slowHeadersNanos = fault != null && fault.kind() == SimFault.Kind.SLOW_HEADERS
                ? fault.duration().toNanos() : 0;
        SimSchedule schedule = SimSchedule.builder()
                .headersDelayNanos(scenario.headersDelay().toNanos() + slowHeadersNanos)
                .ttftNanos((slow ? scenario.slowTtft() : scenario.ttft()).toNanos() + queuedNanos + slowHeadersNanos)
                .gapNanos(scenario.tokensPerChunk() * 1e9 / tokensPerSecond)
                .jitter(scenario.jitter())
                .tokensPerChunk(scenario.tokensPerChunk())
                .outputTokens(outputTokens)
                .reasoningTokens(reasoningTokens)
                .reasoningStreamed(reasoningStreamed)
                .pauses(new SimSchedule.Pauses(scenario.pauseEveryEvents(), scenario.pause().toNanos(),
                        scenario.reasoningAtOnce()))
                .build();

        boolean sendsUsage = request.includeUsage() && scenario.includeUsage();
        SimEncoder encoder = api.encoder(request, new SimResponseFacts(Simulator.newResponseId(),
                System.currentTimeMillis() / 1000, sendsUsage, reasoningStreamed, scenario.seed()));
        // Last, after everything that can throw: the count runs on a worker whatever happens to the response.
        Future<Integer> promptTokens = !sendsUsage ? Future.succeededFuture(0)
                : prefill != null ? Future.succeededFuture(prefill.promptTokens())
                : vertx.executeBlocking(() -> PromptTokenCounter.count(request.promptTexts()), false);
        inFlight.incrementAndGet();
        SimExchange exchange = new SimExchange(log, response, requestId, name, receivedNanos,
                inFlight::decrementAndGet);
        return new SimStream(vertx, exchange, encoder, new SimStream.Plan(slow, schedule, finishReason, random, fault),
                promptTokens).withCachedPromptTokens(prefill == null ? 0 : prefill.cachedTokens());
    }

    /** What an all-out response's bytes depend on: equal shapes get the same body. */
    private record AllOutShape(SimApi api, String model, Integer maxTokens, int outputTokens,
            boolean reasoningStreamed, boolean sendsUsage, int promptTokens) {
        /** AllOutShape's fields by name, instead of one long positional call. */
        public static Builder builder() {
            return new Builder();
        }

        /** Builds a {@link AllOutShape} field by field. Unset fields are null, 0 or false. */
        public static final class Builder {
            private SimApi api;
            private String model;
            private Integer maxTokens;
            private int outputTokens;
            private boolean reasoningStreamed;
            private boolean sendsUsage;
            private int promptTokens;

            private Builder() {
            }

            public Builder api(SimApi api) {
                this.api = api;
                return this;
            }

            public Builder model(String model) {
                this.model = model;
                return this;
            }

            public Builder maxTokens(Integer maxTokens) {
                this.maxTokens = maxTokens;
                return this;
            }

            public Builder outputTokens(int outputTokens) {
                this.outputTokens = outputTokens;
                return this;
            }

            public Builder reasoningStreamed(boolean reasoningStreamed) {
                this.reasoningStreamed = reasoningStreamed;
                return this;
            }

            public Builder sendsUsage(boolean sendsUsage) {
                this.sendsUsage = sendsUsage;
                return this;
            }

            public Builder promptTokens(int promptTokens) {
                this.promptTokens = promptTokens;
                return this;
            }

            /** The one place the canonical constructor is called. */
            public AllOutShape build() {
                return new AllOutShape(api, model, maxTokens, outputTokens, reasoningStreamed, sendsUsage,
                        promptTokens);
            }
        }
    }
}
