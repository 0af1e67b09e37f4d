package dev.tokenbench.sim;

import java.util.List;

/**
 * What the simulator needs from a request, whatever the API.
 *
 * @param model          model (or deployment, or model id) the request names
 * @param maxTokens      the request's output cap, or null when it sets none
 * @param includeUsage   the client asked for usage (APIs that always send usage: true)
 * @param promptTexts    every text of the prompt (system and user), for the prompt's token count
 * @param wantsReasoning the request enables reasoning/thinking (Anthropic thinking, Gemini includeThoughts,
 *                       reasoning effort, Bedrock reasoning config): a scenario's reasoning phase is streamed as
 *                       visible reasoning events only when the request asked to see them
 */
public record SimRequest(String model, Integer maxTokens, boolean includeUsage, List<String> promptTexts,
        boolean wantsReasoning) {
}
