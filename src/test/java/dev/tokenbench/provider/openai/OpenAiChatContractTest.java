package dev.tokenbench.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tokenbench.config.ProviderAccess;
import dev.tokenbench.config.Secret;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.RequestRecord;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * openai-chat's request contract through the real engine against WireMock: path, Bearer auth, tokenbench's own
 * x-request-id, and the body fields of the Chat Completions reference (stream, stream_options.include_usage,
 * the max-tokens field the target names, system and user messages, params merged).
 */
class OpenAiChatContractTest {
    private static final Secret KEY = new Secret("sk-chat-contract-secret", "env:OPENAI_API_KEY");
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

    private TargetSpec target(Secret key, String maxTokensField, Map<String, Object> params) {
        return ContractRuns.target(OpenAiChatApi.NAME, ContractRuns.baseUrl(server) + "/v1", "gpt-4.1-mini", null,
                null, key, params, maxTokensField, ProviderAccess.NONE);
    }

    @Test
    void postsAStreamingChatRequestAskingForUsage(@TempDir Path dir) throws Exception {
        ContractRuns.answerWithStream(server, "streams/openai-chat/usage.sse");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("temperature", 0);
        params.put("seed", 7);
        List<RequestRecord> records = ContractRuns.run(vertx, new OpenAiChatApi(),
                target(KEY, "max_completion_tokens", params), dir, 1);

        LoggedRequest request = ContractRuns.onlyRequest(server);
        assertEquals("/v1/chat/completions", request.getUrl());
        assertEquals("Bearer sk-chat-contract-secret", request.getHeader("Authorization"));
        assertEquals("text/event-stream", request.getHeader("Accept"));
        assertEquals(records.get(0).requestId(), request.getHeader("x-request-id"));
        JsonNode body = ContractRuns.body(request);
        assertEquals("gpt-4.1-mini", body.path("model").asText());
        assertTrue(body.path("stream").asBoolean());
        assertTrue(body.path("stream_options").path("include_usage").asBoolean());
        assertEquals(ContractRuns.MAX_OUTPUT_TOKENS, body.path("max_completion_tokens").asInt());
        assertFalse(body.has("max_tokens"));
        assertEquals("system", body.path("messages").get(0).path("role").asText());
        assertEquals(ContractRuns.PROMPT.system(), body.path("messages").get(0).path("content").asText());
        assertEquals(ContractRuns.PROMPT.user(), body.path("messages").get(1).path("content").asText());
        assertEquals(0, body.path("temperature").asInt());
        assertEquals(7, body.path("seed").asInt());

        RequestRecord r = records.get(0);
        assertTrue(r.ok(), r.outcome() + " " + r.error());
        assertEquals(7, r.outputTokens());
        assertEquals(12, r.inputTokens());
        assertFalse(r.tokensEstimated());
        assertEquals("req_wiremock", r.headers().get("x-request-id"));
    }

    @Test
    void anOlderServerGetsMaxTokensAndAKeylessOneNoAuthorization(@TempDir Path dir) throws Exception {
        ContractRuns.answerWithStream(server, "streams/openai-chat/no-usage.sse");
        List<RequestRecord> records = ContractRuns.run(vertx, new OpenAiChatApi(),
                target(null, "max_tokens", Map.of()), dir, 1);

        LoggedRequest request = ContractRuns.onlyRequest(server);
        assertNull(request.getHeader("Authorization"));
        JsonNode body = ContractRuns.body(request);
        assertEquals(ContractRuns.MAX_OUTPUT_TOKENS, body.path("max_tokens").asInt());
        assertFalse(body.has("max_completion_tokens"));
        RequestRecord r = records.get(0);
        assertTrue(r.ok(), r.outcome() + " " + r.error());
        assertTrue(r.tokensEstimated(), "no usage in the stream: counted with the tokenizer");
        assertTrue(r.outputTokens() > 0);
    }
}
