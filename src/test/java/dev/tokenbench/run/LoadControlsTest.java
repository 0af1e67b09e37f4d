package dev.tokenbench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.measure.Metric;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.PreparedRequest;
import dev.tokenbench.provider.ProviderApi;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.provider.StreamDecoder;
import dev.tokenbench.provider.openai.OpenAiChatApi;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retries, the cost budget and prompt order against a local OpenAI-compatible server that answers every other
 * request with a 429, so each behaviour is seen on the wire.
 */
class LoadControlsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Vertx vertx;
    private static HttpServer server;
    private static final AtomicInteger served = new AtomicInteger();
    /** When set, odd-numbered requests get a 429 with {@link #throttleHeader}: {@link #throttleValue}. */
    private static volatile boolean throttleOdd;
    private static volatile String throttleHeader = "retry-after-ms";
    private static volatile String throttleValue = "80";
    private static final ConcurrentLinkedQueue<JsonNode> bodies = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            bodies.add(parse(body.toString()));
            int n = served.getAndIncrement();
            if (throttleOdd && n % 2 == 1) {
                req.response().setStatusCode(429).putHeader(throttleHeader, throttleValue)
                        .putHeader("content-type", "application/json")
                        .end("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"429\"}}");
                return;
            }
            String chunk = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" word\"},\"finish_reason\":null}]}\n\n";
            String usage = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                    + "\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":10,"
                    + "\"total_tokens\":30}}\n\n";
            req.response().setChunked(true).putHeader("content-type", "text/event-stream")
                    .end(chunk.repeat(10) + usage + "data: [DONE]\n\n");
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private record Ran(RunResult result, List<RequestRecord> records) {
    }

    private static Ran run(Path dir, String load, String extraTarget) throws Exception {
        served.set(0);
        bodies.clear();
        String yaml = """
                name: controls
                targets:
                  - {name: local, api: openai-chat, base-url: 'http://127.0.0.1:%d/v1', model: m%s}
                prompts: {synthetic: {input-tokens: 16, output-tokens: 10, count: 5}}
                max-output-tokens: 10
                load: %s
                """.formatted(server.actualPort(), extraTarget, load);
        ProviderRegistry providers = ProviderRegistry.defaults();
        RunPlan plan = new BenchmarkLoader(name -> null, dir, providers).load("c.yaml", yaml, dir);
        Vertx client = Vertx.vertx();
        try {
            ConcurrentLinkedQueue<RequestRecord> records = new ConcurrentLinkedQueue<>();
            RunResult result = new RunEngine(client, providers).start(plan, "c", dir, records::add).await();
            return new Ran(result, List.copyOf(records));
        } finally {
            client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** An hour's retry-after with max-backoff 200ms: the retry goes after 200 ms (the timeout only bounds a hang). */
    @Test
    @Timeout(60)
    void aRetryAfterBeyondMaxBackoffWaitsMaxBackoff(@TempDir Path dir) throws Exception {
        throttleOdd = true;
        throttleHeader = "retry-after";
        throttleValue = "3600";
        try {
            Ran run = run(dir, "{concurrency: 1, requests: 4, retries: {max: 2, backoff: 50ms, max-backoff: 200ms}}",
                    "");
            TargetSummary s = run.result().targets().get(0);
            assertEquals(4, s.ok(), s.outcomes().toString());
            List<RequestRecord> retried = run.records().stream().filter(RequestRecord::retried).toList();
            assertTrue(retried.size() >= 2, "429s were answered: " + retried.size());
            for (RequestRecord r : retried) {
                assertEquals("3600", r.headers().get("retry-after"));
            }
        } finally {
            throttleOdd = false;
            throttleHeader = "retry-after-ms";
            throttleValue = "80";
        }
    }

    @Test
    void a429IsRetriedAfterTheProvidersRetryAfterAndEveryAttemptIsRecorded(@TempDir Path dir) throws Exception {
        throttleOdd = true;
        try {
            Ran run = run(dir, "{concurrency: 1, requests: 4, retries: {max: 2, backoff: 5s}}", "");
            TargetSummary s = run.result().targets().get(0);
            assertEquals(4, s.requests(), "a retried request counts once");
            assertEquals(4, s.ok(), s.outcomes().toString());
            // Served in order: 0 ok, 1 429, 2 ok (retry of request 1), 3 429, 4 ok, ...
            List<RequestRecord> retried = run.records().stream().filter(RequestRecord::retried).toList();
            assertEquals(s.retriedAttempts(), retried.size());
            assertTrue(retried.size() >= 2, "429s were answered: " + retried.size());
            for (RequestRecord r : retried) {
                assertEquals(Outcome.HTTP_429, r.outcome());
                assertEquals("80", r.headers().get("retry-after-ms"));
            }
            for (RequestRecord r : run.records().stream().filter(r -> !r.retried() && r.attempts() > 1).toList()) {
                assertEquals(2, r.attempts());
                assertTrue(r.requestId().endsWith("-r1"), r.requestId());
                // retry-after-ms 80 is honoured over the 5 s backoff: the retry waited about 80 ms, not seconds.
                double waited = r.ttftIncludingRetriesMs() - r.ttftMs();
                assertTrue(waited >= 80 && waited < 2_000, "ttft including retries - ttft = " + waited);
            }
            assertTrue(s.metric(Metric.TTFT_INCLUDING_RETRIES_MS).max() > s.metric(Metric.TTFT_MS).max());
        } finally {
            throttleOdd = false;
        }
    }

    /** A decoder that throws on some bytes ends its request as protocol_error at once; the run goes on. */
    @Test
    void aThrowingDecoderEndsItsRequestAsAProtocolError(@TempDir Path dir) throws Exception {
        OpenAiChatApi chat = new OpenAiChatApi();
        ProviderApi throwing = new ProviderApi() {
            @Override
            public String name() {
                return chat.name();
            }

            @Override
            public PreparedRequest prepare(TargetSpec target, String baseUrl, Prompt prompt, int maxOutputTokens) {
                return chat.prepare(target, baseUrl, prompt, maxOutputTokens);
            }

            @Override
            public StreamDecoder newDecoder(RequestMeasurement measurement) {
                return new StreamDecoder() {
                    @Override
                    public void onBytes(byte[] buf, int off, int len, long arrivalNanos) {
                        throw new IllegalStateException("decoder bug");
                    }

                    @Override
                    public void onBodyEnd(long arrivalNanos) {
                    }
                };
            }
        };
        String yaml = """
                name: throwing
                targets:
                  - {name: local, api: openai-chat, base-url: 'http://127.0.0.1:%d/v1', model: m}
                prompts: {synthetic: {input-tokens: 16, output-tokens: 10, count: 2}}
                load: {concurrency: 1, requests: 3, timeout: 20s, stall-timeout: 20s}
                """.formatted(server.actualPort());
        ProviderRegistry providers = new ProviderRegistry(throwing);
        RunPlan plan = new BenchmarkLoader(name -> null, dir, providers).load("t.yaml", yaml, dir);
        Vertx client = Vertx.vertx();
        try {
            long start = System.nanoTime();
            RunResult result = new RunEngine(client, providers).start(plan, "t", dir, null).await();
            TargetSummary s = result.targets().get(0);
            assertEquals(Map.of("protocol_error", 3), s.outcomes());
            assertTrue(s.failures().get(0).error().contains("decoder bug"), s.failures().get(0).error());
            assertTrue((System.nanoTime() - start) / 1e9 < 15, "ended at once, not at the 20 s timeout");
        } finally {
            client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutRetriesA429IsTheRequestsOutcome(@TempDir Path dir) throws Exception {
        throttleOdd = true;
        try {
            Ran run = run(dir, "{concurrency: 1, requests: 4}", "");
            TargetSummary s = run.result().targets().get(0);
            assertEquals(Map.of("ok", 2, "http_429", 2), s.outcomes());
            assertEquals(0, s.retriedAttempts());
            assertEquals(4, served.get(), "no request sent twice");
        } finally {
            throttleOdd = false;
        }
    }

    /**
     * At $0.1 per output token, each request reserves 10 tokens x $0.1 = $1 and costs
     * exactly that (the server sends 10 tokens). A $5.50 budget lets five through; the sixth would pass it.
     */
    @Test
    void theBudgetStopsNewRequestsBeforeItIsExceededAndRecordsTheRestCancelled(@TempDir Path dir)
            throws Exception {
        Ran run = run(dir, "{concurrency: 1, requests: 12, budget: 5.5}",
                ", pricing: {input-per-1m: 0, output-per-1m: 100000}");
        TargetSummary s = run.result().targets().get(0);
        assertEquals(Map.of("ok", 5, "cancelled", 7), s.outcomes());
        assertEquals(5, served.get(), "nothing was sent past the budget");
        assertTrue(s.costUsd() <= 5.5, "spent " + s.costUsd());
        RequestRecord cancelled = run.records().stream().filter(r -> r.outcome() == Outcome.CANCELLED).findFirst()
                .orElseThrow();
        assertTrue(cancelled.error().contains("cost budget of 5.50 USD"), cancelled.error());
        assertEquals(7, s.cancelled());
        assertEquals(5, s.endedOnTheirOwn());
        assertEquals(s.good() / 5.0, s.goodput(), 1e-12, "goodput is over the five that ran; the seven never sent "
                + "count neither way");
    }

    @Test
    void sampledPromptsFollowTheSeedAndRandomPrefixesMakeEveryPromptNew(@TempDir Path dir) throws Exception {
        Ran sampled = run(dir, "{concurrency: 1, requests: 30, prompt-order: sample, prompt-seed: 3}", "");
        List<String> order = sampled.records().stream().map(RequestRecord::promptId).toList();
        Ran again = run(dir.resolve("again"), "{concurrency: 1, requests: 30, prompt-order: sample, "
                + "prompt-seed: 3}", "");
        assertEquals(order, again.records().stream().map(RequestRecord::promptId).toList(), "same seed, same order");
        Ran cycled = run(dir.resolve("cycled"), "{concurrency: 1, requests: 30}", "");
        assertNotEquals(order, cycled.records().stream().map(RequestRecord::promptId).toList());
        assertTrue(Set.copyOf(order).size() >= 4, "sampling reaches most of the 5 prompts: " + order);

        Ran prefixed = run(dir.resolve("prefixed"), "{concurrency: 1, requests: 6, random-prefix: true}", "");
        assertEquals(6, prefixed.result().targets().get(0).ok());
        Set<String> firstMessages = new HashSet<>();
        for (JsonNode body : bodies) {
            String first = body.path("messages").get(0).path("content").asText();
            assertTrue(first.matches("(?s)\\[[0-9a-f]+]\\n.*"), "the prompt starts with its random line: " + first);
            firstMessages.add(first);
        }
        assertEquals(6, firstMessages.size(), "no two requests share a prompt prefix");
    }
}
