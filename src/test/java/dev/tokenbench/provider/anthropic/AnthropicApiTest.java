package dev.tokenbench.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.config.Pricing;
import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.ProviderAccess;
import dev.tokenbench.config.Secret;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.provider.PreparedRequest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request as Anthropic's API reference asks for it: path, headers, body fields, defaults. */
class AnthropicApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AnthropicApi api = new AnthropicApi();

    static TargetSpec target(String apiVersion, Map<String, Object> params) {
        return TargetSpec.builder()
                .name("claude")
                .api(AnthropicApi.NAME)
                .baseUrl("https://api.anthropic.com")
                .model("claude-sonnet-4-5")
                .deployment(null)
                .apiVersion(apiVersion)
                .apiKey(new Secret("sk-ant-test-key", "env:ANTHROPIC_API_KEY"))
                .pricing(Pricing.NONE)
                .labels(Map.of())
                .params(params)
                .maxOutputTokens(null)
                .maxTokensField(null)
                .tokenizer(null)
                .access(ProviderAccess.NONE)
                .build();
    }

    private static JsonNode body(PreparedRequest request) throws IOException {
        return JSON.readTree(request.body());
    }

    @Test
    void streamingMessagesRequestWithSystemPromptAndCap() throws IOException {
        PreparedRequest request = api.prepare(target("2023-06-01", Map.of("temperature", 0.2)),
                "https://api.anthropic.com", new Prompt("p1", "You are terse.", "Name three rivers.", null), 300);

        assertEquals("POST", request.method());
        assertEquals("https://api.anthropic.com/v1/messages", request.absoluteUri());
        assertEquals("sk-ant-test-key", request.headers().get("x-api-key"));
        assertEquals("2023-06-01", request.headers().get("anthropic-version"));
        assertEquals("application/json", request.headers().get("content-type"));
        assertFalse(request.headers().containsKey("authorization"));
        assertFalse(request.toString().contains("sk-ant-test-key"), request.toString());

        JsonNode body = body(request);
        assertEquals("claude-sonnet-4-5", body.path("model").asText());
        assertEquals(300, body.path("max_tokens").asInt());
        assertEquals("You are terse.", body.path("system").asText());
        assertEquals(1, body.path("messages").size());
        assertEquals("user", body.path("messages").get(0).path("role").asText());
        assertEquals("Name three rivers.", body.path("messages").get(0).path("content").asText());
        assertTrue(body.path("stream").asBoolean());
        assertEquals(0.2, body.path("temperature").asDouble());
        assertFalse(body.has("stream_options"), "Anthropic always streams usage; there is nothing to ask for");
    }

    @Test
    void withoutACapMaxTokensDefaultsAndMakesRoomForTheThinkingBudget() throws IOException {
        Prompt prompt = new Prompt("p1", null, "Hi", null);
        JsonNode plain = body(api.prepare(target(null, null), "https://api.anthropic.com", prompt, 0));
        assertEquals(AnthropicApi.DEFAULT_MAX_TOKENS, plain.path("max_tokens").asInt());
        assertFalse(plain.has("system"));

        Map<String, Object> thinking = new LinkedHashMap<>();
        thinking.put("type", "enabled");
        thinking.put("budget_tokens", 2048);
        PreparedRequest request = api.prepare(target(null, Map.of("thinking", thinking)),
                "https://api.anthropic.com", prompt, 0);
        JsonNode body = body(request);
        assertEquals(AnthropicApi.DEFAULT_MAX_TOKENS + 2048, body.path("max_tokens").asInt());
        assertEquals("enabled", body.path("thinking").path("type").asText());
        assertEquals(2048, body.path("thinking").path("budget_tokens").asInt());
        assertEquals(AnthropicApi.DEFAULT_ANTHROPIC_VERSION, request.headers().get("anthropic-version"));
    }

    @Test
    void paramsMayOverrideAnythingButStream() throws IOException {
        JsonNode body = body(api.prepare(target(null, Map.of("max_tokens", 77, "stream", false)),
                "https://api.anthropic.com", new Prompt("p1", null, "Hi", null), 300));
        assertEquals(77, body.path("max_tokens").asInt());
        assertTrue(body.path("stream").asBoolean());
    }

    @Test
    void baseUrlForms() {
        assertEquals("https://api.anthropic.com/v1/messages", AnthropicApi.messagesUri(null));
        assertEquals("https://api.anthropic.com/v1/messages", AnthropicApi.messagesUri("https://api.anthropic.com/"));
        assertEquals("http://127.0.0.1:4000/v1/messages", AnthropicApi.messagesUri("http://127.0.0.1:4000"));
        assertEquals("https://gw.example.com/anthropic/v1/messages",
                AnthropicApi.messagesUri("https://gw.example.com/anthropic/v1"));
        assertEquals("http://127.0.0.1:9/claude-fast/v1/messages",
                AnthropicApi.messagesUri("http://127.0.0.1:9/claude-fast"));
    }

    @Test
    void aNewerAnthropicVersionIsSentAsGiven() {
        PreparedRequest request = api.prepare(target("2024-01-01", null), "https://api.anthropic.com",
                new Prompt("p1", null, "Hi", null), 10);
        assertEquals("2024-01-01", request.headers().get("anthropic-version"));
    }
}
