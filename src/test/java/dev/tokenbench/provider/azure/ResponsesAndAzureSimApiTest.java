package dev.tokenbench.provider.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.provider.openai.OpenAiChatSimApi;
import dev.tokenbench.provider.openai.OpenAiResponsesSimApi;
import dev.tokenbench.sim.SimError;
import dev.tokenbench.sim.SimRequest;
import dev.tokenbench.sim.SimRequestException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Routing, request reading and refusals of the openai-responses, azure-openai and azure-openai-responses SimApis. */
class ResponsesAndAzureSimApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MultiMap NO_HEADERS = MultiMap.caseInsensitiveMultiMap();
    private final OpenAiResponsesSimApi responses = new OpenAiResponsesSimApi();
    private final AzureOpenAiSimApi azureChat = new AzureOpenAiSimApi();
    private final AzureOpenAiResponsesSimApi azureResponses = new AzureOpenAiResponsesSimApi();

    @Test
    void eachApiServesItsOwnPathsOnly() {
        assertEquals("openai-responses", responses.api());
        assertEquals("azure-openai", azureChat.api());
        assertEquals("azure-openai-responses", azureResponses.api());
        assertTrue(responses.handles("POST", "/v1/responses"));
        assertFalse(responses.handles("GET", "/v1/responses"));
        assertFalse(responses.handles("POST", "/v1/chat/completions"));
        assertTrue(azureChat.handles("POST", "/openai/deployments/gpt-4o-mini/chat/completions"));
        assertTrue(azureChat.handles("POST", "/openai/v1/chat/completions"));
        assertFalse(azureChat.handles("POST", "/openai/deployments//chat/completions"));
        assertFalse(azureChat.handles("POST", "/openai/deployments/a/b/chat/completions"));
        assertFalse(azureChat.handles("POST", "/v1/chat/completions"));
        assertTrue(azureResponses.handles("POST", "/openai/v1/responses"));
        assertTrue(azureResponses.handles("POST", "/openai/responses"));
        assertTrue(azureResponses.handles("POST", "/openai/deployments/gpt-4o-mini/responses"));
        assertFalse(azureResponses.handles("POST", "/v1/responses"));
        // No two APIs claim the same request, so routing order does not matter between them.
        for (String path : List.of("/v1/responses", "/openai/v1/chat/completions",
                "/openai/deployments/d/chat/completions", "/openai/v1/responses", "/openai/responses",
                "/openai/deployments/d/responses", "/v1/chat/completions")) {
            int claims = (responses.handles("POST", path) ? 1 : 0) + (azureChat.handles("POST", path) ? 1 : 0)
                    + (azureResponses.handles("POST", path) ? 1 : 0)
                    + (new OpenAiChatSimApi().handles("POST", path) ? 1 : 0);
            assertEquals(1, claims, path);
        }
    }

    @Test
    void aResponsesRequestGivesModelCapPromptAndWhetherReasoningIsShown() throws Exception {
        SimRequest r = responses.parse("/v1/responses", null, NO_HEADERS, Buffer.buffer("{\"model\":\"gpt-5-mini\","
                + "\"instructions\":\"Be brief.\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":"
                + "\"input_text\",\"text\":\"Name three rivers.\"}]}],\"stream\":true,\"max_output_tokens\":64,"
                + "\"reasoning\":{\"effort\":\"low\",\"summary\":\"auto\"}}"));
        assertEquals("gpt-5-mini", r.model());
        assertEquals(64, r.maxTokens());
        assertTrue(r.includeUsage());
        assertEquals(List.of("Be brief.", "Name three rivers."), r.promptTexts());
        assertTrue(r.wantsReasoning());
        SimRequest plain = responses.parse("/v1/responses", null, NO_HEADERS, Buffer.buffer(
                "{\"model\":\"gpt-5-mini\",\"input\":\"Hi\",\"stream\":true,\"reasoning\":{\"effort\":\"high\"}}"));
        assertNull(plain.maxTokens());
        assertFalse(plain.wantsReasoning(), "without a summary the reasoning is hidden");
        assertEquals(List.of("Hi"), plain.promptTexts());
    }

    @Test
    void responsesRefusesWhatOpenAiRefusesInItsWords() throws Exception {
        assertRefused(400, "max_output_tokens", "{\"model\":\"m\",\"input\":\"x\",\"stream\":true,"
                + "\"max_output_tokens\":8}", "Expected a value >= 16");
        assertRefused(400, "model", "{\"input\":\"x\",\"stream\":true}", "Missing required parameter: 'model'");
        assertRefused(400, "input", "{\"model\":\"m\",\"stream\":true}", "Missing required parameter: 'input'");
        assertRefused(400, "reasoning_effort", "{\"model\":\"m\",\"input\":\"x\",\"stream\":true,"
                + "\"reasoning_effort\":\"low\"}", "moved to 'reasoning.effort'");
        assertRefused(400, "stream", "{\"model\":\"m\",\"input\":\"x\"}", "only streams");
    }

    private void assertRefused(int status, String param, String body, String messagePart) throws Exception {
        SimRequestException e = assertThrows(SimRequestException.class,
                () -> responses.parse("/v1/responses", null, NO_HEADERS, Buffer.buffer(body)));
        assertEquals(status, e.statusCode);
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        SimError error = responses.error(e);
        JsonNode json = JSON.readTree(error.body().getBytes());
        assertEquals(param, json.at("/error/param").asText());
        assertEquals("invalid_request_error", json.at("/error/type").asText());
    }

    @Test
    void azureDatedRoutesNeedAnApiVersionAndV1RoutesDoNot() throws Exception {
        String chat = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
        SimRequestException e = assertThrows(SimRequestException.class, () -> azureChat.parse(
                "/openai/deployments/d/chat/completions", null, NO_HEADERS, Buffer.buffer(chat)));
        assertEquals(404, e.statusCode);
        JsonNode body = JSON.readTree(azureChat.error(e).body().getBytes());
        assertEquals("404", body.at("/error/code").asText());
        assertEquals("Resource not found", body.at("/error/message").asText());
        assertEquals("m", azureChat.parse("/openai/v1/chat/completions", null, NO_HEADERS, Buffer.buffer(chat))
                .model());
        assertEquals("m", azureChat.parse("/openai/deployments/d/chat/completions", "api-version=2024-10-21",
                NO_HEADERS, Buffer.buffer(chat)).model(), "a model in the body is kept");

        String input = "{\"model\":\"dep\",\"input\":\"x\",\"stream\":true}";
        assertThrows(SimRequestException.class, () -> azureResponses.parse("/openai/responses", "foo=bar", NO_HEADERS,
                Buffer.buffer(input)));
        assertEquals("dep", azureResponses.parse("/openai/responses", "api-version=2025-04-01-preview", NO_HEADERS,
                Buffer.buffer(input)).model());
        assertEquals("dep", azureResponses.parse("/openai/v1/responses", null, NO_HEADERS, Buffer.buffer(input))
                .model());
        String noModel = "{\"input\":\"x\",\"stream\":true}";
        assertEquals("gw-deploy", azureResponses.parse("/openai/deployments/gw-deploy/responses",
                "api-version=2025-04-01-preview", NO_HEADERS, Buffer.buffer(noModel)).model());
        assertThrows(SimRequestException.class, () -> azureResponses.parse("/openai/v1/responses", null, NO_HEADERS,
                Buffer.buffer(noModel)), "v1 needs the model in the body");
    }

    @Test
    void azureServiceErrorsAreAzureShapedWithRetryAfterOn429() throws Exception {
        SimError error = azureChat.error(429, "Requests to the ChatCompletions_Create Operation have exceeded the rate"
                + " limit of your current pricing tier.", null);
        assertEquals(429, error.status());
        assertEquals("1", error.headers().get("retry-after"));
        JsonNode body = JSON.readTree(error.body().getBytes());
        assertEquals("429", body.at("/error/code").asText());
        assertTrue(body.at("/error/message").asText().startsWith("Requests to the"));
        SimError refused = azureChat.error(new SimRequestException(400, "Missing required parameter: 'messages'.",
                "messages", "missing_required_parameter"));
        assertEquals("messages", JSON.readTree(refused.body().getBytes()).at("/error/param").asText(),
                "a refused body keeps OpenAI's shape, which Azure passes through");
        assertEquals(500, azureResponses.error(500, "boom", null).status());
    }
}
