package dev.tokenbench.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.ProviderAccess;
import dev.tokenbench.config.Secret;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.provider.PreparedRequest;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** URLs and bodies as built before the run: defaults, derived bases, and where each param lands. */
class GeminiRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Prompt NO_SYSTEM = new Prompt("p", null, "hi", null);

    private static TargetSpec gemini(String model, Map<String, Object> params) {
        return TargetSpec.builder()
                .name("g")
                .api(GeminiApi.NAME)
                .baseUrl(null)
                .model(model)
                .deployment(null)
                .apiVersion(null)
                .apiKey(new Secret("k", "env:K"))
                .pricing(null)
                .labels(Map.of())
                .params(params)
                .maxOutputTokens(null)
                .maxTokensField(null)
                .tokenizer("o200k_base")
                .access(ProviderAccess.NONE)
                .build();
    }

    private static TargetSpec vertex(String location) {
        return TargetSpec.builder()
                .name("v")
                .api(VertexGeminiApi.NAME)
                .baseUrl(null)
                .model("gemini-2.5-pro")
                .deployment(null)
                .apiVersion(null)
                .apiKey(null)
                .pricing(null)
                .labels(Map.of())
                .params(null)
                .maxOutputTokens(null)
                .maxTokensField(null)
                .tokenizer("o200k_base")
                .access(new ProviderAccess("bearer", new Secret("tok", "env:T"), List.of(), null, "my-proj", location))
                .build();
    }

    private static JsonNode body(PreparedRequest request) throws Exception {
        return JSON.readTree(request.body());
    }

    @Test
    void geminiDefaultsToGooglesBaseAndAcceptsTheModelsResourceName() {
        PreparedRequest request = new GeminiApi().prepare(gemini("models/gemini-2.5-flash", null), null, NO_SYSTEM, 0);
        assertEquals("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash"
                + ":streamGenerateContent?alt=sse", request.absoluteUri());
        assertEquals("POST", request.method());
        assertEquals("text/event-stream", request.headers().get("accept"));
        assertEquals("k", request.headers().get("x-goog-api-key"));
        assertFalse(request.absoluteUri().contains("key="), "the key is never in the URL");
    }

    @Test
    void vertexDerivesItsBaseFromTheLocation() {
        VertexGeminiApi api = new VertexGeminiApi();
        assertEquals("https://europe-west4-aiplatform.googleapis.com/v1/projects/my-proj/locations/europe-west4/"
                        + "publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse",
                api.prepare(vertex("europe-west4"), null, NO_SYSTEM, 0).absoluteUri());
        assertEquals("https://aiplatform.googleapis.com/v1/projects/my-proj/locations/global/"
                        + "publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse",
                api.prepare(vertex("global"), null, NO_SYSTEM, 0).absoluteUri());
        assertEquals("https://proxy.internal/v1/projects/my-proj/locations/global/publishers/google/models/"
                        + "gemini-2.5-pro:streamGenerateContent?alt=sse",
                api.prepare(vertex("global"), "https://proxy.internal", NO_SYSTEM, 0).absoluteUri());
        assertEquals("https://us-central1-aiplatform.googleapis.com", VertexGeminiApi.baseUrlFor("us-central1"));
    }

    @Test
    void withoutSystemPromptCapOrParamsTheBodyIsJustTheContents() throws Exception {
        JsonNode body = body(new GeminiApi().prepare(gemini("gemini-2.5-flash", null), null, NO_SYSTEM, 0));
        assertEquals("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}", body.toString());
    }

    @Test
    void paramsLandInGenerationConfigUnlessTheyNameATopLevelField() throws Exception {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("thinkingConfig", Map.of("thinkingBudget", 0));
        params.put("generation_config", Map.of("thinkingConfig", Map.of("includeThoughts", true)));
        params.put("maxOutputTokens", 64);
        params.put("system_instruction", Map.of("parts", List.of(Map.of("text", "Be brief."))));
        params.put("labels", Map.of("team", "perf"));
        JsonNode body = body(new GeminiApi().prepare(gemini("gemini-2.5-flash", params), null, NO_SYSTEM, 500));

        JsonNode generationConfig = body.get("generationConfig");
        assertEquals(64, generationConfig.get("maxOutputTokens").asInt(), "params win over max-output-tokens");
        assertEquals(0, generationConfig.at("/thinkingConfig/thinkingBudget").asInt());
        assertTrue(generationConfig.at("/thinkingConfig/includeThoughts").asBoolean(), "objects merge deeply");
        assertNull(body.get("generation_config"), "one field, one spelling");
        assertNull(body.get("system_instruction"));
        assertEquals("Be brief.", body.at("/systemInstruction/parts/0/text").asText());
        assertEquals("perf", body.at("/labels/team").asText());
    }

    @Test
    void contentsCannotBeAParam() {
        TargetSpec target = gemini("gemini-2.5-flash", Map.of("contents", List.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GeminiApi().beforeRun(target));
        assertTrue(e.getMessage().contains("params.contents"), e.getMessage());
    }
}
