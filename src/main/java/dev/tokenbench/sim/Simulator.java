package dev.tokenbench.sim;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.tokenbench.core.Seeds;
import dev.tokenbench.wire.TlsEngine;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The built-in simulated provider: streams every API it has a {@link SimApi} for, at
 * {@code /{scenario}/<the API's own path>}, on the schedule of the named {@link SimScenario}, and logs when it wrote
 * each event ({@link #log()}), which is the truth tokenbench's measurements are checked against.
 *
 * <p>The engine here is format-neutral: it routes, picks the scenario, the slow requests, the schedule, the token
 * counts and the finish reason, and keeps the log; a {@link SimApi} reads the request and its {@link SimEncoder}
 * owns every byte of the response.
 *
 * <p>A plain Vert.x HTTP server rather than a Quarkus route: it has to run inside the CLI with Quarkus HTTP off,
 * in tests without a Quarkus app, and as a load target that adds as little of its own work as possible. All request
 * handling stays on the server's event loop; only the prompt's token count runs on a worker thread.
 */
public final class Simulator {

    private static final int WARM_UP_REQUESTS = 6;
    /** Hex digits of {@link SimResponseFacts#responseId()}: 128 random bits, enough for any provider's id style. */
    private static final int RESPONSE_ID_HEX_DIGITS = 32;
    /** The same HTTP/2 settings as tokenbench's client (run/TlsSettings), for the other direction. */
    private static final int HTTP2_STREAMS_PER_CONNECTION = 100;
    private static final int HTTP2_STREAM_WINDOW_BYTES = 1 << 20;
    private static final int HTTP2_CONNECTION_WINDOW_BYTES = HTTP2_STREAMS_PER_CONNECTION * HTTP2_STREAM_WINDOW_BYTES;

    private final Vertx vertx;
    private final Map<String, ScenarioRuntime> scenarios;
    private final SimApi[] apis;
    private final SimLog log = new SimLog();
    private final HttpServer server;
    private final boolean https;

    private Simulator(Vertx vertx, SimConfig config, List<SimApi> apis, SimTls tls) {
        this.vertx = vertx;
        Map<String, ScenarioRuntime> runtimes = new LinkedHashMap<>();
        config.scenarios().forEach((name, scenario) -> runtimes.put(name, new ScenarioRuntime(name, scenario)));
        this.scenarios = Map.copyOf(runtimes);
        this.apis = apis.toArray(new SimApi[0]);
        this.https = tls != null;
        this.server = vertx.createHttpServer(serverOptions(tls)).requestHandler(this::handle);
    }

    /**
     * Plaintext HTTP/1.1 (and h2c), or https with ALPN offering h2 and HTTP/1.1. HTTP/2 streams get the windows the
     * client's have (see run/TlsSettings), so that neither side's flow control holds a stream back.
     */
    static HttpServerOptions serverOptions(SimTls tls) {
        HttpServerOptions options = new HttpServerOptions()
                .setTcpNoDelay(true)
                .setHttp2ConnectionWindowSize(HTTP2_CONNECTION_WINDOW_BYTES)
                .setInitialSettings(new Http2Settings()
                        .setMaxConcurrentStreams(HTTP2_STREAMS_PER_CONNECTION)
                        .setInitialWindowSize(HTTP2_STREAM_WINDOW_BYTES));
        if (tls == null) {
            return options;
        }
        options.setSsl(true)
                .setSslEngineOptions(TlsEngine.options())
                .setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                .setKeyCertOptions(new PemKeyCertOptions()
                        .setCertValue(Buffer.buffer(tls.certificatePem()))
                        .setKeyValue(Buffer.buffer(tls.privateKeyPem())));
        if (tls.clientCaPem() != null) {
            options.setClientAuth(ClientAuth.REQUIRED)
                    .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(tls.clientCaPem())));
        }
        return options;
    }

    /**
     * Validates the config (every error at once), loads the tokenizer and warms the request path off the event
     * loop, then listens. The server serves on one event loop: the caller's when called on a Vert.x context (a
     * verticle, a test that wants to stall it), else one Vert.x picks.
     *
     * @param port 0 picks a free port; {@link #port()} tells which
     * @param apis the APIs to speak, in routing order: a request goes to the first whose {@link SimApi#handles} is
     *             true for it
     */
    public static Future<Simulator> start(Vertx vertx, SimConfig config, String host, int port, List<SimApi> apis) {
        return start(vertx, config, host, port, apis, null);
    }

    /**
     * As the five-argument start, over https when {@code tls} is given (ALPN: h2 and HTTP/1.1), else plaintext.
     */
    public static Future<Simulator> start(Vertx vertx, SimConfig config, String host, int port, List<SimApi> apis,
            SimTls tls) {
        List<String> errors = SimConfigCheck.validate(config);
        // List.of(…).contains(null) throws, so look for a null the long way.
        if (apis == null || apis.isEmpty() || apis.stream().anyMatch(Objects::isNull)) {
            errors.add("apis: at least one API is required, and none may be null");
        }
        if (!errors.isEmpty()) {
            return Future.failedFuture(new IllegalArgumentException(
                    "invalid simulator config:\n  " + String.join("\n  ", errors)));
        }
        List<SimApi> serving = List.copyOf(apis);
        // Both take a while in a cold JVM (about a second each on 2 busy cores) and neither needs the other.
        Future<Void> tokenizerLoaded = vertx.executeBlocking(() -> {
            PromptTokenCounter.load();
            return null;
        }, false);
        Future<Void> warmedUp = vertx.executeBlocking(() -> {
            warmUpRequestCode(serving);
            return null;
        }, false).compose(warm -> warmUpServing(vertx, serving, tls));
        return Future.all(tokenizerLoaded, warmedUp).compose(ready -> {
            Simulator simulator = new Simulator(vertx, config, serving, tls);
            return simulator.server.listen(port, host).map(simulator);
        });
    }

    /** The port the server listens on (the chosen one when started with port 0). */
    public int port() {
        return server.actualPort();
    }

    /** {@code https} when started with TLS, else {@code http}. */
    public String scheme() {
        return https ? "https" : "http";
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
     * Runs each API's per-request code once off the event loop, so class loading and first-use initialisation
     * (Jackson's parser, the vocabulary, the encoders) do not land inside the first request's ttft. Only the
     * request's format is unknown here, so parsing is exercised with an empty JSON object, which an API may refuse.
     * A failed warm-up costs only that precision; a broken encoder shows itself on its first real request.
     */
    private static void warmUpRequestCode(List<SimApi> apis) {
        SimRequest request = new SimRequest("warm-up", 2, true, List.of("hi"), true);
        int[] tokens = {0, SimVocabulary.SIZE - 1};
        for (SimApi api : apis) {
            try {
                api.handles("POST", "/");
                try {
                    api.parse("/", null, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("{}"));
                } catch (SimRequestException refused) {
                    api.error(refused);
                }
                api.error(404, "warm-up", null);
                SimEncoder encoder = api.encoder(request,
                        new SimResponseFacts(newResponseId(), 0, true, true, 0));
                encoder.contentType();
                encoder.headers();
                encoder.processingTimeHeader();
                Buffer out = encoder.head();
                encoder.appendEvent(out, tokens, tokens.length, true);
                encoder.appendEvent(out, tokens, tokens.length, false);
                encoder.tail("stop", 1, tokens.length, tokens.length);
            } catch (RuntimeException ignored) {
                // see above: not worth failing the start for
            }
        }
        requestRandom(0, 0).nextInt(SimVocabulary.SIZE);
        randomHex(RESPONSE_ID_HEX_DIGITS);
    }

    /**
     * Streams a few responses from a throwaway simulator on a loopback port before the real one listens. In a cold
     * JVM the first request's path through Vert.x and Netty loads classes for about 10 ms, which would put the first
     * token of a short-ttft scenario visibly late; class loading is per JVM, so warming a throwaway instance warms
     * the real one, without touching its log or its scenarios' request counters. It speaks the first API that offers
     * a {@link SimApi#sample()}, with a short reasoning phase so that both kinds of event are written; the engine's
     * path is the same for every API. A failed warm-up costs only that precision, so it never fails the start.
     */
    private static Future<Void> warmUpServing(Vertx vertx, List<SimApi> apis, SimTls tls) {
        SimApi.Sample sample = null;
        SimApi sampled = null;
        for (SimApi api : apis) {
            sample = api.sample();
            if (sample != null) {
                sampled = api;
                break;
            }
        }
        if (sample == null) {
            return Future.succeededFuture();
        }
        SimScenario scenario = SimScenario.builder()
                .name("warm-up")
                .headersDelay(Duration.ZERO)
                .ttft(Duration.ofMillis(1))
                .tokensPerSecond(2_000)
                .jitter(0)
                .tokensPerChunk(1)
                .outputTokens(4)
                .includeUsage(true)
                .slowShare(0)
                .slowTtft(Duration.ZERO)
                .slowTokensPerSecond(2_000)
                .seed(0)
                .reasoningTokens(2)
                .reasoningVisible(true)
                .build();
        Simulator throwaway = new Simulator(vertx, new SimConfig(Map.of(scenario.name(), scenario)),
                List.of(sampled), tls == null ? null : new SimTls(tls.certificatePem(), tls.privateKeyPem(), null));
        Buffer body = sample.body();
        String path = "/" + scenario.name() + sample.path();
        // Over https both versions a client may pick: their server code (TLS, h2 frames) loads here too.
        List<HttpVersion> versions = tls == null ? List.of(HttpVersion.HTTP_1_1)
                : List.of(HttpVersion.HTTP_1_1, HttpVersion.HTTP_2);
        return throwaway.server.listen(0, "127.0.0.1").compose(listening -> {
            Future<Void> requests = Future.succeededFuture();
            for (HttpVersion version : versions) {
                HttpClientOptions options = new HttpClientOptions().setProtocolVersion(version);
                if (tls != null) {
                    options.setSsl(true).setSslEngineOptions(TlsEngine.options()).setTrustAll(true)
                            .setVerifyHost(false).setUseAlpn(true)
                            .setAlpnVersions(List.of(version));
                }
                HttpClient client = vertx.createHttpClient(options);
                for (int i = 0; i < WARM_UP_REQUESTS; i++) {
                    requests = requests.compose(previous -> client
                            .request(HttpMethod.POST, throwaway.port(), "127.0.0.1", path)
                            .compose(request -> request.send(body))
                            .compose(HttpClientResponse::body)
                            .mapEmpty());
                }
                requests = requests.eventually(() -> client.close());
            }
            return requests;
        }).eventually(() -> throwaway.server.close()).otherwiseEmpty();
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

        String path = request.path();
        String method = request.method().name();
        int scenarioEnd = scenarioEnd(path);
        String apiPath = scenarioEnd < 0 ? null : path.substring(scenarioEnd);
        SimApi api = apiPath == null ? null : apiFor(method, apiPath);
        if (api == null) {
            send(response, notFound("Invalid URL (" + method + " " + path + ")"));
            return;
        }
        String scenarioName = path.substring(1, scenarioEnd);
        ScenarioRuntime scenario = scenarios.get(scenarioName);
        if (scenario == null) {
            send(response, api.error(404, "The scenario `" + scenarioName + "` does not exist in this simulator."
                    + " Known scenarios: " + String.join(", ", new TreeSet<>(scenarios.keySet())) + ".",
                    "model_not_found"));
            return;
        }
        SimStream stream;
        try {
            SimRequest simRequest = api.parse(apiPath, request.query(), request.headers(), body);
            long requestIndex = scenario.requestCounter.getAndIncrement();
            SimFault fault = scenario.scenario.faults().pick(scenario.scenario.seed(), requestIndex);
            if (fault != null && fault.kind() == SimFault.Kind.HTTP_ERROR) {
                sendAfter(response, httpError(api, fault), scenario.scenario.headersDelay());
                return;
            }
            if (scenario.scenario.allOut()) {
                // All out is for the client's own speed: HTTP errors aside, the body is the one encoded once.
                scenario.serveAllOut(vertx, log, response, requestId, receivedNanos, api, simRequest);
                return;
            }
            if (scenario.scenario.prefill().active()) {
                scenario.streamAfterPrefill(vertx, log, response, requestId, receivedNanos, api, simRequest,
                        requestIndex, fault);
                return;
            }
            stream = scenario.stream(vertx, log, response, requestId, receivedNanos, api, simRequest, requestIndex,
                    fault);
        } catch (SimRequestException refused) {
            send(response, api.error(refused));
            return;
        } catch (RuntimeException e) {
            // A fault of the simulator, not of the request: answer it rather than leave the client hanging.
            send(response, api.error(500, "The simulator failed to serve " + api.api() + ": " + e, null));
            throw e;
        }
        stream.begin();
    }

    /**
     * The index of the '/' that ends {@code /{scenario}} in a request path, so that the scenario is
     * {@code path.substring(1, end)} and the API's path {@code path.substring(end)}; -1 when the path has no
     * non-empty first segment followed by more path.
     */
    static int scenarioEnd(String path) {
        if (path == null || path.length() < 3 || path.charAt(0) != '/') {
            return -1;
        }
        int end = path.indexOf('/', 1);
        return end > 1 ? end : -1;
    }

    /** The first API that serves {@code method path}, or null. */
    SimApi apiFor(String method, String path) {
        for (SimApi api : apis) {
            if (api.handles(method, path)) {
                return api;
            }
        }
        return null;
    }

    /**
     * The answer to a URL no API serves: no API to shape it, so the error body most clients parse (OpenAI's), the
     * simulator's answer to unknown URLs since before it spoke other APIs.
     */
    static SimError notFound(String message) {
        String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(message));
        String body = "{\"error\":{\"message\":\"" + escaped
                + "\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}";
        return new SimError(404, "application/json", Buffer.buffer(body), Map.of());
    }

    /** The provider's error response for an http-error fault, with its retry-after when the fault sets one. */
    static SimError httpError(SimApi api, SimFault fault) {
        String message = fault.message() != null ? fault.message() : defaultMessage(fault.status());
        SimError error = api.error(fault.status(), message, null);
        if (fault.retryAfter() == null) {
            return error;
        }
        Map<String, String> headers = new LinkedHashMap<>(error.headers() == null ? Map.of() : error.headers());
        long millis = fault.retryAfter().toMillis();
        headers.put("retry-after", Long.toString((millis + 999) / 1000));
        headers.put("retry-after-ms", Long.toString(millis));
        return new SimError(error.status(), error.contentType(), error.body(), headers);
    }

    /** What providers typically say for a status (the API's own error shape is applied by {@link SimApi#error}). */
    static String defaultMessage(int status) {
        return switch (status) {
            case 400 -> "Invalid request (simulated fault).";
            case 401 -> "Incorrect API key provided (simulated fault).";
            case 403 -> "You do not have access to this resource (simulated fault).";
            case 404 -> "The model does not exist (simulated fault).";
            case 429 -> "Rate limit reached for requests. Please try again later (simulated fault).";
            case 503 -> "The service is temporarily unavailable (simulated fault).";
            case 529 -> "Overloaded (simulated fault).";
            default -> status >= 500 ? "The server had an error while processing your request (simulated fault)."
                    : "The request was refused (simulated fault).";
        };
    }

    private void sendAfter(HttpServerResponse response, SimError error, Duration delay) {
        long delayMs = delay.toMillis();
        if (delayMs < 1) {
            send(response, error);
        } else {
            vertx.setTimer(delayMs, id -> {
                if (!response.closed()) {
                    send(response, error);
                }
            });
        }
    }

    static void send(HttpServerResponse response, SimError error) {
        response.setStatusCode(error.status()).putHeader("content-type", error.contentType());
        if (error.headers() != null) {
            error.headers().forEach(response::putHeader);
        }
        response.end(error.body());
    }

    /** A fresh {@link SimResponseFacts#responseId()}. */
    static String newResponseId() {
        return randomHex(RESPONSE_ID_HEX_DIGITS);
    }

    private static String newRequestId() {
        return "req_" + randomHex(32);
    }

    private static String randomHex(int digits) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder hex = new StringBuilder(digits);
        for (int remaining = digits; remaining > 0; remaining -= 16) {
            appendHex(hex, random.nextLong(), Math.min(16, remaining));
        }
        return hex.toString();
    }

    /** Appends the low {@code digits} hex digits of {@code value}, most significant first. */
    public static void appendHex(StringBuilder out, long value, int digits) {
        for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
            out.append(Character.forDigit((int) (value >>> shift) & 0xF, 16));
        }
    }

    /**
     * The generator for the n-th request of a scenario. Its first draw decides slow or not, the rest drive jitter
     * and word choice: the same seed gives the same sequence of requests, whatever the timing.
     */
    static SplittableRandom requestRandom(long scenarioSeed, long requestIndex) {
        return new SplittableRandom(Seeds.forIndex(scenarioSeed, requestIndex));
    }

    static boolean isSlow(SplittableRandom requestRandom, double slowShare) {
        return requestRandom.nextDouble() < slowShare;
    }

}
