package dev.tokenbench.config;

import com.knuddels.jtokkit.api.Encoding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Conversations of seeded pseudo-English turns of exact token lengths (as {@link SyntheticPrompts}): each user turn
 * is {@code inputTokensPerTurn} tokens, each recorded assistant reply {@code outputTokensPerTurn} tokens, and each
 * turn expects {@code outputTokensPerTurn} output tokens. Turn k sends k - 1 earlier exchanges plus its own text, so
 * its input grows by about input + output tokens per turn.
 */
final class SyntheticConversations {

    private SyntheticConversations() {
    }

    /** The generator's settings, as the benchmark file names them. */
    record Spec(int conversations, int turns, int inputTokensPerTurn, int outputTokensPerTurn) {
    }

    static PromptSet generate(Spec spec, Duration thinkTime, long seed, String tokenizer) {
        Encoding encoding = SyntheticPrompts.encoding(tokenizer);
        Random random = new Random(seed);
        List<ConversationFiles.Written> written = new ArrayList<>(spec.conversations());
        for (int c = 1; c <= spec.conversations(); c++) {
            List<ConversationFiles.Turn> turns = new ArrayList<>(spec.turns());
            for (int t = 1; t <= spec.turns(); t++) {
                String user = SyntheticPrompts.exactly(spec.inputTokensPerTurn(), encoding, random);
                String assistant = t == spec.turns() ? null
                        : SyntheticPrompts.exactly(spec.outputTokensPerTurn(), encoding, random);
                turns.add(new ConversationFiles.Turn(user, assistant, spec.outputTokensPerTurn()));
            }
            written.add(new ConversationFiles.Written("conversation-" + c, null, List.copyOf(turns)));
        }
        return ConversationFiles.assemble("synthetic-conversations", source(spec, seed), written, thinkTime);
    }

    static String source(Spec spec, long seed) {
        return "synthetic-conversations(conversations=" + spec.conversations() + ", turns=" + spec.turns()
                + ", input-tokens-per-turn=" + spec.inputTokensPerTurn() + ", output-tokens-per-turn="
                + spec.outputTokensPerTurn() + ", seed=" + seed + ")";
    }
}
