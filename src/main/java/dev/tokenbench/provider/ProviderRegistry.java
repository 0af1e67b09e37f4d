package dev.tokenbench.provider;

import dev.tokenbench.config.ApiCatalog;
import dev.tokenbench.provider.anthropic.AnthropicApi;
import dev.tokenbench.provider.azure.AzureOpenAiApi;
import dev.tokenbench.provider.azure.AzureOpenAiResponsesApi;
import dev.tokenbench.provider.bedrock.BedrockConverseApi;
import dev.tokenbench.provider.gemini.GeminiApi;
import dev.tokenbench.provider.gemini.VertexGeminiApi;
import dev.tokenbench.provider.openai.OpenAiChatApi;
import dev.tokenbench.provider.openai.OpenAiResponsesApi;
import dev.tokenbench.sim.SimApi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The APIs this build can run, keyed by their {@code api} value, in the order messages list them. */
public final class ProviderRegistry implements ApiCatalog {
    private final Map<String, ProviderApi> apis = new LinkedHashMap<>();

    public ProviderRegistry(ProviderApi... apis) {
        this(List.of(apis));
    }

    /** The APIs in the order listed; a later one of the same name replaces an earlier one. */
    public ProviderRegistry(List<ProviderApi> apis) {
        for (ProviderApi api : apis) {
            this.apis.put(api.name(), api);
        }
    }

    public static ProviderRegistry defaults() {
        return new ProviderRegistry(List.of(new OpenAiChatApi(), new OpenAiResponsesApi(), new AzureOpenAiApi(),
                new AzureOpenAiResponsesApi(), new AnthropicApi(), new BedrockConverseApi(), new GeminiApi(),
                new VertexGeminiApi()));
    }

    public ProviderApi get(String api) {
        ProviderApi p = apis.get(api);
        if (p == null) {
            throw new IllegalArgumentException("no provider for api " + api);
        }
        return p;
    }

    /** Every API, in the order messages list them: the catalog the benchmark loader asks. */
    @Override
    public List<ProviderApi> kinds() {
        return List.copyOf(apis.values());
    }

    @Override
    public ProviderApi kind(String api) {
        return apis.get(api);
    }

    /**
     * The simulator's side of every API that has one, in routing order (the first whose {@link SimApi#handles} is
     * true serves a request; no two of the registered APIs' paths overlap, and openai-chat, first, answers unknown
     * URLs). New instances: they are stateless.
     */
    public List<SimApi> simApis() {
        List<SimApi> simApis = new ArrayList<>();
        for (ProviderApi api : apis.values()) {
            SimApi simApi = api.simApi();
            if (simApi != null) {
                simApis.add(simApi);
            }
        }
        return List.copyOf(simApis);
    }
}
