package dev.tokenbench.config;

import java.time.Duration;
import java.util.List;

/**
 * The conversations of a prompt set: each is a run of consecutive prompts of {@link PromptSet#prompts()}, one per
 * turn, each turn's prompt carrying the turns before it ({@link Prompt#conversation()}). The load sends a
 * conversation's turns one after another, the next starting {@code thinkTime} after the previous one ended.
 *
 * @param conversations in the file's order
 * @param thinkTime     the pause between a turn's end and the next turn's start (a user reading and typing)
 */
public record Conversations(List<Conversation> conversations, Duration thinkTime) {
    public Conversations {
        conversations = List.copyOf(conversations);
    }

    /** The most turns one conversation may have. */
    public static final int MAX_TURNS = 1_000;
    /** The most conversations a prompt set may have. */
    public static final int MAX_CONVERSATIONS = 10_000;

    /**
     * One conversation.
     *
     * @param firstPrompt the index in {@link PromptSet#prompts()} of its first turn; turn k (1-based) is at
     *                    {@code firstPrompt + k - 1}
     * @param turns       how many turns it has
     */
    public record Conversation(String id, int firstPrompt, int turns) {
    }

    /** How many turns the conversations have together. */
    public int totalTurns() {
        int total = 0;
        for (Conversation c : conversations) {
            total += c.turns();
        }
        return total;
    }
}
