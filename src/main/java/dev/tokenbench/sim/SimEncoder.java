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

    /**
     * As {@link #tail(String, int, int, int)}, {@code cachedPromptTokens} of the prompt having been read from a
     * prefix cache: an encoder whose API reports cached tokens writes them in its own usage format.
     */
    default Buffer tail(String finishReason, int promptTokens, int cachedPromptTokens, int outputTokens,
            int reasoningTokens) {
        return tail(finishReason, promptTokens, outputTokens, reasoningTokens);
    }

    // Fault injection (SimFault): rare paths, so plain allocation is fine below.

    /** Lines end with LF and may be rewritten to CR LF; false for a binary framing (Bedrock's event stream). */
    default boolean lineBased() {
        return contentType().startsWith("text/event-stream");
    }

    /**
     * What the provider writes to keep a waiting stream open: an SSE comment by default; null when the API has
     * none (Bedrock's event stream), so the response stays silent.
     */
    default Buffer keepAlive() {
        return lineBased() ? Buffer.buffer(SimFaultBytes.KEEP_ALIVE_COMMENT) : null;
    }

    /**
     * The provider's own error event in the middle of a stream (an error chunk, {@code event: error},
     * {@code response.failed}, an exception frame); the body ends after it. Null when the API has none: the
     * engine then resets the connection instead.
     */
    default Buffer errorEvent(String message) {
        return null;
    }

    /**
     * One visible event whose JSON is cut short before its end (the event's framing stays whole, so the client
     * can go on with the next event). The default cuts the last few bytes of the event's last line; a binary
     * framing overrides it.
     */
    default void appendMalformedEvent(Buffer out, int[] tokens, int count) {
        Buffer whole = Buffer.buffer();
        appendEvent(whole, tokens, count, false);
        int end = whole.length();
        while (end > 0 && (whole.getByte(end - 1) == '\n' || whole.getByte(end - 1) == '\r')) {
            end--;
        }
        int cut = Math.max(0, end - SimFaultBytes.MALFORMED_CUT_BYTES);
        out.appendBuffer(whole, 0, cut).appendBuffer(whole, end, whole.length() - end);
    }

    /**
     * One visible event whose text is {@code textBytes} bytes long (words of plain ASCII), as one line. The
     * default writes a normal one-token event and puts the text where the token was; a binary framing overrides it.
     */
    default void appendBigEvent(Buffer out, int textBytes) {
        int[] probe = {SimFaultBytes.BIG_EVENT_PROBE_TOKEN};
        Buffer whole = Buffer.buffer();
        appendEvent(whole, probe, 1, false);
        byte[] token = SimVocabulary.JSON_UTF8[SimFaultBytes.BIG_EVENT_PROBE_TOKEN];
        int at = SimFaultBytes.lastIndexOf(whole, token);
        if (at < 0) {
            throw new IllegalStateException("the probe token is not in its own event");
        }
        out.appendBuffer(whole, 0, at);
        SimFaultBytes.appendFiller(out, textBytes);
        out.appendBuffer(whole, at + token.length, whole.length() - at - token.length);
    }
}
