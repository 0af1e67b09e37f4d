package dev.tokenbench.provider.openai;

import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.ProviderMessages;
import dev.tokenbench.provider.SseStreamDecoder;
import dev.tokenbench.wire.ByteSink;
import dev.tokenbench.wire.JsonScanner;

import java.nio.charset.StandardCharsets;

/**
 * Reads an OpenAI chat-completion chunk stream. Each SSE {@code data:} is one chunk; {@code [DONE]} ends the
 * stream. A chunk counts as a content event when its delta carries non-empty {@code content} (visible) or
 * {@code reasoning_content} / {@code reasoning} (vLLM, DeepSeek and other compatible servers' thinking); the
 * opening role chunk with {@code "content":""} is not a token. Usage arrives in a last chunk with empty choices.
 */
final class OpenAiChatDecoder extends SseStreamDecoder {
    static final int MAX_EVENT_BYTES = 4 << 20;

    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR_EVENT = "error".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHOICES = "choices".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DELTA = "delta".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT = "content".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REASONING_CONTENT = "reasoning_content".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REASONING = "reasoning".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USAGE = "usage".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROMPT_TOKENS = "prompt_tokens".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMPLETION_TOKENS = "completion_tokens".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROMPT_TOKENS_DETAILS = "prompt_tokens_details".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CACHED_TOKENS = "cached_tokens".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMPLETION_TOKENS_DETAILS =
            "completion_tokens_details".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REASONING_TOKENS = "reasoning_tokens".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR = "error".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE = "message".getBytes(StandardCharsets.US_ASCII);


    // Per chunk: what it carried. Fields, not locals, so the small parse methods need no return objects.
    private boolean chunkHasVisible;
    private boolean chunkHasReasoning;

    OpenAiChatDecoder(RequestMeasurement measurement) {
        super(measurement, MAX_EVENT_BYTES);
    }

    @Override
    public void onEvent(byte[] event, int eventLength, byte[] data, int dataLength, long arrivalNanos) {
        if (JsonScanner.rangeEquals(data, 0, dataLength, DONE)) {
            m.onStreamEnd(arrivalNanos);
            return;
        }
        if (JsonScanner.rangeEquals(event, 0, eventLength, ERROR_EVENT)) {
            m.onProviderError(ProviderMessages.trim(new String(data, 0, dataLength, StandardCharsets.UTF_8)), arrivalNanos);
            return;
        }
        chunkHasVisible = false;
        chunkHasReasoning = false;
        json.reset(data, 0, dataLength);
        if (!parseChunk(arrivalNanos)) {
            m.onProtocolError("malformed chunk: " + json.errorMessage());
            return;
        }
        if (chunkHasVisible || chunkHasReasoning) {
            m.onContentEvent(arrivalNanos, chunkHasVisible);
        }
    }

    private boolean parseChunk(long arrivalNanos) {
        if (json.next() != JsonScanner.OBJECT_START) {
            return false;
        }
        int t;
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(CHOICES)) {
                if (!parseChoices()) {
                    return false;
                }
            } else if (json.textEquals(USAGE)) {
                if (!parseUsage()) {
                    return false;
                }
            } else if (json.textEquals(ERROR)) {
                String message = parseErrorMessage();
                m.onProviderError(message, arrivalNanos);
            } else {
                json.skipValue();
            }
        }
        return t == JsonScanner.OBJECT_END && json.next() == JsonScanner.END;
    }

    private boolean parseChoices() {
        int t = json.next();
        if (t == JsonScanner.NULL) {
            return true;
        }
        if (t != JsonScanner.ARRAY_START) {
            return t != JsonScanner.ERROR && json.skipRestOf(t);
        }
        while ((t = json.next()) == JsonScanner.OBJECT_START) {
            while ((t = json.next()) == JsonScanner.NAME) {
                if (json.textEquals(DELTA)) {
                    if (!parseDelta()) {
                        return false;
                    }
                } else {
                    json.skipValue();
                }
            }
            if (t != JsonScanner.OBJECT_END) {
                return false;
            }
        }
        return t == JsonScanner.ARRAY_END;
    }

    private boolean parseDelta() {
        int t = json.next();
        if (t == JsonScanner.NULL) {
            return true;
        }
        if (t != JsonScanner.OBJECT_START) {
            return false;
        }
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(CONTENT)) {
                chunkHasVisible |= json.nextNonEmptyText(m.visibleText);
            } else if (json.textEquals(REASONING_CONTENT) || json.textEquals(REASONING)) {
                chunkHasReasoning |= json.nextNonEmptyText(m.reasoningText());
            } else {
                json.skipValue();
            }
        }
        return t == JsonScanner.OBJECT_END;
    }

    private boolean parseUsage() {
        int t = json.next();
        if (t == JsonScanner.NULL) {
            return true;
        }
        if (t != JsonScanner.OBJECT_START) {
            return false;
        }
        long input = -1;
        long output = -1;
        long reasoning = -1;
        long cached = -1;
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(PROMPT_TOKENS)) {
                input = json.nextLong();
            } else if (json.textEquals(COMPLETION_TOKENS)) {
                output = json.nextLong();
            } else if (json.textEquals(PROMPT_TOKENS_DETAILS)) {
                cached = json.nextMemberLong(CACHED_TOKENS);
            } else if (json.textEquals(COMPLETION_TOKENS_DETAILS)) {
                reasoning = json.nextMemberLong(REASONING_TOKENS);
            } else {
                json.skipValue();
            }
        }
        m.onUsage(input, output, reasoning, cached);
        return t == JsonScanner.OBJECT_END;
    }

    /** Rare path: an error object inside a chunk. Allocation is fine here. */
    private String parseErrorMessage() {
        int t = json.next();
        if (t == JsonScanner.STRING) {
            return ProviderMessages.trim(json.textAsString());
        }
        if (t != JsonScanner.OBJECT_START) {
            json.skipRestOf(t);
            return "error chunk";
        }
        String message = "error chunk";
        while (json.next() == JsonScanner.NAME) {
            if (json.textEquals(MESSAGE)) {
                if (json.next() == JsonScanner.STRING) {
                    message = ProviderMessages.trim(json.textAsString());
                }
            } else {
                json.skipValue();
            }
        }
        return message;
    }

}
