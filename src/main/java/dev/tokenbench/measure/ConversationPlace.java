package dev.tokenbench.measure;

/**
 * Where a request stands in a multi-turn conversation: requests.jsonl's {@code conversation_id} and {@code turn}.
 *
 * @param turn 1 for the first turn
 */
public record ConversationPlace(String conversationId, int turn) {
}
