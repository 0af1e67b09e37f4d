package dev.tokenbench.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The built-in simulated provider: streams OpenAI chat completions at {@code POST /{scenario}/v1/chat/completions}
 * on the schedule of the named {@link SimScenario}, and logs when it wrote each event ({@link #log()}), which is the
 * truth tokenbench's measurements are checked against.
 *
 * <p>A plain Vert.x HTTP server rather than a Quarkus route: it has to run inside the CLI with Quarkus HTTP off,
 * in tests without a Quarkus app, and as a load target that adds as little of its own work as possible. All request
 * handling stays on the server's event loop; only the prompt's token count runs on a worker thread.
 */
public final class Simulator {

    private static final String CHAT_COMPLETIONS_SUFFIX = "/v1/chat/completions";
    private static final int DEFAULT_OUTPUT_TOKENS = 64;
    private static final int WARM_UP_REQUESTS = 6;
    private static final char[] ALPHANUMERIC =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final Vertx vertx;
    private final Map<String, ScenarioRuntime> scenarios;
    private final SimLog log = new SimLog();
    private final HttpServer server;

    private Simulator(Vertx vertx, SimConfig config) {
        this.vertx = vertx;
        Map<String, ScenarioRuntime> runtimes = new LinkedHashMap<>();
        config.scenarios().forEach((name, scenario) -> runtimes.put(name, new ScenarioRuntime(name, scenario)));
        this.scenarios = Map.copyOf(runtimes);
        this.server = vertx.createHttpServer().requestHandler(this::handle);
    }

    /**
     * Validates the config (every error at once), loads the tokenizer and warms the request path off the event
     * loop, then listens. The server serves on one event loop: the caller's when called on a Vert.x context (a
     * verticle, a test that wants to stall it), else one Vert.x picks.
     *
     * @param port 0 picks a free port; {@link #port()} tells which
     */
    public static Future<Simulator> start(Vertx vertx, SimConfig config, String host, int port) {
        List<String> errors = validate(config);
        if (!errors.isEmpty()) {
            return Future.failedFuture(new IllegalArgumentException(
                    "invalid simulator config:\n  " + String.join("\n  ", errors)));
        }
        // Both take a while in a cold JVM (about a second each on 2 busy cores) and neither needs the other.
        Future<Void> tokenizerLoaded = vertx.executeBlocking(() -> {
            PromptTokenCounter.load();
            return null;
        }, false);
        Future<Void> warmedUp = vertx.executeBlocking(() -> {
            warmUpRequestCode();
            return null;
        }, false).compose(warm -> warmUpServing(vertx));
        return Future.all(tokenizerLoaded, warmedUp).compose(ready -> {
            Simulator simulator = new Simulator(vertx, config);
            return simulator.server.listen(port, host).map(simulator);
        });
    }

    /** The port the server listens on (the chosen one when started with port 0). */
    public int port() {
        return server.actualPort();
    }

    public SimLog log() {
        return log;
    }

    /** Stops listening, drops open streams (they are logged as not completed), then flushes the JSONL sink. */
    public Future<Void> close() {
        return server.close().compose(closed -> vertx.executeBlocking(() -> {
            log.stopJsonl();
            return null;
        }, false)).mapEmpty();
    }

    /**
     * Runs the per-request code once off the event loop, so class loading and first-use initialisation (Jackson's
     * parser, the vocabulary, the encoder) do not land inside the first request's ttft.
     */
    private static void warmUpRequestCode() throws SimRequestException {
        OpenAiChatRequest request = OpenAiChatRequest.parse(Buffer.buffer("{\"model\":\"warm-up\",\"stream\":true,"
                + "\"max_tokens\":1,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        OpenAiChatSimEncoder encoder = new OpenAiChatSimEncoder(newCompletionId(), 0, request.model(), "fp_0", true);
        encoder.tail("stop", request.promptTexts().size(), SimVocabulary.SIZE);
        OpenAiChatSimEncoder.errorBody("warm-up", "invalid_request_error", null, null);
        requestRandom(0, 0).nextInt(SimVocabulary.SIZE);
        newRequestId();
    }

    /**
     * Streams a few responses from a throwaway simulator on a loopback port before the real one listens. In a cold
     * JVM the first request's path through Vert.x and Netty loads classes for about 10 ms, which would put the first
     * token of a short-ttft scenario visibly late; class loading is per JVM, so warming a throwaway instance warms
     * the real one, without touching its log or its scenarios' request counters. A failed warm-up costs only that
     * precision, so it never fails the start.
     */
    private static Future<Void> warmUpServing(Vertx vertx) {
        SimScenario scenario = new SimScenario("warm-up", Duration.ZERO, Duration.ofMillis(1), 2_000, 0, 1, 4,
                true, 0, Duration.ZERO, 2_000, 0);
        Simulator throwaway = new Simulator(vertx, new SimConfig(Map.of(scenario.name(), scenario)));
        // No usage: counting prompt tokens would wait for the tokenizer, which loads meanwhile.
        Buffer body = Buffer.buffer("{\"model\":\"warm-up\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        return throwaway.server.listen(0, "127.0.0.1").compose(listening -> {
            HttpClient client = vertx.createHttpClient();
            Future<Void> requests = Future.succeededFuture();
            for (int i = 0; i < WARM_UP_REQUESTS; i++) {
                requests = requests.compose(previous -> client
                        .request(HttpMethod.POST, throwaway.port(), "127.0.0.1", "/warm-up/v1/chat/completions")
                        .compose(request -> request.send(body))
                        .compose(HttpClientResponse::body)
                        .mapEmpty());
            }
            return requests.eventually(() -> client.close());
        }).eventually(() -> throwaway.server.close()).otherwiseEmpty();
    }

    static List<String> validate(SimConfig config) {
        List<String> errors = new ArrayList<>();
        if (config == null || config.scenarios() == null || config.scenarios().isEmpty()) {
            errors.add("scenarios: at least one scenario is required");
            return errors;
        }
        config.scenarios().forEach((name, scenario) -> {
            String at = "scenarios." + name + ": ";
            if (name == null || name.isEmpty() || name.contains("/")) {
                errors.add(at + "the name must be one non-empty path segment");
            }
            if (scenario == null) {
                errors.add(at + "missing");
                return;
            }
            requireNonNegative(errors, at + "headers-delay", scenario.headersDelay());
            requireNonNegative(errors, at + "ttft", scenario.ttft());
            requireNonNegative(errors, at + "slow-ttft", scenario.slowTtft());
            requirePositiveRate(errors, at + "tokens-per-second", scenario.tokensPerSecond());
            requirePositiveRate(errors, at + "slow-tokens-per-second", scenario.slowTokensPerSecond());
            requireShare(errors, at + "jitter", scenario.jitter());
            requireShare(errors, at + "slow-share", scenario.slowShare());
            if (scenario.tokensPerChunk() < 1) {
                errors.add(at + "tokens-per-chunk must be at least 1, got " + scenario.tokensPerChunk());
            }
            if (scenario.outputTokens() != null && scenario.outputTokens() < 1) {
                errors.add(at + "output-tokens must be at least 1 when set, got " + scenario.outputTokens());
            }
        });
        return errors;
    }

    private static void requireNonNegative(List<String> errors, String field, Duration value) {
        if (value == null || value.isNegative()) {
            errors.add(field + " must be a duration >= 0, got " + value);
        }
    }

    private static void requirePositiveRate(List<String> errors, String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            errors.add(field + " must be a finite number > 0, got " + value);
        }
    }

    private static void requireShare(List<String> errors, String field, double value) {
        if (!(value >= 0 && value <= 1)) {
            errors.add(field + " must be between 0 and 1, got " + value);
        }
    }

    private void handle(HttpServerRequest request) {
        // Receipt is when the request's head arrived: the client's ttft clock started before that, never after.
        long receivedNanos = System.nanoTime();
        request.body().onComplete(body -> {
            if (body.succeeded()) {
                serve(request, receivedNanos, body.result());
            }
            // else the connection broke before the request was complete: nothing was served, nothing to log
        });
    }

    private void serve(HttpServerRequest request, long receivedNanos, Buffer body) {
        HttpServerResponse response = request.response();
        String requestId = request.getHeader("x-request-id");
        if (requestId == null || requestId.isBlank()) {
            requestId = newRequestId();
        }
        response.putHeader("x-request-id", requestId);

        String scenarioName = scenarioNameOf(request.path());
        if (request.method() != HttpMethod.POST || scenarioName == null) {
            sendError(response, 404, "Invalid URL (" + request.method() + " " + request.path() + ")", null, null);
            return;
        }
        ScenarioRuntime scenario = scenarios.get(scenarioName);
        if (scenario == null) {
            sendError(response, 404, "The scenario `" + scenarioName + "` does not exist in this simulator."
                    + " Known scenarios: " + String.join(", ", new TreeSet<>(scenarios.keySet())) + ".",
                    null, "model_not_found");
            return;
        }
        OpenAiChatRequest chatRequest;
        try {
            chatRequest = OpenAiChatRequest.parse(body);
        } catch (SimRequestException e) {
            sendError(response, e.statusCode, e.getMessage(), e.param, e.code);
            return;
        }
        scenario.stream(vertx, log, response, requestId, receivedNanos, chatRequest).begin();
    }

    /** "/{scenario}/v1/chat/completions" → scenario; anything else → null. */
    static String scenarioNameOf(String path) {
        if (path == null || !path.startsWith("/") || !path.endsWith(CHAT_COMPLETIONS_SUFFIX)) {
            return null;
        }
        int end = path.length() - CHAT_COMPLETIONS_SUFFIX.length();
        if (end <= 1) {
            return null;
        }
        String name = path.substring(1, end);
        return name.indexOf('/') >= 0 ? null : name;
    }

    private static void sendError(HttpServerResponse response, int statusCode, String message, String param,
            String code) {
        response.setStatusCode(statusCode)
                .putHeader("content-type", "application/json")
                .end(OpenAiChatSimEncoder.errorBody(message, "invalid_request_error", param, code));
    }

    private static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder id = new StringBuilder(36).append("req_");
        appendHex(id, random.nextLong(), 16);
        appendHex(id, random.nextLong(), 16);
        return id.toString();
    }

    private static String newCompletionId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder id = new StringBuilder(38).append("chatcmpl-");
        for (int i = 0; i < 29; i++) {
            id.append(ALPHANUMERIC[random.nextInt(ALPHANUMERIC.length)]);
        }
        return id.toString();
    }

    private static void appendHex(StringBuilder out, long value, int digits) {
        for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
            out.append(Character.forDigit((int) (value >>> shift) & 0xF, 16));
        }
    }

    /**
     * The generator for the n-th request of a scenario. Its first draw decides slow or not, the rest drive jitter
     * and word choice: the same seed gives the same sequence of requests, whatever the timing.
     */
    static SplittableRandom requestRandom(long scenarioSeed, long requestIndex) {
        return new SplittableRandom(mix64(scenarioSeed ^ mix64(requestIndex + 0x9E3779B97F4A7C15L)));
    }

    static boolean isSlow(SplittableRandom requestRandom, double slowShare) {
        return requestRandom.nextDouble() < slowShare;
    }

    /** MurmurHash3's 64-bit finalizer: neighbouring seeds and indexes give unrelated generators. */
    private static long mix64(long value) {
        value = (value ^ (value >>> 33)) * 0xff51afd7ed558ccdL;
        value = (value ^ (value >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return value ^ (value >>> 33);
    }

    /** A scenario plus what the simulator keeps for it at run time. */
    private static final class ScenarioRuntime {
        final String name;
        final SimScenario scenario;
        final String systemFingerprint;
        final AtomicLong requestCounter = new AtomicLong();

        ScenarioRuntime(String name, SimScenario scenario) {
            this.name = name;
            this.scenario = scenario;
            StringBuilder fingerprint = new StringBuilder(13).append("fp_");
            appendHex(fingerprint, mix64(scenario.seed()), 10);
            this.systemFingerprint = fingerprint.toString();
        }

        SimStream stream(Vertx vertx, SimLog log, HttpServerResponse response, String requestId,
                long receivedNanos, OpenAiChatRequest request) {
            SplittableRandom random = requestRandom(scenario.seed(), requestCounter.getAndIncrement());
            boolean slow = isSlow(random, scenario.slowShare());

            int outputTokens;
            if (scenario.outputTokens() != null) {
                // A real endpoint never exceeds the request's limit, whatever the scenario would say.
                outputTokens = request.maxTokens() == null
                        ? scenario.outputTokens() : Math.min(scenario.outputTokens(), request.maxTokens());
            } else {
                outputTokens = request.maxTokens() == null ? DEFAULT_OUTPUT_TOKENS : request.maxTokens();
            }
            String finishReason = request.maxTokens() != null && outputTokens == request.maxTokens()
                    ? "length" : "stop";

            double tokensPerSecond = slow ? scenario.slowTokensPerSecond() : scenario.tokensPerSecond();
            SimSchedule schedule = new SimSchedule(
                    scenario.headersDelay().toNanos(),
                    (slow ? scenario.slowTtft() : scenario.ttft()).toNanos(),
                    scenario.tokensPerChunk() * 1e9 / tokensPerSecond,
                    scenario.jitter(),
                    scenario.tokensPerChunk(),
                    outputTokens);

            boolean sendsUsage = request.includeUsage() && scenario.includeUsage();
            Future<Integer> promptTokens = sendsUsage
                    ? vertx.executeBlocking(() -> PromptTokenCounter.count(request.promptTexts()), false)
                    : Future.succeededFuture(0);
            OpenAiChatSimEncoder encoder = new OpenAiChatSimEncoder(newCompletionId(),
                    System.currentTimeMillis() / 1000, request.model(), systemFingerprint, sendsUsage);
            return new SimStream(vertx, log, response, encoder, requestId, name, slow, receivedNanos, schedule,
                    finishReason, promptTokens, random);
        }
    }
}
