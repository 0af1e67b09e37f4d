package dev.tokenbench.provider.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tokenbench.config.ProviderAccess;
import dev.tokenbench.config.Secret;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.provider.openai.ContractRuns;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request contracts of azure-openai and azure-openai-responses, through the real engine against WireMock:
 * both URL forms of each API with their api-version query, {@code api-key} versus a Microsoft Entra bearer token,
 * and the body fields (stream, usage requested, each API's own max-tokens field, the deployment as the model,
 * params merged); then the recorded request built from an Azure golden stream.
 */
class AzureOpenAiContractTest {
    private static final Secret KEY = new Secret("azure-key-secret", "env:AZURE_OPENAI_API_KEY");
    private static final Secret ENTRA_TOKEN = new Secret("entra-token-secret", "env:AZURE_OPENAI_AD_TOKEN");
    private static final ProviderAccess API_KEY = new ProviderAccess("api-key", null, List.of(), null, null, null);
    private static final ProviderAccess ENTRA = new ProviderAccess("entra", ENTRA_TOKEN, List.of(), null, null, null);
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

    private static TargetSpec target(String api, String model, String deployment, String apiVersion,
            Map<String, Object> params, String maxTokensField, ProviderAccess access) {
        return ContractRuns.target(api, ContractRuns.baseUrl(server), model, deployment, apiVersion, KEY, params,
                maxTokensField, access);
    }

    private static void assertOk(List<RequestRecord> records, long outputTokens, int contentEvents, Path dir)
            throws Exception {
        assertEquals(1, records.size());
        RequestRecord r = records.get(0);
        assertTrue(r.ok(), r.outcome() + " " + r.error());
        assertEquals(outputTokens, r.outputTokens());
        assertFalse(r.tokensEstimated());
        assertEquals(contentEvents, r.contentEvents());
        String written = Files.readString(dir.resolve("requests.jsonl"));
        assertFalse(written.contains("azure-key-secret") || written.contains("entra-token-secret"));
    }

    @Test
    void chatOnADeploymentWithAnApiKey(@TempDir Path dir) throws Exception {
        ContractRuns.answerWithStream(server, "streams/azure-openai/usage.sse");
        TargetSpec t = target(AzureOpenAiApi.NAME, null, "gpt-4o-mini-prod", "2024-10-21",
                Map.of("temperature", 0), "max_completion_tokens", API_KEY);
        List<RequestRecord> records = ContractRuns.run(vertx, new AzureOpenAiApi(), t, dir, 1);

        LoggedRequest request = ContractRuns.onlyRequest(server);
        assertEquals("/openai/deployments/gpt-4o-mini-prod/chat/completions?api-version=2024-10-21",
                request.getUrl());
        assertEquals("2024-10-21", request.queryParameter("api-version").firstValue());
        assertEquals("azure-key-secret", request.getHeader("api-key"));
        assertFalse(request.containsHeader("authorization"));
        JsonNode body = ContractRuns.body(request);
        assertEquals("gpt-4o-mini-prod", body.get("model").asText());
        assertTrue(body.get("stream").asBoolean());
        assertTrue(body.at("/stream_options/include_usage").asBoolean());
        assertEquals(ContractRuns.MAX_OUTPUT_TOKENS, body.get("max_completion_tokens").asInt());
        assertEquals(0, body.get("temperature").asInt());
        assertEquals("system", body.at("/messages/0/role").asText());
        assertEquals("Say hello to the world.", body.at("/messages/1/content").asText());
        assertOk(records, 7, 6, dir);
    }

    /** v1: no deployment in the path, the model in the body; a dated api-version does not apply to it. */
    @Test
    void chatOnTheV1ApiWithAnEntraToken(@TempDir Path dir) throws Exception {
        ContractRuns.answerWithStream(server, "streams/azure-openai/async-filter.sse");
        TargetSpec t = target(AzureOpenAiApi.NAME, "gpt-4.1-mini", null, "2024-10-21", Map.of(), "max_tokens",
                ENTRA);
        List<RequestRecord> records = ContractRuns.run(vertx, new AzureOpenAiApi(), t, dir, 1);

        LoggedRequest request = ContractRuns.onlyRequest(server);
        assertEquals("/openai/v1/chat/completions", request.getUrl());
        assertEquals("Bearer entra-token-secret", request.getHeader("authorization"));
        assertFalse(request.containsHeader("api-key"));
        JsonNode body = ContractRuns.body(request);
        assertEquals("gpt-4.1-mini", body.get("model").asText());
        assertEquals(ContractRuns.MAX_OUTPUT_TOKENS, body.get("max_tokens").asInt());
        assertFalse(body.has("max_completion_tokens"));
        assertTrue(body.at("/stream_options/include_usage").asBoolean());
        assertOk(records, 7, 6, dir);
    }

    @Test
    void chatWithHiddenReasoningKeepsTheReasoningTokens(@TempDir Path dir) throws Exception {
        ContractRuns.answerWithStream(server, "streams/azure-openai/reasoning-hidden.sse");
        TargetSpec t = target(AzureOpenAiApi.NAME, null, "o4-mini", null, Map.of("reasoning_effort", "high"),
                "max_completion_tokens", API_KEY);
        List<RequestRecord> records = ContractRuns.run(vertx, new AzureOpenAiApi(), t, dir, 1);

        LoggedRequest request = ContractRuns.onlyRequest(server);
        assertEquals("/openai/deployments/o4-mini/chat/completions?api-version=" + AzureOpenAiApi.DEFAULT_API_VERSION,
                request.getUrl());
        assertEquals("high", ContractRuns.body(request).get("reasoning_effort").asText());
        assertOk(records, 196, 4, dir);
        assertEquals(192, records.get(0).reasoningTokens());
    }

    @Test
    void responsesOnTheV1Api(@TempDir Path dir) throws Exception {
        ContractRuns.answerWithStream(server, "streams/azure-openai-responses/usage.sse");
        TargetSpec t = target(AzureOpenAiResponsesApi.NAME, "gpt-4.1-mini", null, "2025-04-01-preview",
                Map.of("reasoning_effort", "low"), "max_completion_tokens", API_KEY);
        List<RequestRecord> records = ContractRuns.run(vertx, new AzureOpenAiResponsesApi(), t, dir, 1);

        LoggedRequest request = ContractRuns.onlyRequest(server);
        assertEquals("/openai/v1/responses", request.getUrl());
        assertEquals("azure-key-secret", request.getHeader("api-key"));
        assertFalse(request.containsHeader("authorization"));
        JsonNode body = ContractRuns.body(request);
        assertEquals("gpt-4.1-mini", body.get("model").asText());
        assertTrue(body.get("stream").asBoolean());
        assertEquals(ContractRuns.MAX_OUTPUT_TOKENS, body.get("max_output_tokens").asInt());
        assertFalse(body.has("max_completion_tokens"));
        assertEquals("low", body.at("/reasoning/effort").asText());
        assertEquals("Be terse.", body.get("instructions").asText());
        assertOk(records, 7, 6, dir);
    }

    /** A deployment and a dated api-version: the preview form, the deployment named as the model. */
    @Test
    void responsesOnADeploymentWithADatedApiVersionAndEntra(@TempDir Path dir) throws Exception {
        ContractRuns.answerWithStream(server, "streams/azure-openai-responses/usage.sse");
        TargetSpec t = target(AzureOpenAiResponsesApi.NAME, null, "gpt-41-mini-eu", "2025-04-01-preview", Map.of(),
                "max_completion_tokens", ENTRA);
        List<RequestRecord> records = ContractRuns.run(vertx, new AzureOpenAiResponsesApi(), t, dir, 1);

        LoggedRequest request = ContractRuns.onlyRequest(server);
        assertEquals("/openai/responses?api-version=2025-04-01-preview", request.getUrl());
        assertEquals("Bearer entra-token-secret", request.getHeader("authorization"));
        assertFalse(request.containsHeader("api-key"));
        assertEquals("gpt-41-mini-eu", ContractRuns.body(request).get("model").asText());
        assertOk(records, 7, 6, dir);
    }

    /** api-version v1 with a deployment: the v1 URL, the deployment as the model. */
    @Test
    void aDeploymentCanAskForTheV1Api() {
        TargetSpec chat = target(AzureOpenAiApi.NAME, null, "my-deploy", "v1", Map.of(), "max_completion_tokens",
                API_KEY);
        var prepared = new AzureOpenAiApi().prepare(chat, "https://res.openai.azure.com/openai/v1",
                ContractRuns.PROMPT, 0);
        assertEquals("https://res.openai.azure.com/openai/v1/chat/completions", prepared.absoluteUri());
        assertTrue(new String(prepared.body(), java.nio.charset.StandardCharsets.UTF_8)
                .contains("\"model\":\"my-deploy\""));
        TargetSpec responses = target(AzureOpenAiResponsesApi.NAME, null, "my-deploy", "preview", Map.of(),
                "max_completion_tokens", API_KEY);
        assertEquals("https://res.openai.azure.com/openai/v1/responses?api-version=preview",
                new AzureOpenAiResponsesApi().prepare(responses, "https://res.openai.azure.com/", ContractRuns.PROMPT,
                        0).absoluteUri());
        assertFalse(prepared.toString().contains("azure-key-secret"));
    }

    @Test
    void beforeRunSaysWhatIsMissingWithoutShowingSecrets() {
        TargetSpec noToken = target(AzureOpenAiApi.NAME, null, "d", null, Map.of(), null,
                new ProviderAccess("entra", null, List.of(), null, null, null));
        Exception e = assertThrows(IllegalArgumentException.class, () -> new AzureOpenAiApi().beforeRun(noToken));
        assertTrue(e.getMessage().contains("access-token"), e.getMessage());
        TargetSpec nothing = target(AzureOpenAiResponsesApi.NAME, null, null, null, Map.of(), null, API_KEY);
        e = assertThrows(IllegalArgumentException.class, () -> new AzureOpenAiResponsesApi().beforeRun(nothing));
        assertTrue(e.getMessage().contains("deployment"), e.getMessage());
        assertFalse(e.getMessage().contains("azure-key-secret"));
        assertNull(new AzureOpenAiApi().prepare(target(AzureOpenAiApi.NAME, null, "d", null, Map.of(), null,
                ENTRA), "https://r.openai.azure.com", ContractRuns.PROMPT, 0).headers().get("api-key"));
    }
}
