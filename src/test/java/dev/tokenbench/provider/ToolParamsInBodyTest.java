package dev.tokenbench.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.config.ProviderAccess;
import dev.tokenbench.config.Secret;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.core.Json;
import dev.tokenbench.provider.openai.ContractRuns;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A benchmark sends {@code tools} and {@code tool_choice} (each API's spelling) through a target's {@code params}:
 * they arrive in the request body byte for byte as written, in the place each API reads them. No request builder
 * needed a change for it: params are merged into every body.
 */
class ToolParamsInBodyTest {
    private static final Map<String, Object> FUNCTION = Map.of("type", "function", "function",
            Map.of("name", "get_weather", "description", "Weather for a city, e.g. \"Zürich\"",
                    "parameters", Map.of("type", "object", "properties",
                            Map.of("location", Map.of("type", "string")), "required", List.of("location"))));

    private static JsonNode body(String api, String baseUrl, Map<String, Object> params) throws Exception {
        TargetSpec target = ContractRuns.target(api, baseUrl, "m", "d", "2024-10-21", new Secret("k", "env:K"), params,
                null, ProviderAccess.NONE);
        PreparedRequest request = ProviderRegistry.defaults().get(api).prepare(target, baseUrl, ContractRuns.PROMPT, 64);
        return Json.MAPPER.readTree(request.body());
    }

    private static void assertSameBytes(Object expected, JsonNode actual) throws Exception {
        assertEquals(Json.MAPPER.writeValueAsString(Json.MAPPER.valueToTree(expected)),
                Json.MAPPER.writeValueAsString(actual));
    }

    @Test
    void openAiChatAndAzureTakeToolsAndToolChoiceAtTheTop() throws Exception {
        for (String api : List.of("openai-chat", "azure-openai")) {
            Map<String, Object> params = Map.of("tools", List.of(FUNCTION), "tool_choice",
                    Map.of("type", "function", "function", Map.of("name", "get_weather")), "parallel_tool_calls", false);
            JsonNode body = body(api, "http://127.0.0.1:9/v1", params);
            assertSameBytes(params.get("tools"), body.get("tools"));
            assertSameBytes(params.get("tool_choice"), body.get("tool_choice"));
            assertEquals(false, body.get("parallel_tool_calls").asBoolean(true), api);
        }
    }

    @Test
    void responsesTakesItsFlatFunctionTools() throws Exception {
        List<Object> tools = List.of(Map.of("type", "function", "name", "get_weather", "parameters",
                Map.of("type", "object")));
        JsonNode body = body("openai-responses", "http://127.0.0.1:9/v1", Map.of("tools", tools, "tool_choice",
                "required"));
        assertSameBytes(tools, body.get("tools"));
        assertEquals("required", body.get("tool_choice").asText());
    }

    @Test
    void anthropicTakesToolsWithInputSchema() throws Exception {
        List<Object> tools = List.of(Map.of("name", "get_weather", "input_schema", Map.of("type", "object")));
        Map<String, Object> choice = Map.of("type", "tool", "name", "get_weather");
        JsonNode body = body("anthropic", "http://127.0.0.1:9", Map.of("tools", tools, "tool_choice", choice));
        assertSameBytes(tools, body.get("tools"));
        assertSameBytes(choice, body.get("tool_choice"));
    }

    @Test
    void geminiTakesFunctionDeclarationsAndToolConfigAtTheTop() throws Exception {
        List<Object> tools = List.of(Map.of("functionDeclarations", List.of(Map.of("name", "get_weather"))));
        Map<String, Object> config = Map.of("functionCallingConfig", Map.of("mode", "ANY"));
        JsonNode body = body("gemini", "http://127.0.0.1:9", Map.of("tools", tools, "toolConfig", config));
        assertSameBytes(tools, body.get("tools"));
        assertSameBytes(config, body.get("toolConfig"));
    }

    @Test
    void bedrockTakesToolConfig() throws Exception {
        Map<String, Object> config = Map.of("tools", List.of(Map.of("toolSpec", Map.of("name", "get_weather",
                "inputSchema", Map.of("json", Map.of("type", "object"))))), "toolChoice", Map.of("any", Map.of()));
        JsonNode body = body("bedrock-converse", "http://127.0.0.1:9", Map.of("toolConfig", config));
        assertSameBytes(config, body.get("toolConfig"));
    }
}
