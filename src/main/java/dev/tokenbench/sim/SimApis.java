package dev.tokenbench.sim;

import java.util.List;

/** The APIs the built-in simulator speaks, in routing order: the first whose {@link SimApi#handles} is true serves. */
public final class SimApis {

    private SimApis() {
    }

    /** A new list of every known implementation (stateless, so new instances cost nothing worth caching). */
    public static List<SimApi> all() {
        return List.of(
                new OpenAiChatSimApi(),
                new OpenAiResponsesSimApi(),
                new AzureOpenAiSimApi(),
                new AzureOpenAiResponsesSimApi(),
                new BedrockSimApi(),
                new AnthropicSimApi(),
                new GeminiSimApi(),
                GeminiSimApi.vertex());
    }
}
