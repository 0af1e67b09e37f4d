package dev.tokenbench.provider;

import dev.tokenbench.provider.anthropic.AnthropicApi;
import dev.tokenbench.provider.azure.AzureOpenAiApi;
import dev.tokenbench.provider.azure.AzureOpenAiResponsesApi;
import dev.tokenbench.provider.bedrock.BedrockConverseApi;
import dev.tokenbench.provider.gemini.GeminiApi;
import dev.tokenbench.provider.gemini.VertexGeminiApi;
import dev.tokenbench.provider.openai.OpenAiChatApi;
import dev.tokenbench.provider.openai.OpenAiResponsesApi;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The APIs this build can run, keyed by their {@code api} value. */
public final class ProviderRegistry {
    private final Map<String, ProviderApi> apis = new TreeMap<>();

    public ProviderRegistry(ProviderApi... apis) {
        for (ProviderApi api : apis) {
            this.apis.put(api.name(), api);
        }
    }

    public static ProviderRegistry defaults() {
        return new ProviderRegistry(new OpenAiChatApi(), new OpenAiResponsesApi(), new AzureOpenAiApi(),
                new AzureOpenAiResponsesApi(), new BedrockConverseApi(), new AnthropicApi(), new GeminiApi(),
                new VertexGeminiApi());
    }

    public ProviderApi get(String api) {
        ProviderApi p = apis.get(api);
        if (p == null) {
            throw new IllegalArgumentException("no provider for api " + api);
        }
        return p;
    }

    public Set<String> names() {
        return apis.keySet();
    }
}
