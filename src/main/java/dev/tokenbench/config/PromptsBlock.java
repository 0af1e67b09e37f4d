package dev.tokenbench.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.List;

/** The {@code prompts} block: a prompt-set file (for a posted benchmark, one the service has), or synthetic prompts. */
final class PromptsBlock {
    static final int DEFAULT_SYNTHETIC_COUNT = 8;
    static final long DEFAULT_SYNTHETIC_SEED = 1;
    private static final List<String> SYNTHETIC_KEYS = List.of("input-tokens", "output-tokens", "count", "seed",
            "tokenizer");

    private final LoadState state;
    private final Problems problems;

    PromptsBlock(LoadState state) {
        this.state = state;
        this.problems = state.problems;
    }

    PromptSet read(Fields top) {
        JsonNode node = top.raw("prompts");
        if (node == null) {
            problems.add("prompts", "prompts is required: a prompt-set file such as seeds/azure-bench.yaml, or "
                    + "{synthetic: {input-tokens: 500, output-tokens: 300}}");
            return null;
        }
        if (node.isTextual()) {
            Text path = top.text("prompts");
            if (path == null) {
                return null;
            }
            if (path.value().isBlank()) {
                problems.add("prompts", "is empty; name a prompt-set file such as seeds/azure-bench.yaml");
                return null;
            }
            if (state.posted != null) {
                return postedPrompts(path.value().strip());
            }
            return PromptSets.load(path.value().strip(), problems, state.baseDir, state.displayDir, state.workingDir);
        }
        Fields f = top.mapping("prompts", "{synthetic: {input-tokens: N, output-tokens: M}}, or a file path");
        if (f == null) {
            return null;
        }
        if (f.has("dataset")) {
            return Datasets.read(f, state);
        }
        if (ConversationsBlock.wanted(f)) {
            return new ConversationsBlock(state).read(f);
        }
        // The other forms were read above; naming them here lets a misspelt key get its suggestion.
        f.allowOnly(List.of("synthetic", "dataset", "conversations", "synthetic-conversations"));
        Fields s = f.mapping("synthetic", "input-tokens, output-tokens, count, seed and tokenizer");
        if (!f.has("synthetic")) {
            problems.add("prompts.synthetic", "prompts must be a prompt-set file path, {synthetic: "
                    + "{input-tokens: 500, output-tokens: 300}}, {dataset: FILE}, {conversations: FILE} or "
                    + "{synthetic-conversations: …}; add one of them");
        }
        return s == null ? null : synthetic(s);
    }

    /**
     * A posted benchmark's prompt file: a relative path inside the service's prompt directory (symbolic links
     * followed, and still inside), or a bundled seeds/ file. Nothing else of the host's disk is opened, and
     * no message names a path outside.
     */
    private PromptSet postedPrompts(String written) {
        String normalized = written.replace('\\', '/');
        boolean plain = PostedFiles.plain(normalized);
        Path dir = state.posted.promptsDir();
        if (PostedFiles.inside(dir, normalized) != null) {
            return PromptSets.load(normalized, problems, dir, null, dir);
        }
        PromptSet bundled = plain ? PromptSets.loadBundled(normalized, problems) : null;
        if (bundled != null) {
            return bundled;
        }
        problems.add("prompts", "prompt file '" + written + "' is not in the service's prompt directory"
                + (dir == null ? " (it has none)" : "") + " nor a bundled seeds/ file; a posted benchmark names a "
                + "file relative to that directory (tokenbench.serve.benchmarks-dir), a bundled seed such as "
                + "seeds/azure-bench.yaml, or {synthetic: {input-tokens: 500, output-tokens: 300}}");
        return null;
    }

    private PromptSet synthetic(Fields s) {
        int before = problems.count();
        s.allowOnly(SYNTHETIC_KEYS);
        Integer input = s.integer("input-tokens", 1);
        Integer output = s.integer("output-tokens", 1);
        for (String key : List.of("input-tokens", "output-tokens")) {
            if (!s.has(key)) {
                problems.add(s.path(key), key + " is required for synthetic prompts; write a token count, "
                        + "e.g. " + key + ": " + (key.startsWith("input") ? "500" : "300"));
            }
        }
        if (input != null && input > SyntheticPrompts.MAX_INPUT_TOKENS) {
            problems.add(s.path("input-tokens"), "is " + input + "; it must be at most "
                    + SyntheticPrompts.MAX_INPUT_TOKENS);
        }
        Integer count = s.has("count") ? s.integer("count", 1) : Integer.valueOf(DEFAULT_SYNTHETIC_COUNT);
        if (count != null && count > SyntheticPrompts.MAX_COUNT) {
            problems.add(s.path("count"), "is " + count + "; it must be at most " + SyntheticPrompts.MAX_COUNT);
        }
        Long seed = s.has("seed") ? s.longInteger("seed") : Long.valueOf(DEFAULT_SYNTHETIC_SEED);
        String tokenizer = s.oneOf("tokenizer", SyntheticPrompts.TOKENIZERS, SyntheticPrompts.DEFAULT_TOKENIZER);
        if (problems.count() > before) {
            return null;
        }
        try {
            return SyntheticPrompts.generate(input, output, count, seed, tokenizer);
        } catch (IllegalArgumentException e) {
            problems.add(s.path(), e.getMessage());
            return null;
        }
    }
}
