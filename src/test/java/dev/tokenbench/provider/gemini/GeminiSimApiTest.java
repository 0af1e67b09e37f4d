package dev.tokenbench.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.sim.SimApi;
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

/** Which requests the simulated Gemini API and Vertex AI take, what they read from them, and Google's errors. */
class GeminiSimApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final GeminiSimApi GEMINI = new GeminiSimApi();
    private static final GeminiSimApi VERTEX = GeminiSimApi.vertex();
    private static final String GEMINI_PATH = "/v1beta/models/gemini-2.5-flash:streamGenerateContent";
    private static final String VERTEX_PATH = "/v1/projects/my-proj/locations/us-central1/publishers/google/models/"
            + "gemini-2.5-pro:streamGenerateContent";

    private static SimRequest parse(SimApi api, String path, String body) throws SimRequestException {
        return api.parse(path, "alt=sse", MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(body));
    }

    private static SimRequestException refusal(String path, String query, String body) {
        return assertThrows(SimRequestException.class,
                () -> GEMINI.parse(path, query, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(body)));
    }

    @Test
    void eachFormHandlesItsOwnPaths() {
        assertEquals("gemini", GEMINI.api());
        assertEquals("vertex-gemini", VERTEX.api());
        assertTrue(GEMINI.handles("POST", GEMINI_PATH));
        assertTrue(GEMINI.handles("POST", "/v1beta/models/gemini-2.5-flash:generateContent"));
        assertFalse(GEMINI.handles("GET", GEMINI_PATH));
        assertFalse(GEMINI.handles("POST", VERTEX_PATH));
        assertFalse(GEMINI.handles("POST", "/v1beta/models/gemini-2.5-flash:countTokens"));
        assertFalse(GEMINI.handles("POST", "/v1beta/models/:streamGenerateContent"));
        assertFalse(GEMINI.handles("POST", "/v1/chat/completions"));
        assertTrue(VERTEX.handles("POST", VERTEX_PATH));
        assertTrue(VERTEX.handles("POST", VERTEX_PATH.replace("/v1/", "/v1beta1/")));
        assertTrue(VERTEX.handles("POST", VERTEX_PATH.replace("us-central1", "global")));
        assertFalse(VERTEX.handles("POST", GEMINI_PATH));
        assertFalse(VERTEX.handles("POST", VERTEX_PATH.replace("/google/", "/anthropic/")));
        assertFalse(VERTEX.handles("POST", "/v1/projects/p/locations/l/publishers/google/models/a/b"
                + ":streamGenerateContent"));
    }

    @Test
    void readsModelCapThoughtsAndPromptTexts() throws SimRequestException {
        SimRequest request = parse(GEMINI, GEMINI_PATH, "{\"contents\":[{\"role\":\"user\",\"parts\":["
                + "{\"text\":\"Name a river.\"}]},{\"role\":\"model\",\"parts\":[{\"text\":\"Rhine.\"}]}],"
                + "\"systemInstruction\":{\"parts\":[{\"text\":\"Be brief.\"}]},"
                + "\"generationConfig\":{\"maxOutputTokens\":300,\"thinkingConfig\":{\"includeThoughts\":true,"
                + "\"thinkingBudget\":512}}}");
        assertEquals("gemini-2.5-flash", request.model());
        assertEquals(300, request.maxTokens());
        assertTrue(request.includeUsage(), "Google always sends usageMetadata");
        assertTrue(request.wantsReasoning());
        assertEquals(List.of("Be brief.", "Name a river.", "Rhine."), request.promptTexts());

        SimRequest vertex = parse(VERTEX, VERTEX_PATH, "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":"
                + "\"hi\"}]}],\"generation_config\":{\"max_output_tokens\":5,\"thinking_config\":"
                + "{\"include_thoughts\":false}}}");
        assertEquals("gemini-2.5-pro", vertex.model());
        assertEquals(5, vertex.maxTokens());
        assertFalse(vertex.wantsReasoning());

        SimRequest bare = parse(GEMINI, GEMINI_PATH, "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}");
        assertNull(bare.maxTokens());
        assertFalse(bare.wantsReasoning());
    }

    @Test
    void refusesWhatItCannotStreamWithGooglesStatus() {
        String body = "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}";
        SimRequestException noSse = refusal(GEMINI_PATH, null, body);
        assertEquals(400, noSse.statusCode);
        assertEquals("INVALID_ARGUMENT", noSse.code);
        assertTrue(noSse.getMessage().contains("alt=sse"));
        assertEquals(400, refusal(GEMINI_PATH, "key=abc", body).statusCode);
        assertTrue(refusal("/v1beta/models/m:generateContent", "alt=sse", body).getMessage().contains("only streams"));
        assertTrue(refusal(GEMINI_PATH, "alt=sse", "{not json").getMessage().startsWith("Invalid JSON payload"));
        assertTrue(refusal(GEMINI_PATH, "alt=sse", "{\"contents\":[]}").getMessage().contains("contents"));
        assertTrue(refusal(GEMINI_PATH, "alt=sse", "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}],"
                + "\"generationConfig\":{\"maxOutputTokens\":0}}").getMessage().contains("max_output_tokens"));
    }

    @Test
    void errorsAreGoogleShaped() throws Exception {
        SimError quota = GEMINI.error(429, "Resource has been exhausted (e.g. check quota).", null);
        assertEquals(429, quota.status());
        assertEquals("application/json; charset=UTF-8", quota.contentType());
        JsonNode error = JSON.readTree(quota.body().getBytes()).get("error");
        assertEquals(429, error.get("code").asInt());
        assertEquals("Resource has been exhausted (e.g. check quota).", error.get("message").asText());
        assertEquals("RESOURCE_EXHAUSTED", error.get("status").asText());

        JsonNode notFound = JSON.readTree(VERTEX.error(404, "The scenario `x` does not exist.", "model_not_found")
                .body().getBytes()).get("error");
        assertEquals("NOT_FOUND", notFound.get("status").asText(), "an OpenAI-style code is not Google's status");
        assertEquals("UNAVAILABLE", JSON.readTree(GEMINI.error(503, "overloaded", null).body().getBytes())
                .at("/error/status").asText());
        SimRequestException refused = refusal(GEMINI_PATH, null, "{}");
        assertEquals("INVALID_ARGUMENT", JSON.readTree(GEMINI.error(refused).body().getBytes())
                .at("/error/status").asText());
    }
}
