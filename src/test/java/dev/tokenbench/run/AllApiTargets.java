package dev.tokenbench.run;

/** The eight APIs as targets of a benchmark file, one simulator scenario each (s-chat, s-responses, …). */
final class AllApiTargets {
    /** A simulator block with one scenario per API, each at its own TTFT, that the targets' base URLs name. */
    static final String SCENARIOS = """
            simulator:
              scenarios:
                s-chat: {ttft: 60ms, tokens-per-second: 120}
                s-responses: {ttft: 70ms, tokens-per-second: 120, reasoning-tokens: 20}
                s-azure: {ttft: 80ms, tokens-per-second: 110}
                s-azure-responses: {ttft: 90ms, tokens-per-second: 110}
                s-anthropic: {ttft: 100ms, tokens-per-second: 100, reasoning-tokens: 20, output-tokens: 60}
                s-gemini: {ttft: 110ms, tokens-per-second: 130, tokens-per-chunk: 3}
                s-vertex: {ttft: 120ms, tokens-per-second: 130, tokens-per-chunk: 3}
                s-bedrock: {ttft: 130ms, tokens-per-second: 100}
            """;

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

    /**
     * The same eight targets against a simulator outside the plan: each renamed {@code <name>-<suffix>}, its
     * {@code sim://S/…} base-url made {@code <origin>/S/…}, with {@code fields} added; the credentials that a
     * {@code sim://} target may go without are given as dummies.
     *
     * @param origin e.g. {@code https://127.0.0.1:8443}
     * @param fields extra target fields, e.g. {@code "http-version: '2', ca-file: sim.pem"}, or empty
     */
    static String yamlAt(int anthropicMaxOutputTokens, String origin, String suffix, String fields) {
        String extra = fields.isEmpty() ? "" : ", " + fields;
        StringBuilder out = new StringBuilder();
        for (String line : yaml(anthropicMaxOutputTokens).split("\n")) {
            if (line.strip().equals("targets:")) {
                continue;
            }
            line = line.replaceFirst("\\{name: ([a-z-]+),", "{name: $1-" + suffix + ",")
                    .replaceFirst("base-url: 'sim://([^']*)'", "base-url: '" + origin + "/$1'" + extra);
            if (line.contains("api: vertex-gemini")) {
                line = line.replace("{name:", "{access-token: dummy-token, name:");
            } else if (line.contains("api: bedrock-converse")) {
                line = line.replace("{name:", "{api-key: dummy-key, name:");
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }
}
