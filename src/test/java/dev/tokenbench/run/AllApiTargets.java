package dev.tokenbench.run;

/** The eight APIs as targets of a benchmark file, one simulator scenario each (s-chat, s-responses, …). */
final class AllApiTargets {
    private AllApiTargets() {
    }

    /**
     * The {@code targets:} block.
     *
     * @param anthropicMaxOutputTokens the anthropic target's max-output-tokens (its thinking budget is 1,024)
     */
    static String yaml(int anthropicMaxOutputTokens) {
        return """
                targets:
                  - {name: chat, api: openai-chat, base-url: 'sim://s-chat/v1', model: gpt-4.1-mini}
                  - {name: responses, api: openai-responses, base-url: 'sim://s-responses/v1', model: o4-mini,
                     params: {reasoning: {effort: low, summary: auto}}}
                  - {name: azure, api: azure-openai, base-url: 'sim://s-azure', deployment: gpt-4.1-mini}
                  - {name: azure-responses, api: azure-openai-responses, base-url: 'sim://s-azure-responses',
                     deployment: gpt-4.1-mini}
                  - {name: anthropic, api: anthropic, base-url: 'sim://s-anthropic', model: claude-sonnet-4-5,
                     max-output-tokens: %d, params: {thinking: {type: enabled, budget_tokens: 1024}}}
                  - {name: gemini, api: gemini, base-url: 'sim://s-gemini', model: gemini-2.5-flash}
                  - {name: vertex, api: vertex-gemini, base-url: 'sim://s-vertex', model: gemini-2.5-flash,
                     project: p, location: us-central1}
                  - {name: bedrock, api: bedrock-converse, base-url: 'sim://s-bedrock', model: 'openai.gpt-oss-120b-1:0'}
                """.formatted(anthropicMaxOutputTokens);
    }
}
