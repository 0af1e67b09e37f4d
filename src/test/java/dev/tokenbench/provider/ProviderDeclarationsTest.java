package dev.tokenbench.provider;

import dev.tokenbench.provider.anthropic.AnthropicApi;
import dev.tokenbench.provider.azure.AzureOpenAiApi;
import dev.tokenbench.provider.bedrock.BedrockConverseApi;
import dev.tokenbench.provider.gemini.GeminiApi;
import dev.tokenbench.provider.openai.OpenAiChatApi;
import dev.tokenbench.sim.SimApi;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What each provider folder declares beyond requests and streams: its error bodies, its cloud, its simulator. */
class ProviderDeclarationsTest {
    private static final String AWS_THROTTLED = "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/";

    @Test
    void eachApiReadsItsOwnErrorBodyLedByItsKind() {
        assertEquals("overloaded_error: Overloaded", new AnthropicApi().errorMessage(
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}", Map.of()));
        assertEquals("rate_limit_exceeded: Slow down", new OpenAiChatApi().errorMessage(
                "{\"error\":{\"message\":\"Slow down\",\"type\":\"requests\",\"param\":null,"
                        + "\"code\":\"rate_limit_exceeded\"}}", Map.of()));
        assertEquals("RESOURCE_EXHAUSTED: Quota", new GeminiApi().errorMessage(
                "{\n  \"error\": {\n    \"code\": 429,\n    \"message\": \"Quota\",\n    \"status\": "
                        + "\"RESOURCE_EXHAUSTED\"\n  }\n}\n", Map.of()));
        assertEquals("Requests exceeded", new AzureOpenAiApi().errorMessage(
                "{\"error\":{\"code\":\"429\",\"message\":\"Requests exceeded\"}}", Map.of()),
                "Azure's numeric code is no kind");
        assertEquals("ThrottlingException: Too many", new BedrockConverseApi().errorMessage(
                "{\"message\":\"Too many\"}", Map.of(ErrorBodies.AMAZON_ERROR_TYPE, AWS_THROTTLED)));
        assertEquals("<html> Bad gateway </html>", new OpenAiChatApi().errorMessage(
                "<html>\n Bad gateway\n</html>", Map.of()));
    }

    @Test
    void awsErrorTypesAreReadWhereAwsServesTheApi() {
        Map<String, String> headers = Map.of(ErrorBodies.AMAZON_ERROR_TYPE, AWS_THROTTLED);
        String body = "{\"message\":\"Too many\"}";
        assertEquals("ThrottlingException: Too many", new OpenAiChatApi().errorMessage(body, headers),
                "Bedrock's OpenAI-compatible endpoint is an openai-chat target");
        assertEquals("Too many", new AnthropicApi().errorMessage(body, headers));
        assertEquals("Too many", new BedrockConverseApi().errorMessage(body, Map.of(ErrorBodies.AMAZON_ERROR_TYPE,
                " ")), "a blank header names no kind");
    }

    @Test
    void everyApiNamesItsCloudAndItsSimulatorSpeaksIt() {
        ProviderRegistry registry = ProviderRegistry.defaults();
        Map<String, String> clouds = new LinkedHashMap<>();
        for (ProviderApi api : registry.kinds()) {
            clouds.put(api.name(), api.cloud());
        }
        assertEquals(Map.of("openai-chat", "openai", "openai-responses", "openai", "azure-openai", "azure",
                "azure-openai-responses", "azure", "anthropic", "anthropic", "bedrock-converse", "aws",
                "gemini", "google", "vertex-gemini", "gcp"), clouds);
        List<String> simulated = registry.simApis().stream().map(SimApi::api).toList();
        assertEquals(registry.names(), simulated, "one simulator pair per api, in the registry's order");
    }
}
