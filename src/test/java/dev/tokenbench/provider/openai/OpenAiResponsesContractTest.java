package dev.tokenbench.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tokenbench.config.ProviderAccess;
import dev.tokenbench.config.Secret;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestRecord;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * openai-responses' request contract, through the real engine against WireMock: path, auth, and the body fields
 * the API reference names (stream, max_output_tokens, instructions and input, params merged), and the recorded
 * request built from a golden stream.
 */
class OpenAiResponsesContractTest {
    private static final Secret KEY = new Secret("sk-contract-secret", "env:OPENAI_API_KEY");
    private static Vertx vertx;
    private static WireMockServer server;

    @BeforeAll
    static void start() {
        vertx = ContractRuns.newVertx();
        server = ContractRuns.startWireMock();
    }

    @AfterAll
    static void stop() {
        ContractRuns.close(vertx, server);
    }

    private TargetSpec target(Map<String, Object> params) {
        return ContractRuns.target(OpenAiResponsesApi.NAME, ContractRuns.baseUrl(server) + "/v1", "gpt-4.1-mini",
                null, null, KEY, params, "max_completion_tokens", ProviderAccess.NONE);
    }

    @Test
    void postsAStreamingResponsesRequestWithBearerAuth(@TempDir Path dir) throws Exception {
        ContractRuns.answerWithStream(server, "streams/openai-responses/usage.sse");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("temperature", 0.2);
        params.put("text", Map.of("verbosity", "low"));
        List<RequestRecord> records = ContractRuns.run(vertx, new OpenAiResponsesApi(), target(params), dir, 1);

        LoggedRequest request = ContractRuns.onlyRequest(server);
        assertEquals("/v1/responses", request.getUrl());
        assertEquals("Bearer sk-contract-secret", request.getHeader("authorization"));
        assertTrue(request.getHeader("content-type").startsWith("application/json"));
        assertEquals(records.get(0).requestId(), request.getHeader("x-request-id"));
        JsonNode body = ContractRuns.body(request);
        assertEquals("gpt-4.1-mini", body.get("model").asText());
        assertTrue(body.get("stream").asBoolean());
        assertEquals(ContractRuns.MAX_OUTPUT_TOKENS, body.get("max_output_tokens").asInt());
        assertFalse(body.has("max_completion_tokens"), "the chat field is not this API's");
        assertFalse(body.has("max_tokens"));
        assertFalse(body.has("stream_options"), "usage always comes with response.completed");
        assertEquals("Be terse.", body.get("instructions").asText());
        assertEquals("user", body.at("/input/0/role").asText());
        assertEquals("Say hello to the world.", body.at("/input/0/content").asText());
        assertEquals(0.2, body.get("temperature").asDouble());
        assertEquals("low", body.at("/text/verbosity").asText());
        assertFalse(body.get("store").asBoolean());

        assertEquals(1, records.size());
        RequestRecord r = records.get(0);
        assertTrue(r.ok(), r.outcome() + " " + r.error());
        assertEquals(7, r.outputTokens());
        assertEquals(12, r.inputTokens());
        assertFalse(r.tokensEstimated());
        assertEquals(6, r.contentEvents());
        assertEquals(200, r.httpStatus());
        assertEquals("req_wiremock", r.headers().get("x-request-id"));
        assertFalse(Files.readString(dir.resolve("requests.jsonl")).contains("sk-contract-secret"));
    }

    @Test
    void reasoningSummariesAndUsageReachTheRecord(@TempDir Path dir) throws Exception {
        ContractRuns.answerWithStream(server, "streams/openai-responses/reasoning.sse");
        Map<String, Object> params = Map.of("reasoning", Map.of("effort", "low", "summary", "detailed"));
        List<RequestRecord> records = ContractRuns.run(vertx, new OpenAiResponsesApi(), target(params), dir, 2);

        JsonNode body = ContractRuns.body(server.findAll(
                com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(anyUrl())).get(0));
        assertEquals("detailed", body.at("/reasoning/summary").asText());
        assertEquals(2, records.size());
        for (RequestRecord r : records) {
            assertTrue(r.ok(), r.outcome() + " " + r.error());
            assertEquals(70, r.outputTokens());
            assertEquals(64, r.reasoningTokens());
            assertEquals(8, r.cachedInputTokens());
            assertEquals(7, r.contentEvents());
            assertTrue(r.timeToFirstOutputMs() <= r.ttftMs());
        }
    }

    @Test
    void aFailedResponseIsAStreamErrorWithTheProvidersMessage(@TempDir Path dir) throws Exception {
        ContractRuns.answerWithStream(server, "streams/openai-responses/failed.sse");
        RequestRecord r = ContractRuns.run(vertx, new OpenAiResponsesApi(), target(Map.of()), dir, 1).get(0);
        assertEquals(Outcome.STREAM_ERROR, r.outcome());
        assertTrue(r.error().startsWith("The model produced invalid content."), r.error());
    }

    @Test
    void anHttpErrorKeepsOpenAisMessage(@TempDir Path dir) throws Exception {
        server.resetAll();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(429)
                .withHeader("content-type", "application/json")
                .withBody("{\"error\":{\"message\":\"Rate limit reached for gpt-4.1-mini on requests per min (RPM)"
                        + ": Limit 3, Used 3, Requested 1.\",\"type\":\"requests\",\"param\":null,"
                        + "\"code\":\"rate_limit_exceeded\"}}")));
        RequestRecord r = ContractRuns.run(vertx, new OpenAiResponsesApi(), target(Map.of()), dir, 1).get(0);
        assertEquals(Outcome.HTTP_429, r.outcome());
        assertTrue(r.error().contains("Rate limit reached"), r.error());
        assertNull(r.headers().get("authorization"));
    }
}
