package dev.tokenbench.provider.openai;

import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.ProviderMessages;
import dev.tokenbench.provider.SseStreamDecoder;
import dev.tokenbench.wire.ByteSink;
import dev.tokenbench.wire.JsonScanner;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads an OpenAI chat-completion chunk stream. Each SSE {@code data:} is one chunk; {@code [DONE]} ends the
 * stream. A chunk counts as a content event when its delta carries non-empty {@code content} (visible) or
 * {@code reasoning_content} / {@code reasoning} (vLLM, DeepSeek and other compatible servers' thinking), or a
 * {@code tool_calls} piece (a call's name, or non-empty {@code function.arguments}: visible output, kept in the
 * measurement's tool-call arguments and stamped as the first tool call); the opening role chunk with
 * {@code "content":""} is not a token. Usage arrives in a last chunk with empty choices.
 *
 * <p>The chunks of one stream repeat the same id, created, model and fingerprint before the delta, about 150 of
 * their 200-odd bytes. Scanning them again is most of the client's CPU per token at high rates, so the decoder
 * marks the scanner's state where the first choice's delta opens and, when the next chunk starts with the very same
 * bytes (one vectorised compare), resumes the scan there: a scanner's state after a prefix depends on its bytes
 * alone, so the tokens that follow are the ones a scan from the start gives. Anything different is scanned whole.
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
    private static final byte[] TOOL_CALLS = "tool_calls".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FUNCTION = "function".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NAME = "name".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ARGUMENTS = "arguments".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROMPT_TOKENS = "prompt_tokens".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMPLETION_TOKENS = "completion_tokens".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROMPT_TOKENS_DETAILS = "prompt_tokens_details".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CACHED_TOKENS = "cached_tokens".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMPLETION_TOKENS_DETAILS =
            "completion_tokens_details".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REASONING_TOKENS = "reasoning_tokens".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR = "error".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE = "message".getBytes(StandardCharsets.US_ASCII);


    /** A longer prefix before the delta is not kept (a chunk's prefix is about 150 bytes). */
    static final int MAX_MARKED_PREFIX = 1024;

    // Per chunk: what it carried. Fields, not locals, so the small parse methods need no return objects.
    private boolean chunkHasVisible;
    private boolean chunkHasReasoning;
    private boolean chunkHasToolCall;
    /** Tool calls that begin in this chunk: a {@code tool_calls} element whose function carries its name. */
    private int chunkToolCallsStarted;
    /** Whether this chunk's scan may still mark: nothing with an effect (usage, error) and no delta came yet. */
    private boolean mayMark;
    private byte[] chunk;

    // Where the first choice's delta opened in the last chunk marked, and that chunk's bytes up to there.
    private final JsonScanner.Mark deltaMark = new JsonScanner.Mark();
    private final byte[] markedPrefix = new byte[MAX_MARKED_PREFIX];

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
        chunkHasToolCall = false;
        chunkToolCallsStarted = 0;
        int marked = deltaMark.length();
        boolean parsed;
        if (marked > 0 && marked <= dataLength && Arrays.equals(data, 0, marked, markedPrefix, 0, marked)) {
            mayMark = false;
            json.resume(data, 0, dataLength, deltaMark);
            parsed = deltaMembers() && choiceMembers() && choicesElements() && chunkMembers(arrivalNanos);
        } else {
            mayMark = true;
            chunk = data;
            json.reset(data, 0, dataLength);
            parsed = parseChunk(arrivalNanos);
        }
        if (!parsed) {
            m.onProtocolError("malformed chunk: " + json.errorMessage());
            return;
        }
        if (chunkHasToolCall) {
            m.onToolCallEvent(arrivalNanos, chunkToolCallsStarted);
        } else if (chunkHasVisible || chunkHasReasoning) {
            m.onContentEvent(arrivalNanos, chunkHasVisible);
        }
    }

    private boolean parseChunk(long arrivalNanos) {
        return json.next() == JsonScanner.OBJECT_START && chunkMembers(arrivalNanos);
    }

    /** The top-level object's members, to its end and the document's. */
    private boolean chunkMembers(long arrivalNanos) {
        int t;
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(CHOICES)) {
                if (!parseChoices()) {
                    return false;
                }
            } else if (json.textEquals(USAGE)) {
                mayMark = false;
                if (!parseUsage()) {
                    return false;
                }
            } else if (json.textEquals(ERROR)) {
                mayMark = false;
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
        return choicesElements();
    }

    /** The choices array's elements, to its end. */
    private boolean choicesElements() {
        int t;
        while ((t = json.next()) == JsonScanner.OBJECT_START) {
            if (!choiceMembers()) {
                return false;
            }
        }
        return t == JsonScanner.ARRAY_END;
    }

    /** A choice object's members, to its end. */
    private boolean choiceMembers() {
        int t;
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(DELTA)) {
                if (!parseDelta()) {
                    return false;
                }
            } else {
                json.skipValue();
            }
        }
        return t == JsonScanner.OBJECT_END;
    }

    private boolean parseDelta() {
        int t = json.next();
        if (t == JsonScanner.NULL) {
            mayMark = false;
            return true;
        }
        if (t != JsonScanner.OBJECT_START) {
            return false;
        }
        if (mayMark) {
            mayMark = false;
            if (json.mark(deltaMark)) {
                if (deltaMark.length() <= MAX_MARKED_PREFIX) {
                    System.arraycopy(chunk, 0, markedPrefix, 0, deltaMark.length());
                } else {
                    deltaMark.clear();
                }
            }
        }
        return deltaMembers();
    }

    /** The delta object's members, to its end. */
    private boolean deltaMembers() {
        int t;
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(CONTENT)) {
                chunkHasVisible |= json.nextNonEmptyText(m.visibleText);
            } else if (json.textEquals(REASONING_CONTENT) || json.textEquals(REASONING)) {
                chunkHasReasoning |= json.nextNonEmptyText(m.reasoningText());
            } else if (json.textEquals(TOOL_CALLS)) {
                if (!parseToolCalls()) {
                    return false;
                }
            } else {
                json.skipValue();
            }
        }
        return t == JsonScanner.OBJECT_END;
    }

    /**
     * {@code "tool_calls":[{"index":0,"id":"call_…","type":"function","function":{"name":"…","arguments":""}}]}
     * opens a call (its name); later chunks carry {@code {"index":0,"function":{"arguments":"…"}}} pieces.
     */
    private boolean parseToolCalls() {
        int t = json.next();
        if (t != JsonScanner.ARRAY_START) {
            return t != JsonScanner.ERROR && json.skipRestOf(t);
        }
        while ((t = json.next()) == JsonScanner.OBJECT_START) {
            while ((t = json.next()) == JsonScanner.NAME) {
                if (json.textEquals(FUNCTION)) {
                    if (!parseFunction()) {
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

    private boolean parseFunction() {
        int t = json.next();
        if (t != JsonScanner.OBJECT_START) {
            return t != JsonScanner.ERROR && json.skipRestOf(t);
        }
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(NAME)) {
                int v = json.next();
                if (v == JsonScanner.STRING && json.textLength() > 0) {
                    chunkToolCallsStarted++;
                    chunkHasToolCall = true;
                } else if (!json.skipRestOf(v)) {
                    return false;
                }
            } else if (json.textEquals(ARGUMENTS)) {
                chunkHasToolCall |= json.nextNonEmptyText(m.toolCallArguments());
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
