package dev.tokenbench.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.PromptSet;
import dev.tokenbench.config.ProviderAccess;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.Secret;
import dev.tokenbench.config.SloSpec;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.provider.StreamReplay;
import dev.tokenbench.run.RunEngine;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The requests tokenbench sends to the Gemini API and to Vertex AI, through the real run engine against WireMock
 * serving golden streams: path, {@code alt=sse}, the auth header of each (an API key vs a bearer token, static or
 * from a command), the body fields (contents, systemInstruction, generationConfig.maxOutputTokens, params), and
 * what the run measured from the answers.
 */
class GeminiContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GEMINI_PATH = "/v1beta/models/gemini-2.5-flash:streamGenerateContent";
    private static final String VERTEX_PATH = "/v1/projects/bench-project/locations/us-central1/publishers/google/"
            + "models/gemini-2.5-flash:streamGenerateContent";
    private static final Prompt PROMPT = new Prompt("river", "You are terse.", "Name a river in Europe.", null);

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
        wireMock.stop();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @BeforeEach
    void reset() {
        wireMock.resetAll();
    }

    private static String baseUrl() {
        return "http://127.0.0.1:" + wireMock.port();
    }

    private static void serve(String path, int status, String contentType, byte[] body) {
        wireMock.stubFor(post(urlPathEqualTo(path))
                .willReturn(aResponse().withStatus(status).withHeader("content-type", contentType).withBody(body)));
    }

    private static TargetSpec target(String name, String api, Secret apiKey, Map<String, Object> params,
            ProviderAccess access) {
        return TargetSpec.builder()
                .name(name)
                .api(api)
                .baseUrl(baseUrl())
                .model("gemini-2.5-flash")
                .deployment(null)
                .apiVersion(null)
                .apiKey(apiKey)
                .pricing(null)
                .labels(Map.of())
                .params(params)
                .maxOutputTokens(null)
                .maxTokensField(null)
                .tokenizer("o200k_base")
                .access(access)
                .build();
    }

    private static List<RequestRecord> run(TargetSpec target, int requests, Path dir) throws Exception {
        RunPlan plan = RunPlan.builder()
                .name("gemini-contract")
                .sourceFile("(test)")
                .targets(List.of(target))
                .prompts(new PromptSet("contract", "(test)", List.of(PROMPT)))
                .load(new LoadSpec(LoadSpec.CLOSED, 1, requests, 0, Duration.ofSeconds(20), Duration.ofSeconds(10)))
                .maxOutputTokens(77)
                .slo(SloSpec.DEFAULT)
                .baseline(target.name())
                .simulator(null)
                .redactedConfig(null)
                .build();
        ConcurrentLinkedQueue<RequestRecord> records = new ConcurrentLinkedQueue<>();
        RunEngine.Handle handle = new RunEngine(vertx, new ProviderRegistry(new GeminiApi(), new VertexGeminiApi()))
                .start(plan, "contract", dir, records::add);
        handle.await();
        assertEquals(requests, records.size());
        assertTrue(Files.exists(dir.resolve("requests.jsonl")));
        return new ArrayList<>(records).stream().filter(r -> !r.warmup()).toList();
    }

    private static LoggedRequest onlyRequest(String path, int expectedCount) {
        List<LoggedRequest> sent = wireMock.findAll(postRequestedFor(urlPathEqualTo(path)));
        assertEquals(expectedCount, sent.size());
        return sent.get(0);
    }

    @Test
    void geminiSendsTheKeyHeaderAltSseAndTheBodyAndTheRunMeasuresTheStream(@TempDir Path dir) throws Exception {
        serve(GEMINI_PATH, 200, "text/event-stream", StreamReplay.resource("streams/gemini/thoughts.sse"));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("temperature", 0.2);
        params.put("thinkingConfig", Map.of("includeThoughts", true, "thinkingBudget", 1024));
        params.put("generationConfig", Map.of("topK", 5));
        params.put("safetySettings", List.of(Map.of("category", "HARM_CATEGORY_HARASSMENT",
                "threshold", "BLOCK_NONE")));
        TargetSpec target = target("gemini", GeminiApi.NAME, new Secret("gm-test-key-123", "env:GEMINI_API_KEY"),
                params, ProviderAccess.NONE);

        List<RequestRecord> records = run(target, 2, dir);

        LoggedRequest sent = onlyRequest(GEMINI_PATH, 2);
        assertEquals("sse", sent.queryParameter("alt").firstValue());
        assertEquals("gm-test-key-123", sent.getHeader("x-goog-api-key"));
        assertFalse(sent.containsHeader("authorization"), "the Gemini API key goes in x-goog-api-key only");
        assertFalse(sent.getUrl().contains("key="), "the key is never in the URL");
        assertTrue(sent.getHeader("content-type").startsWith("application/json"));
        assertTrue(sent.getHeader("x-request-id").startsWith("tb-contract-gemini-"));

        JsonNode body = JSON.readTree(sent.getBodyAsString());
        assertEquals("user", body.at("/contents/0/role").asText());
        assertEquals("Name a river in Europe.", body.at("/contents/0/parts/0/text").asText());
        assertEquals("You are terse.", body.at("/systemInstruction/parts/0/text").asText());
        JsonNode generationConfig = body.get("generationConfig");
        assertEquals(77, generationConfig.get("maxOutputTokens").asInt());
        assertEquals(0.2, generationConfig.get("temperature").asDouble());
        assertEquals(5, generationConfig.get("topK").asInt());
        assertTrue(generationConfig.at("/thinkingConfig/includeThoughts").asBoolean());
        assertEquals(1024, generationConfig.at("/thinkingConfig/thinkingBudget").asInt());
        assertEquals("BLOCK_NONE", body.at("/safetySettings/0/threshold").asText());
        assertNull(body.get("model"), "the model is in the path");
        assertNull(body.get("stream"), "streaming is the method, not a flag");

        for (RequestRecord r : records) {
            assertTrue(r.ok(), r.outcome() + " " + r.error());
            assertEquals(125, r.outputTokens());
            assertEquals(120, r.reasoningTokens());
            assertEquals(11, r.inputTokens());
            assertFalse(r.tokensEstimated());
            assertEquals(4, r.contentEvents());
            assertTrue(r.timeToFirstOutputMs() <= r.ttftMs());
        }
    }

    @Test
    void vertexSendsTheStaticTokenAsBearerOnTheProjectPath(@TempDir Path dir) throws Exception {
        serve(VERTEX_PATH, 200, "text/event-stream", StreamReplay.resource("streams/gemini/vertex.sse"));
        TargetSpec target = target("vertex", VertexGeminiApi.NAME, null, null,
                new ProviderAccess("bearer", new Secret("ya29.static-token", "env:VERTEX_TOKEN"), List.of(), null,
                        "bench-project", "us-central1"));

        List<RequestRecord> records = run(target, 2, dir);

        LoggedRequest sent = onlyRequest(VERTEX_PATH, 2);
        assertEquals("sse", sent.queryParameter("alt").firstValue());
        assertEquals("Bearer ya29.static-token", sent.getHeader("authorization"));
        assertFalse(sent.containsHeader("x-goog-api-key"));
        JsonNode body = JSON.readTree(sent.getBodyAsString());
        assertEquals(77, body.at("/generationConfig/maxOutputTokens").asInt());
        assertEquals("You are terse.", body.at("/systemInstruction/parts/0/text").asText());
        for (RequestRecord r : records) {
            assertTrue(r.ok(), r.outcome() + " " + r.error());
            assertEquals(4, r.outputTokens());
            assertEquals(2100, r.inputTokens());
            assertEquals(2048, r.cachedInputTokens());
        }
    }

    @Test
    void vertexRunsTheTokenCommandBeforeTheRunAndSendsItsToken(@TempDir Path dir) throws Exception {
        serve(VERTEX_PATH, 200, "text/event-stream", StreamReplay.resource("streams/gemini/plain.sse"));
        Path script = dir.resolve("print-token.sh");
        writeScript(script, "#!/bin/sh\necho 'ya29.from-the-command'\n");
        TargetSpec target = target("vertex-cmd", VertexGeminiApi.NAME, null, null,
                new ProviderAccess("bearer", null, List.of(script.toString()), null, "bench-project",
                        "us-central1"));

        List<RequestRecord> records = run(target, 3, dir);

        List<LoggedRequest> sent = wireMock.findAll(postRequestedFor(urlPathEqualTo(VERTEX_PATH)));
        assertEquals(3, sent.size());
        for (LoggedRequest request : sent) {
            assertEquals("Bearer ya29.from-the-command", request.getHeader("authorization"));
        }
        for (RequestRecord r : records) {
            assertTrue(r.ok(), r.outcome() + " " + r.error());
            assertEquals(8, r.outputTokens());
        }
    }

    @Test
    void googlesErrorBodyGivesTheStatusOutcomeAndTheMessage(@TempDir Path dir) throws Exception {
        serve(GEMINI_PATH, 429, "application/json; charset=UTF-8", ("{\n  \"error\": {\n    \"code\": 429,\n"
                + "    \"message\": \"Resource has been exhausted (e.g. check quota).\",\n"
                + "    \"status\": \"RESOURCE_EXHAUSTED\"\n  }\n}\n").getBytes(StandardCharsets.UTF_8));
        TargetSpec target = target("gemini-429", GeminiApi.NAME, new Secret("k", "env:K"), null,
                ProviderAccess.NONE);

        List<RequestRecord> records = run(target, 1, dir);

        RequestRecord r = records.get(0);
        assertEquals("http_429", r.outcome().label());
        assertTrue(r.error().contains("Resource has been exhausted"), r.error());
    }

    @Test
    void aBlockedPromptIsAStreamErrorInTheRecord(@TempDir Path dir) throws Exception {
        serve(GEMINI_PATH, 200, "text/event-stream", StreamReplay.resource("streams/gemini/blocked-prompt.sse"));
        TargetSpec target = target("gemini-blocked", GeminiApi.NAME, new Secret("k", "env:K"), null,
                ProviderAccess.NONE);

        RequestRecord r = run(target, 1, dir).get(0);

        assertEquals("stream_error", r.outcome().label());
        assertEquals("the prompt was blocked: blockReason PROHIBITED_CONTENT", r.error());
    }

    static void writeScript(Path script, String text) throws IOException {
        Files.writeString(script, text);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    }
}
