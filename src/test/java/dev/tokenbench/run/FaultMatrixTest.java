package dev.tokenbench.run;

import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.provider.ProviderRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every fault the simulator can play, on every API, through the real client (RunEngine → TargetRunner →
 * StreamingExchange → the API's decoder) against an in-process simulator on 127.0.0.1. Per fault, one run holds
 * all eight APIs side by side, each with its own scenario whose rule picks every second request: request 0 is
 * clean, request 1 gets the fault, request 2 is clean again. So each case checks the fault's outcome (the table
 * of issue 6), what the record keeps of it (status, retry-after, message, the timings measured before it), and
 * that the run went on: the request after the fault is ok and the run is done. Timeouts and stalls are a few
 * hundred milliseconds, so the whole matrix takes seconds.
 */
class FaultMatrixTest {
    /** The eight APIs: target line (base URL {@code sim://f-<name>}) and the decoder's event or frame bound. */
    record Api(String name, String target, int boundBytes) {
        boolean sse() {
            return !name.equals("bedrock");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Api> APIS = List.of(
            new Api("chat", "{name: chat, api: openai-chat, base-url: 'sim://f-chat/v1', model: gpt-4.1-mini}",
                    4 << 20),
            new Api("responses", "{name: responses, api: openai-responses, base-url: 'sim://f-responses/v1', "
                    + "model: o4-mini}", 8 << 20),
            new Api("azure", "{name: azure, api: azure-openai, base-url: 'sim://f-azure', deployment: gpt-4.1-mini}",
                    4 << 20),
            new Api("azure-responses", "{name: azure-responses, api: azure-openai-responses, "
                    + "base-url: 'sim://f-azure-responses', deployment: gpt-4.1-mini}", 8 << 20),
            new Api("anthropic", "{name: anthropic, api: anthropic, base-url: 'sim://f-anthropic', "
                    + "model: claude-sonnet-4-5}", 4 << 20),
            new Api("gemini", "{name: gemini, api: gemini, base-url: 'sim://f-gemini', model: gemini-2.5-flash}",
                    4 << 20),
            new Api("vertex", "{name: vertex, api: vertex-gemini, base-url: 'sim://f-vertex', "
                    + "model: gemini-2.5-flash, project: p, location: us-central1}", 4 << 20),
            new Api("bedrock", "{name: bedrock, api: bedrock-converse, base-url: 'sim://f-bedrock', "
                    + "model: 'openai.gpt-oss-120b-1:0'}", 16 << 20));

    /** Tokens per clean response (one per event); the stream faults strike after {@link #AFTER} of them. */
    static final int TOKENS = 16;
    static final int AFTER = 3;

    /**
     * One row of the matrix.
     *
     * @param rule     the fault rule for an API (YAML flow mapping without its selection)
     * @param load     timeout and stall-timeout
     * @param expected the faulty request's outcome on an API
     * @param check    more checks on the faulty record
     */
    record Case(String name, Function<Api, String> rule, String load, Function<Api, Outcome> expected,
            java.util.function.BiConsumer<Api, RequestRecord> check) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String RELAXED = "timeout: 5s, stall-timeout: 2s";
    private static final String TIGHT = "timeout: 5s, stall-timeout: 300ms";

    static Stream<Case> cases() {
        return Stream.of(
                new Case("http-429 with retry-after", a -> "{kind: http-error, status: 429, retry-after: 2s}", RELAXED,
                        a -> Outcome.HTTP_429, (a, r) -> {
                            assertEquals(429, r.httpStatus());
                            assertEquals(2000.0, r.retryAfterMs(), "retry-after-ms kept");
                            assertEquals(1, r.attempts());
                            assertTrue(r.error().startsWith("HTTP 429: ") && r.error().contains("Rate limit"),
                                    r.error());
                            noTimingsAfterHeaders(r);
                        }),
                new Case("http-503 with retry-after 1500ms", a -> "{kind: http-error, status: 503, "
                        + "retry-after: 1500ms, message: 'Service busy, try later'}", RELAXED, a -> Outcome.HTTP_5XX,
                        (a, r) -> {
                            assertEquals(503, r.httpStatus());
                            assertEquals(1500.0, r.retryAfterMs());
                            assertTrue(r.error().contains("Service busy, try later"), r.error());
                        }),
                new Case("http-500", a -> "{kind: http-error, status: 500}", RELAXED, a -> Outcome.HTTP_5XX,
                        (a, r) -> {
                            assertEquals(500, r.httpStatus());
                            assertTrue(Double.isNaN(r.retryAfterMs()), "no retry-after sent");
                            assertTrue(r.error().contains("The server had an error"), r.error());
                        }),
                new Case("http-529 (Anthropic's overloaded)", a -> "{kind: http-error, status: 529}", RELAXED,
                        a -> Outcome.HTTP_5XX, (a, r) -> {
                            assertEquals(529, r.httpStatus());
                            if (a.name().equals("anthropic")) {
                                assertTrue(r.error().startsWith("HTTP 529: overloaded_error: "), r.error());
                            }
                        }),
                new Case("http-401", a -> "{kind: http-error, status: 401}", RELAXED, a -> Outcome.HTTP_4XX,
                        (a, r) -> assertEquals(401, r.httpStatus())),
                new Case("reset mid-stream", a -> "{kind: reset, after-tokens: " + AFTER + "}", RELAXED,
                        a -> Outcome.STREAM_ERROR, (a, r) -> partial(r, AFTER)),
                new Case("truncated (no end event)", a -> "{kind: truncate, after-tokens: " + AFTER + "}", RELAXED,
                        a -> Outcome.STREAM_ERROR, (a, r) -> {
                            partial(r, AFTER);
                            assertTrue(r.error().contains("ended before the stream's end event"), r.error());
                        }),
                new Case("provider error event", a -> "{kind: error-event, after-tokens: " + AFTER
                        + ", message: 'simulated overload mid-stream'}", RELAXED, a -> Outcome.STREAM_ERROR,
                        (a, r) -> {
                            partial(r, AFTER);
                            assertEquals(200, r.httpStatus());
                            assertTrue(r.error().contains("simulated overload mid-stream"), r.error());
                        }),
                new Case("stall then continue", a -> "{kind: stall, after-tokens: " + AFTER + ", duration: 250ms}",
                        RELAXED, a -> Outcome.OK, (a, r) -> {
                            assertEquals(TOKENS, r.contentEvents());
                            // Normal gaps are 2.5 ms; the client may stamp the token before the stall a little late
                            // on a busy machine, so the gap it measures can be somewhat under the 250 ms.
                            assertTrue(r.maxStallMs() >= 150, "the stall shows as max_stall_ms: " + r.maxStallMs());
                        }),
                new Case("stall past stall-timeout", a -> "{kind: stall, after-tokens: " + AFTER
                        + ", duration: 2s}", TIGHT, a -> Outcome.STALL, (a, r) -> {
                            partial(r, AFTER);
                            assertTrue(r.e2eLatencyMs() < 1500, "given up at the stall timeout: " + r.e2eLatencyMs());
                        }),
                new Case("hang", a -> "{kind: hang, after-tokens: " + AFTER + "}", TIGHT, a -> Outcome.STALL,
                        (a, r) -> partial(r, AFTER)),
                new Case("hang with keep-alives", a -> "{kind: hang, after-tokens: " + AFTER + ", keep-alive: 100ms}",
                        "timeout: 900ms, stall-timeout: 300ms",
                        // keep-alives are bytes, so only the request timeout ends it; Bedrock's event stream has none
                        a -> a.sse() ? Outcome.TIMEOUT : Outcome.STALL, (a, r) -> {
                            partial(r, AFTER);
                            if (a.sse()) {
                                assertTrue(r.e2eLatencyMs() >= 800, "kept alive until the timeout: " + r.e2eLatencyMs());
                            }
                        }),
                new Case("whole request over timeout", a -> "{kind: stall, after-tokens: " + AFTER
                        + ", duration: 2s}", "timeout: 700ms, stall-timeout: 3s", a -> Outcome.TIMEOUT,
                        (a, r) -> partial(r, AFTER)),
                new Case("keep-alives while waiting for the first token", a -> "{kind: stall, after-tokens: 0, "
                        + "duration: 700ms, keep-alive: 100ms}", TIGHT, a -> a.sse() ? Outcome.OK : Outcome.STALL,
                        (a, r) -> {
                            if (a.sse()) {
                                assertTrue(r.ttftMs() >= 700, "a keep-alive is not a token: ttft " + r.ttftMs());
                                assertEquals(TOKENS, r.contentEvents());
                            }
                        }),
                new Case("keep-alive comments before the first token", a -> "{kind: keep-alive, keep-alive: 4ms}",
                        RELAXED, a -> Outcome.OK, (a, r) -> {
                            assertEquals(TOKENS, r.contentEvents(), "a keep-alive is not a content event");
                            assertEquals(TOKENS, r.estimatedOutputTokens(), "nor text");
                            assertTrue(r.ttftMs() >= 15, "ttft is the first token's: " + r.ttftMs());
                        }),
                new Case("malformed event", a -> "{kind: malformed, after-tokens: " + AFTER + "}", RELAXED,
                        a -> Outcome.PROTOCOL_ERROR, (a, r) -> {
                            assertFalse(Double.isNaN(r.ttftMs()), "timings measured so far are kept");
                            // The stream went on past the bad event: every good event was decoded.
                            assertEquals(TOKENS, r.contentEvents(), "events decoded");
                        }),
                new Case("1 MiB line", a -> "{kind: big-line, after-tokens: " + AFTER + "}", RELAXED, a -> Outcome.OK,
                        (a, r) -> {
                            assertEquals(TOKENS + 1, r.contentEvents(), "the big event is one more content event");
                            assertEquals(TOKENS, r.outputTokens(), "usage as the provider reported it");
                            assertTrue(r.estimatedOutputTokens() > 100_000, // 1 MiB of " benchmark"
                                    "the big text arrived whole: " + r.estimatedOutputTokens());
                        }),
                new Case("oversize line or frame", a -> "{kind: big-line, after-tokens: " + AFTER + ", bytes: "
                        + (a.boundBytes() + (1 << 20)) + "}", RELAXED, a -> Outcome.PROTOCOL_ERROR, (a, r) -> {
                            assertTrue(r.error().contains("exceed"), r.error());
                            assertFalse(Double.isNaN(r.ttftMs()), "timings measured so far are kept");
                            assertEquals(TOKENS, r.contentEvents(), "the stream went on past the oversize one");
                        }),
                new Case("slow headers", a -> "{kind: slow-headers, duration: 300ms}", RELAXED, a -> Outcome.OK,
                        (a, r) -> assertTrue(r.ttfbMs() >= 290, "ttfb " + r.ttfbMs())),
                new Case("slow headers past stall-timeout", a -> "{kind: slow-headers, duration: 1s}", TIGHT,
                        a -> Outcome.STALL, (a, r) -> noTimingsAfterHeaders(r)),
                new Case("UTF-8 split across writes", a -> "{kind: utf8-split}", RELAXED, a -> Outcome.OK, (a, r) -> {
                    assertEquals(TOKENS, r.contentEvents());
                    // Every token is multi-byte and one tokenizer token: a character broken by the split would
                    // change the count.
                    assertEquals(TOKENS, r.estimatedOutputTokens(), "the text arrived intact");
                }),
                new Case("CRLF line endings", a -> "{kind: crlf}", RELAXED, a -> Outcome.OK, (a, r) -> {
                    assertEquals(TOKENS, r.contentEvents());
                    assertEquals(TOKENS, r.estimatedOutputTokens());
                    assertEquals(TOKENS, r.outputTokens());
                }));
    }

    /** The stream broke after {@code tokens} tokens: what came before it is measured and kept. */
    private static void partial(RequestRecord r, int tokens) {
        assertEquals(tokens, r.contentEvents(), "content events before the fault");
        assertFalse(Double.isNaN(r.ttftMs()), "ttft measured before the fault is kept");
        assertFalse(Double.isNaN(r.ttfbMs()), "ttfb kept");
        assertFalse(Double.isNaN(r.e2eLatencyMs()), "the end of the request is stamped");
        assertTrue(Double.isNaN(r.streamTokensPerSecond()), "no rate for a failed stream");
    }

    private static void noTimingsAfterHeaders(RequestRecord r) {
        assertTrue(Double.isNaN(r.ttftMs()), "no token, no ttft");
        assertEquals(0, r.contentEvents());
    }

    private static Vertx vertx;

    @BeforeAll
    static void startClientAndWarmUp(@TempDir Path dir) throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        // Class loading and the JIT's first passes over every API's path, so that no case's clean request nears
        // a 300 ms stall timeout on a cold JVM.
        Map<String, List<RequestRecord>> warm = run(dir, a -> null, "timeout: 30s, stall-timeout: 30s", 2);
        warm.forEach((api, records) -> records.forEach(r -> assertTrue(r.ok(), api + " warm-up: " + r.error())));
    }

    @AfterAll
    static void closeClient() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyApi(Case c, @TempDir Path dir) throws Exception {
        Map<String, List<RequestRecord>> byApi = run(dir, c.rule(), c.load(), 3);
        List<Executable> checks = new ArrayList<>();
        for (Api api : APIS) {
            List<RequestRecord> records = byApi.get(api.name());
            checks.add(() -> {
                assertEquals(3, records.size(), api + ": every request was recorded");
                assertTrue(records.get(0).ok(), api + " request before the fault: " + records.get(0).outcome()
                        + " " + records.get(0).error());
                RequestRecord faulty = records.get(1);
                String what = api + " / " + c + ": " + faulty.outcome() + " " + faulty.error();
                assertEquals(c.expected().apply(api), faulty.outcome(), what);
                assertEquals(faulty.ok(), faulty.error() == null, what);
                c.check().accept(api, faulty);
                assertTrue(records.get(2).ok(), api + " request after the fault (the run goes on): "
                        + records.get(2).outcome() + " " + records.get(2).error());
            });
        }
        assertAll(c.name(), checks);
    }

    /**
     * Faults that never reach the simulator: a refused connection, a TLS handshake with a server that speaks
     * plain HTTP, a name that does not resolve. Every request of every API fails, so the run itself has failed.
     */
    @Test
    void connectErrorsOnEveryApi(@TempDir Path dir) throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        com.sun.net.httpserver.HttpServer plain = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress("127.0.0.1", 0), 0);
        plain.createContext("/", exchange -> {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        plain.start();
        try {
            String refused = "http://127.0.0.1:" + closedPort;
            String tls = "https://127.0.0.1:" + plain.getAddress().getPort();
            StringBuilder targets = new StringBuilder();
            for (Api api : APIS) {
                // Outside the simulator, Vertex wants a token (any will do: nothing gets far enough to use it).
                String target = switch (api.name()) {
                    case "vertex" -> api.target().replace("}", ", access-token: t}");
                    case "bedrock" -> api.target().replace("}", ", api-key: k}"); // else SigV4 wants a region
                    default -> api.target();
                };
                targets.append("  - ").append(target.replace("sim://f-" + api.name(), refused)
                        .replace("name: " + api.name() + ",", "name: refused-" + api.name() + ",")).append('\n');
                targets.append("  - ").append(target.replace("sim://f-" + api.name(), tls)
                        .replace("name: " + api.name() + ",", "name: tls-" + api.name() + ",")).append('\n');
            }
            targets.append("  - {name: dns, api: openai-chat, base-url: 'http://tokenbench-fault-matrix.invalid/v1', "
                    + "model: m}\n");
            String yaml = "name: connect-faults\ntargets:\n" + targets
                    + "prompts: {synthetic: {input-tokens: 20, output-tokens: " + TOKENS + "}}\n"
                    + "load: {mode: closed, concurrency: 1, requests: 2, warmup: 0, timeout: 2s, stall-timeout: 1s}\n";
            ProviderRegistry providers = ProviderRegistry.defaults();
            RunPlan plan = new BenchmarkLoader(name -> null, dir, providers).load("connect.yaml", yaml, dir);
            ConcurrentLinkedQueue<RequestRecord> records = new ConcurrentLinkedQueue<>();
            RunResult result = new RunEngine(vertx, providers).start(plan, "connect", dir, records::add).await();
            assertEquals(2 * (2 * APIS.size() + 1), records.size(), "every request recorded");
            List<Executable> checks = new ArrayList<>();
            for (RequestRecord r : records) {
                checks.add(() -> {
                    assertEquals(Outcome.CONNECT_ERROR, r.outcome(), r.target() + ": " + r.error());
                    assertEquals(0, r.httpStatus(), r.target());
                    assertTrue(r.error() != null && !r.error().isBlank(), r.target() + " keeps the reason");
                });
            }
            assertAll(checks);
            assertEquals(RunResult.FAILED, result.status(), "no request of any target succeeded: the run failed");
            assertTrue(result.wallSeconds() < 20, "bounded: " + result.wallSeconds());
        } finally {
            plain.stop(0);
        }
    }

    /** One run of every API against its own scenario; records per API in request order. */
    private static Map<String, List<RequestRecord>> run(Path dir, Function<Api, String> rule, String load,
            int requests) throws Exception {
        StringBuilder yaml = new StringBuilder("name: fault-matrix\ntargets:\n");
        for (Api api : APIS) {
            yaml.append("  - ").append(api.target()).append('\n');
        }
        yaml.append("prompts: {synthetic: {input-tokens: 20, output-tokens: ").append(TOKENS).append("}}\n");
        yaml.append("load: {mode: closed, concurrency: 1, requests: ").append(requests)
                .append(", warmup: 0, ").append(load).append("}\n");
        yaml.append("simulator:\n  scenarios:\n");
        for (Api api : APIS) {
            yaml.append("    f-").append(api.name()).append(": {ttft: 20ms, tokens-per-second: 400, output-tokens: ")
                    .append(TOKENS);
            String r = rule.apply(api);
            if (r != null) {
                // Every second request: 0 clean, 1 faulty, 2 clean.
                yaml.append(", faults: [").append(r, 0, r.length() - 1).append(", every: 2}]");
            }
            yaml.append("}\n");
        }
        ProviderRegistry providers = ProviderRegistry.defaults();
        RunPlan plan = new BenchmarkLoader(name -> null, dir, providers).load("faults.yaml", yaml.toString(),
                dir);
        ConcurrentLinkedQueue<RequestRecord> records = new ConcurrentLinkedQueue<>();
        RunResult result = new RunEngine(vertx, providers).start(plan, "matrix", dir, records::add).await();
        assertEquals(RunResult.DONE, result.status(), "a request's fault never ends the run");
        Map<String, List<RequestRecord>> byApi = new LinkedHashMap<>();
        for (Api api : APIS) {
            byApi.put(api.name(), new ArrayList<>());
        }
        for (RequestRecord r : records) {
            byApi.get(r.target()).add(r);
        }
        Comparator<RequestRecord> bySequence = Comparator.comparingLong(
                r -> Long.parseLong(r.requestId().substring(r.requestId().lastIndexOf('-') + 1)));
        byApi.values().forEach(list -> list.sort(bySequence));
        return byApi;
    }
}
