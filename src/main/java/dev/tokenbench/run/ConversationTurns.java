package dev.tokenbench.run;

import dev.tokenbench.config.Conversations;
import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.PromptSet;
import dev.tokenbench.measure.ConversationPlace;
import dev.tokenbench.measure.TokenCounter;

import java.util.List;

/** A target runner's view of its prompt set's conversations, made once before the run: nothing per request. */
final class ConversationTurns {
    private final Conversations conversations;
    /** By prompt index: its conversation and turn, null for a prompt that stands alone. */
    private final ConversationPlace[] places;

    ConversationTurns(PromptSet set) {
        this.conversations = set.conversations();
        List<Prompt> prompts = set.prompts();
        this.places = new ConversationPlace[prompts.size()];
        for (int i = 0; i < prompts.size(); i++) {
            Prompt.ConversationTurn turn = prompts.get(i).conversation();
            places[i] = turn == null ? null : new ConversationPlace(turn.conversationId(), turn.turn());
        }
    }

    /** Whether the prompt set is conversations (then a closed loop runs them turn by turn). */
    boolean any() {
        return conversations != null;
    }

    Conversations conversations() {
        return conversations;
    }

    ConversationPlace place(int promptIndex) {
        return places[promptIndex];
    }

    /**
     * The prompt a warm-up request sends: with conversations, the first turn of a conversation (the warm-up adds a
     * random prefix to it, so no turn is in a prefix cache before it is measured); else {@code bySequence}.
     */
    int warmupPrompt(long sequence, int bySequence) {
        if (conversations == null) {
            return bySequence;
        }
        List<Conversations.Conversation> all = conversations.conversations();
        return all.get((int) Math.floorMod(sequence, (long) all.size())).firstPrompt();
    }

    /** Input tokens of a prompt by the target's tokenizer: system, every earlier message, and the user text. */
    static long inputTokens(String tokenizer, Prompt p) {
        long tokens = TokenCounter.count(tokenizer, p.user())
                + (p.system() == null ? 0 : TokenCounter.count(tokenizer, p.system()));
        for (Prompt.Message m : p.history()) {
            tokens += TokenCounter.count(tokenizer, m.text());
        }
        return tokens;
    }
}
