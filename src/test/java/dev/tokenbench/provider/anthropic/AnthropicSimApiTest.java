package dev.tokenbench.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.sim.SimError;
import dev.tokenbench.sim.SimRequest;
import dev.tokenbench.sim.SimRequestException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tokenbench.sim.SimTestSupport.parseJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which requests the simulated Anthropic API takes, what it reads from them, and its refusals and errors. */
class AnthropicSimApiTest {
    private static final AnthropicSimApi SIM = new AnthropicSimApi();

    private static MultiMap headers() {
        return MultiMap.caseInsensitiveMultiMap().add("Anthropic-Version", "2023-06-01").add("x-api-key", "k");
    }

    private static SimRequest parse(String body) throws SimRequestException {
        return SIM.parse("/v1/messages", null, headers(), Buffer.buffer(body));
    }

    private static String refusal(MultiMap headers, String body) {
        SimRequestException e = assertThrows(SimRequestException.class,
                () -> SIM.parse("/v1/messages", null, headers, Buffer.buffer(body)));
        assertEquals(400, e.statusCode);
        return e.getMessage();
    }

    @Test
    void handlesOnlyPostMessages() {
        assertEquals("anthropic", SIM.api());
        assertTrue(SIM.handles("POST", "/v1/messages"));
        assertFalse(SIM.handles("GET", "/v1/messages"));
        assertFalse(SIM.handles("POST", "/v1/chat/completions"));
        assertFalse(SIM.handles("POST", "/v1/messages/count_tokens"));
    }

    @Test
    void readsModelCapPromptTextsAndThinking() throws SimRequestException {
        SimRequest request = parse("{\"model\":\"claude-sim\",\"max_tokens\":3000,\"stream\":true,"
                + "\"system\":[{\"type\":\"text\",\"text\":\"Be brief.\"}],"
                + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}]},"
                + "{\"role\":\"assistant\",\"content\":\"Hello.\"},{\"role\":\"user\",\"content\":\"Rivers?\"}]}");
        assertEquals("claude-sim", request.model());
        assertEquals(3000, request.maxTokens());
        assertTrue(request.includeUsage(), "Anthropic always streams usage");
        assertTrue(request.wantsReasoning());
        assertEquals(List.of("Be brief.", "Hi", "Hello.", "Rivers?"), request.promptTexts());

        assertTrue(parse("{\"model\":\"m\",\"max_tokens\":10,\"stream\":true,\"thinking\":{\"type\":\"adaptive\"},"
                + "\"messages\":[]}").wantsReasoning());
        assertFalse(parse("{\"model\":\"m\",\"max_tokens\":10,\"stream\":true,\"thinking\":{\"type\":\"disabled\"},"
                + "\"messages\":[]}").wantsReasoning());
        assertFalse(parse("{\"model\":\"m\",\"max_tokens\":10,\"stream\":true,\"messages\":[]}").wantsReasoning());
    }

    @Test
    void refusesWhatAnthropicRefuses() {
        String ok = "\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";
        assertEquals("anthropic-version: header is required", refusal(MultiMap.caseInsensitiveMultiMap(),
                "{" + ok + ",\"max_tokens\":5}"));
        assertEquals("max_tokens: Field required", refusal(headers(), "{" + ok + "}"));
        assertEquals("max_tokens: Input should be greater than or equal to 1",
                refusal(headers(), "{" + ok + ",\"max_tokens\":0}"));
        assertEquals("model: Field required", refusal(headers(),
                "{\"max_tokens\":5,\"stream\":true,\"messages\":[]}"));
        assertEquals("messages: Field required", refusal(headers(),
                "{\"model\":\"m\",\"max_tokens\":5,\"stream\":true}"));
        assertEquals("The request body is not valid JSON.", refusal(headers(), "{\"model\":"));
        assertTrue(refusal(headers(), "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[]}").contains("stream"));
        assertEquals("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024",
                refusal(headers(), "{" + ok + ",\"max_tokens\":5000,"
                        + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":100}}"));
        assertEquals("`max_tokens` must be greater than `thinking.budget_tokens`.",
                refusal(headers(), "{" + ok + ",\"max_tokens\":1024,"
                        + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}}"));
    }

    @Test
    void errorsAreShapedAsAnthropicShapesThem() {
        SimError overloaded = SIM.error(529, "Overloaded", null);
        assertEquals(529, overloaded.status());
        assertEquals("application/json", overloaded.contentType());
        JsonNode body = parseJson(overloaded.body().toString());
        assertEquals("error", body.path("type").asText());
        assertEquals("overloaded_error", body.path("error").path("type").asText());
        assertEquals("Overloaded", body.path("error").path("message").asText());

        SimError limited = SIM.error(429, "Number of request tokens has exceeded your per-minute rate limit", null);
        assertEquals("rate_limit_error", parseJson(limited.body().toString()).path("error").path("type").asText());
        assertEquals("1", limited.headers().get("retry-after"));

        assertEquals("invalid_request_error", parseJson(SIM.error(400, "bad \"quote\"", "missing_required_parameter")
                .body().toString()).path("error").path("type").asText());
        assertEquals("api_error", AnthropicSimApi.errorType(500));
        assertEquals("authentication_error", AnthropicSimApi.errorType(401));
        assertEquals("not_found_error", AnthropicSimApi.errorType(404));
    }
}
