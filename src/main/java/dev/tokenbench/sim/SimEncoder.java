package dev.tokenbench.sim;

import io.vertx.core.buffer.Buffer;

import java.util.Map;

/**
 * The bytes of one streamed response, in order: {@link #head()} once, written in the same write as the first
 * output event (so there is no earlier "first byte" a client could take for output); then one
 * {@link #appendEvent} per streamed event (all reasoning events first, then the visible ones); then
 * {@link #tail}. Called on the response's event loop only; keep per-event work to appending pre-encoded bytes
 * (the simulator is also the load target that measures tokenbench's own overhead).
 */
public interface SimEncoder {
    /** The response's content type, e.g. {@code text/event-stream; charset=utf-8}. */
    String contentType();

    /** Extra response headers the provider sends (request ids and the like). */
    default Map<String, String> headers() {
        return Map.of();
    }

    /**
     * The header in which the provider reports its processing time in whole milliseconds (OpenAI and Azure:
     * {@code openai-processing-ms}), or null for none. The engine fills it in when it writes the headers, because
     * only the engine knows when the request arrived.
     */
    default String processingTimeHeader() {
        return null;
    }

    /** Events before the first output (role chunk, message_start + content_block_start, response.created, …). */
    Buffer head();

    /**
     * Appends one event carrying {@code count} tokens: {@code tokens[i]} indexes
     * {@link SimVocabulary#JSON_UTF8} (each already JSON-string-escaped UTF-8). {@code reasoning} marks
     * reasoning (thinking) text; the first visible event follows the last reasoning one.
     */
    void appendEvent(Buffer out, int[] tokens, int count, boolean reasoning);

    /**
     * The end: closing events, usage when {@link SimResponseFacts#sendsUsage()}, and the end-of-stream event.
     *
     * @param finishReason    {@code length} when the output cap was reached, else {@code stop} (map it to the
     *                        provider's word: max_tokens, MAX_TOKENS, end_turn, …)
     * @param outputTokens    visible tokens sent
     * @param reasoningTokens reasoning tokens (streamed or hidden)
     */
    Buffer tail(String finishReason, int promptTokens, int outputTokens, int reasoningTokens);
}
