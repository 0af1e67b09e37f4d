package dev.tokenbench.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.Pricing;
import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.PromptSet;
import dev.tokenbench.config.ProviderAccess;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.Secret;
import dev.tokenbench.config.SloSpec;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.TokenCounter;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.provider.StreamReplay;
import dev.tokenbench.run.RunEngine;
import dev.tokenbench.run.RunResult;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The anthropic request on the wire, sent by the real run engine to WireMock: path, auth and version headers, body
 * fields (stream, max_tokens, system, merged params); and the records the engine writes from WireMock's golden
 * streams and Anthropic-shaped error responses.
 */
class AnthropicWireMockTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_KEY = "sk-ant-wiremock-0123456789";

    private static WireMockServer wireMock;
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        wireMock = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        wireMock.start();
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
        wireMock.stop();
    }

    @BeforeEach
    void reset() {
        wireMock.resetAll();
    }

    private static RunPlan plan(Map<String, Object> params, int requests, int warmup) {
        TargetSpec target = TargetSpec.builder()
                .name("claude")
                .api(AnthropicApi.NAME)
                .baseUrl("http://127.0.0.1:" + wireMock.port())
                .model("claude-sonnet-4-5")
                .deployment(null)
                .apiVersion("2023-06-01")
                .apiKey(new Secret(API_KEY, "env:ANTHROPIC_API_KEY"))
                .pricing(new Pricing(3.0, 15.0))
                .labels(Map.of("cloud", "anthropic"))
                .params(params)
                .maxOutputTokens(null)
                .maxTokensField(null)
                .tokenizer(null)
                .access(ProviderAccess.NONE)
                .build();
        PromptSet prompts = new PromptSet("rivers", "test", List.of(
                new Prompt("rivers", "You are terse.", "Name three rivers in Europe.", null)));
        LoadSpec load = new LoadSpec(LoadSpec.CLOSED, 1, requests, warmup, Duration.ofSeconds(10),
                Duration.ofSeconds(5));
        return RunPlan.builder()
                .name("anthropic-contract")
                .sourceFile("(test)")
                .targets(List.of(target))
                .prompts(prompts)
                .load(load)
                .maxOutputTokens(2048)
                .slo(SloSpec.DEFAULT)
                .baseline("claude")
                .simulator(null)
                .redactedConfig(JSON.createObjectNode())
                .build();
    }

    private static void stubStream(String golden) {
        wireMock.stubFor(post(urlEqualTo("/v1/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "text/event-stream; charset=utf-8")
                .withHeader("request-id", "req_011CV1test")
                .withBody(StreamReplay.resource("streams/anthropic/" + golden))));
    }

    private static List<RequestRecord> run(RunPlan plan, Path dir) throws Exception {
        ConcurrentLinkedQueue<RequestRecord> records = new ConcurrentLinkedQueue<>();
        RunResult result = new RunEngine(vertx, new ProviderRegistry(new AnthropicApi()))
                .start(plan, "wm", dir, records::add).await();
        assertEquals(plan.load().requests() + plan.load().warmup(), records.size(), result.status());
        return new ArrayList<>(records);
    }

    @Test
    void thinkingRequestOnTheWireAndItsRecords(@TempDir Path dir) throws Exception {
        stubStream("thinking.sse");
        Map<String, Object> thinking = Map.of("thinking", Map.of("type", "enabled", "budget_tokens", 1024),
                "temperature", 1);
        List<RequestRecord> records = run(plan(thinking, 2, 1), dir);

        List<LoggedRequest> sent = wireMock.findAll(anyRequestedFor(anyUrl()));
        assertEquals(3, sent.size());
        Set<String> requestIds = new HashSet<>();
        for (LoggedRequest request : sent) {
            assertEquals("POST", request.getMethod().getName());
            assertEquals("/v1/messages", request.getUrl());
            assertEquals(API_KEY, request.getHeader("x-api-key"));
            assertEquals("2023-06-01", request.getHeader("anthropic-version"));
            assertTrue(request.getHeader("content-type").startsWith("application/json"));
            assertFalse(request.containsHeader("authorization"));
            assertTrue(request.getHeader("x-request-id").startsWith("tb-wm-claude-"), request.getHeader("x-request-id"));
            requestIds.add(request.getHeader("x-request-id"));

            JsonNode body = JSON.readTree(request.getBody());
            assertEquals("claude-sonnet-4-5", body.path("model").asText());
            assertEquals(2048, body.path("max_tokens").asInt());
            assertTrue(body.path("stream").isBoolean() && body.path("stream").asBoolean());
            assertEquals("You are terse.", body.path("system").asText());
            assertEquals("Name three rivers in Europe.", body.path("messages").get(0).path("content").asText());
            assertEquals("user", body.path("messages").get(0).path("role").asText());
            assertEquals("enabled", body.path("thinking").path("type").asText());
            assertEquals(1024, body.path("thinking").path("budget_tokens").asInt());
            assertEquals(1, body.path("temperature").asInt());
        }
        assertEquals(3, requestIds.size(), "one x-request-id per request");

        String thinkingText = "I need the GCD of 1071 and 462.\n\n1071 = 2 × 462 + 147\n462 = 3 × 147 + 21, 147 = 7 × 21.";
        long reasoningEstimate = TokenCounter.count(null, thinkingText);
        assertTrue(reasoningEstimate > 0);
        for (RequestRecord r : records) {
            assertTrue(r.ok(), r.outcome() + " " + r.error());
            assertEquals(200, r.httpStatus());
            assertEquals(6, r.contentEvents());
            assertEquals(87, r.outputTokens());
            assertEquals(41, r.inputTokens());
            assertFalse(r.tokensEstimated());
            assertEquals(reasoningEstimate, r.reasoningTokens(), "estimated from the thinking text");
            assertTrue(r.firstOutputNanos() > 0 && r.firstOutputNanos() <= r.firstTokenNanos());
            assertTrue(r.endNanos() >= r.firstTokenNanos());
            assertEquals((41 * 3.0 + 87 * 15.0) / 1e6, r.costUsd(), 1e-12);
        }
        assertEquals(2, records.stream().filter(r -> !r.warmup()).count());
    }

    @Test
    void plainStreamWithoutParamsUsesThePlansCap(@TempDir Path dir) throws Exception {
        stubStream("ping.sse");
        List<RequestRecord> records = run(plan(null, 1, 0), dir);
        JsonNode body = JSON.readTree(wireMock.findAll(anyRequestedFor(anyUrl())).get(0).getBody());
        assertEquals(2048, body.path("max_tokens").asInt());
        assertFalse(body.has("thinking"));
        RequestRecord r = records.get(0);
        assertTrue(r.ok(), r.outcome() + " " + r.error());
        assertEquals(3, r.contentEvents());
        assertEquals(9, r.outputTokens());
        assertEquals(2151, r.inputTokens());
        assertEquals(2048, r.cachedInputTokens());
        assertEquals(0, r.reasoningTokens());
    }

    @Test
    void anErrorEventMidStreamIsAStreamError(@TempDir Path dir) throws Exception {
        stubStream("error-midstream.sse");
        RequestRecord r = run(plan(null, 1, 0), dir).get(0);
        assertEquals(Outcome.STREAM_ERROR, r.outcome());
        assertEquals("overloaded_error: Overloaded", r.error());
        assertEquals(2, r.contentEvents());
    }

    @Test
    void anOverloadedResponseIsAn5xxWithAnthropicsMessage(@TempDir Path dir) throws Exception {
        wireMock.stubFor(post(urlEqualTo("/v1/messages")).willReturn(aResponse().withStatus(529)
                .withHeader("content-type", "application/json")
                .withBody("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")));
        RequestRecord r = run(plan(null, 1, 0), dir).get(0);
        assertEquals(Outcome.HTTP_5XX, r.outcome());
        assertEquals(529, r.httpStatus());
        assertTrue(r.error().contains("Overloaded"), r.error());
        assertFalse(r.error().contains(API_KEY));
    }
}
