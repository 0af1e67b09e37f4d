package dev.tokenbench.sim;

import com.fasterxml.jackson.databind.JsonNode;

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
 * @param toolName       the first tool the request offers ({@code tools}, Bedrock's {@code toolConfig.tools}), or
 *                       null when it offers none: an API that can answers with a call to it, its visible tokens
 *                       streamed as the call's arguments
 */
public record SimRequest(String model, Integer maxTokens, boolean includeUsage, List<String> promptTexts,
        boolean wantsReasoning, String toolName) {

    /** A request that offers no tool. */
    public SimRequest(String model, Integer maxTokens, boolean includeUsage, List<String> promptTexts,
            boolean wantsReasoning) {
        this(model, maxTokens, includeUsage, promptTexts, wantsReasoning, null);
    }

    /** This request as offering {@code tools} (a request's tools array, any API's shape; null or empty: none). */
    public SimRequest withTools(JsonNode tools) {
        if (tools == null || !tools.isArray() || tools.isEmpty()) {
            return this;
        }
        JsonNode name = tools.get(0).findValue("name");
        String found = name != null && name.isTextual() && !name.asText().isEmpty() ? name.asText() : "tool";
        return new SimRequest(model, maxTokens, includeUsage, promptTexts, wantsReasoning, found);
    }
}
