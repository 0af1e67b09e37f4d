package dev.tokenbench.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The conversation forms of the {@code prompts} block: {@code {conversations: FILE, think-time: 2s}} or
 * {@code {synthetic-conversations: {conversations, turns, input-tokens-per-turn, output-tokens-per-turn, think-time,
 * seed, tokenizer}}}.
 */
final class ConversationsBlock {
    static final String FILE_KEY = "conversations";
    static final String SYNTHETIC_KEY = "synthetic-conversations";
    private static final List<String> KEYS = List.of(FILE_KEY, SYNTHETIC_KEY, "think-time");
    private static final List<String> SYNTHETIC_KEYS = List.of("conversations", "turns", "input-tokens-per-turn",
            "output-tokens-per-turn", "think-time", "seed", "tokenizer");
    static final int DEFAULT_CONVERSATIONS = 4;
    static final int DEFAULT_TURNS = 4;

    private final LoadState state;
    private final Problems problems;

    ConversationsBlock(LoadState state) {
        this.state = state;
        this.problems = state.problems;
    }

    /** Whether the prompts mapping asks for conversations. */
    static boolean wanted(Fields prompts) {
        return prompts.has(FILE_KEY) || prompts.has(SYNTHETIC_KEY);
    }

    PromptSet read(Fields f) {
        f.allowOnly(KEYS);
        if (f.has(FILE_KEY) && f.has(SYNTHETIC_KEY)) {
            problems.add(f.path(SYNTHETIC_KEY), "prompts has both conversations and synthetic-conversations; keep "
                    + "one");
            return null;
        }
        if (f.has(SYNTHETIC_KEY)) {
            if (f.has("think-time")) {
                problems.add(f.path("think-time"), "goes inside synthetic-conversations; move it there");
            }
            Fields s = f.mapping(SYNTHETIC_KEY, "conversations, turns, input-tokens-per-turn, output-tokens-per-turn,"
                    + " think-time, seed and tokenizer");
            return s == null ? null : synthetic(s);
        }
        Duration thinkTime = f.has("think-time") ? f.duration("think-time", false) : Duration.ZERO;
        Text path = f.text(FILE_KEY);
        if (path == null) {
            return null;
        }
        if (path.value().isBlank()) {
            problems.add(f.path(FILE_KEY), "is empty; name a conversation file (.jsonl or .yaml)");
            return null;
        }
        if (thinkTime == null) {
            return null;
        }
        String written = path.value().strip();
        if (state.posted != null) {
            Path dir = state.posted.promptsDir();
            if (PostedFiles.inside(dir, written.replace('\\', '/')) == null) {
                problems.add(f.path(FILE_KEY), "conversation file '" + written + "' is not in the service's prompt "
                        + "directory" + (dir == null ? " (it has none)" : "") + "; a posted benchmark names a file "
                        + "relative to that directory (tokenbench.serve.benchmarks-dir), or uses "
                        + "synthetic-conversations");
                return null;
            }
            return ConversationFiles.load(written.replace('\\', '/'), thinkTime, problems, dir, dir);
        }
        return ConversationFiles.load(written, thinkTime, problems, state.baseDir, state.workingDir);
    }

    private PromptSet synthetic(Fields s) {
        int before = problems.count();
        s.allowOnly(SYNTHETIC_KEYS);
        Integer conversations = s.has("conversations") ? s.integer("conversations", 1)
                : Integer.valueOf(DEFAULT_CONVERSATIONS);
        Integer turns = s.has("turns") ? s.integer("turns", 1) : Integer.valueOf(DEFAULT_TURNS);
        for (String key : List.of("input-tokens-per-turn", "output-tokens-per-turn")) {
            if (!s.has(key)) {
                problems.add(s.path(key), key + " is required for synthetic conversations; write a token count, "
                        + "e.g. " + key + ": " + (key.startsWith("input") ? "200" : "100"));
            }
        }
        Integer input = s.integer("input-tokens-per-turn", 1);
        Integer output = s.integer("output-tokens-per-turn", 1);
        Duration thinkTime = s.has("think-time") ? s.duration("think-time", false) : Duration.ZERO;
        Long seed = s.has("seed") ? s.longInteger("seed") : Long.valueOf(PromptsBlock.DEFAULT_SYNTHETIC_SEED);
        String tokenizer = s.oneOf("tokenizer", SyntheticPrompts.TOKENIZERS, SyntheticPrompts.DEFAULT_TOKENIZER);
        if (conversations != null && conversations > Conversations.MAX_CONVERSATIONS) {
            problems.add(s.path("conversations"), "is " + conversations + "; it must be at most "
                    + Conversations.MAX_CONVERSATIONS);
        }
        if (turns != null && turns > Conversations.MAX_TURNS) {
            problems.add(s.path("turns"), "is " + turns + "; it must be at most " + Conversations.MAX_TURNS);
        }
        if (turns != null && input != null && output != null
                && (long) turns * (input + output) > SyntheticPrompts.MAX_INPUT_TOKENS) {
            problems.add(s.path("turns"), "the last turn would send " + (long) turns * (input + output)
                    + " tokens of history; keep turns x (input + output tokens per turn) at most "
                    + SyntheticPrompts.MAX_INPUT_TOKENS);
        }
        if (problems.count() > before || conversations == null || turns == null || input == null || output == null
                || thinkTime == null || seed == null) {
            return null;
        }
        return SyntheticConversations.generate(new SyntheticConversations.Spec(conversations, turns, input, output),
                thinkTime, seed, tokenizer);
    }

    /**
     * Conversations run in closed loop only: a turn starts when the previous one has ended (plus think time), which
     * an arrival schedule cannot promise; refused with the fix when the load is open or sweeps a rate.
     */
    static void checkLoad(PromptSet prompts, LoadSpec load, Problems problems) {
        if (prompts == null || prompts.conversations() == null || load == null) {
            return;
        }
        boolean rate = load.steps() != null ? LoadSpec.Steps.RATE.equals(load.steps().dimension())
                : load.open() != null;
        if (rate) {
            problems.add("load.mode", "conversations run in closed loop only (concurrency = conversations in "
                    + "flight; each turn starts when the previous one ends, plus think-time), not at an arrival "
                    + "rate; use mode: closed, or a sweep of concurrency");
        }
    }
}
