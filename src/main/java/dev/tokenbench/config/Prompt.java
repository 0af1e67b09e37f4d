package dev.tokenbench.config;

import java.util.ArrayList;
import java.util.List;

/**
 * One prompt of a prompt set.
 *
 * @param system               system prompt, or null
 * @param expectedOutputTokens expected output length, or null; synthetic prompts set it to the requested length
 * @param conversation         the turn of a conversation this prompt is, with the turns before it; null for a
 *                             single-turn prompt
 */
public record Prompt(String id, String system, String user, Integer expectedOutputTokens,
        ConversationTurn conversation) {

    /** A single-turn prompt. */
    public Prompt(String id, String system, String user, Integer expectedOutputTokens) {
        this(id, system, user, expectedOutputTokens, null);
    }

    /** The earlier turns to send before {@link #user()}, oldest first; empty for a single-turn prompt. */
    public List<Message> history() {
        return conversation == null ? List.of() : conversation.history();
    }

    /**
     * A copy whose first text, the one a request begins with, starts with {@code prefix}: the system prompt, else the
     * first earlier message of a conversation, else the user text.
     */
    public Prompt withFirstTextPrefixed(String prefix) {
        if (system != null) {
            return new Prompt(id, prefix + system, user, expectedOutputTokens, conversation);
        }
        List<Message> history = history();
        if (history.isEmpty()) {
            return new Prompt(id, null, prefix + user, expectedOutputTokens, conversation);
        }
        List<Message> prefixed = new ArrayList<>(history);
        prefixed.set(0, new Message(history.get(0).role(), prefix + history.get(0).text()));
        return new Prompt(id, null, user, expectedOutputTokens,
                new ConversationTurn(conversation.conversationId(), conversation.turn(), prefixed));
    }

    /** Who said a message of the history. */
    public enum Role {
        USER, ASSISTANT
    }

    /** One earlier message of a conversation. */
    public record Message(Role role, String text) {
    }

    /**
     * Where a prompt stands in its conversation.
     *
     * @param conversationId the conversation's id
     * @param turn           1 for the first turn
     * @param history        the messages of the earlier turns, user and assistant alternating, oldest first
     */
    public record ConversationTurn(String conversationId, int turn, List<Message> history) {
        public ConversationTurn {
            history = List.copyOf(history);
        }
    }
}
