package dev.tokenbench.provider.openai;

import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.ProviderMessages;
import dev.tokenbench.provider.SseStreamDecoder;
import dev.tokenbench.wire.ByteSink;
import dev.tokenbench.wire.JsonScanner;

import java.nio.charset.StandardCharsets;

/**
 * Reads an OpenAI Responses event stream (also Azure OpenAI's Responses API, and compatible servers). Each SSE
 * event has an {@code event:} line naming its type and a {@code data:} JSON object whose {@code type} repeats it.
 *
 * <ul>
 *   <li>{@code response.output_text.delta} and {@code response.refusal.delta}: visible text (a refusal is what
 *       the user sees);</li>
 *   <li>{@code response.reasoning_summary_text.delta} and {@code response.reasoning_text.delta}: reasoning;</li>
 *   <li>{@code response.output_item.added} whose {@code item.type} is {@code function_call}: a tool call begins
 *       (its name), and {@code response.function_call_arguments.delta}: its arguments; both are visible output,
 *       the arguments kept in the measurement's tool-call arguments;</li>
 *   <li>{@code response.completed} and {@code response.incomplete} (the output cap was reached): the end, with
 *       {@code response.usage};</li>
 *   <li>{@code response.failed} ({@code response.error.message}) and {@code error} (a top-level
 *       {@code message}, or an {@code error} object): a provider error.</li>
 * </ul>
 *
 * <p>Every other event is skipped without parsing when its {@code event:} line names it: several of them
 * ({@code response.output_text.done}, {@code response.content_part.done}, {@code response.output_item.done})
 * repeat the whole output text, which would triple the parsing per response for nothing. A stream without
 * {@code event:} lines (some compatible servers) is classified by {@code type} instead, wherever it sits in the
 * object: a delta that comes before its {@code type} is held in a reused buffer until the type is known.
 */
final class OpenAiResponsesDecoder extends SseStreamDecoder {
    /** {@code response.completed} repeats the whole output; 8 MiB holds well over 128k tokens of it. */
    static final int MAX_EVENT_BYTES = 8 << 20;

    private static final int UNKNOWN = -1;
    private static final int OTHER = 0;
    private static final int TEXT = 1;
    private static final int REASONING = 2;
    private static final int COMPLETED = 3;
    private static final int INCOMPLETE = 4;
    private static final int FAILED = 5;
    private static final int ERROR_EVENT = 6;
    private static final int ITEM_ADDED = 7;
    private static final int TOOL_ARGUMENTS = 8;

    private static final byte[] OUTPUT_TEXT_DELTA = ascii("response.output_text.delta");
    private static final byte[] REFUSAL_DELTA = ascii("response.refusal.delta");
    private static final byte[] REASONING_SUMMARY_TEXT_DELTA = ascii("response.reasoning_summary_text.delta");
    private static final byte[] REASONING_TEXT_DELTA = ascii("response.reasoning_text.delta");
    private static final byte[] RESPONSE_COMPLETED = ascii("response.completed");
    private static final byte[] RESPONSE_INCOMPLETE = ascii("response.incomplete");
    private static final byte[] RESPONSE_FAILED = ascii("response.failed");
    private static final byte[] ERROR = ascii("error");
    private static final byte[] OUTPUT_ITEM_ADDED = ascii("response.output_item.added");
    private static final byte[] FUNCTION_CALL_ARGUMENTS_DELTA = ascii("response.function_call_arguments.delta");
    private static final byte[] FUNCTION_CALL = ascii("function_call");
    private static final byte[] ITEM = ascii("item");
    private static final byte[] DONE = ascii("[DONE]");

    private static final byte[] TYPE = ascii("type");
    private static final byte[] DELTA = ascii("delta");
    private static final byte[] RESPONSE = ascii("response");
    private static final byte[] USAGE = ascii("usage");
    private static final byte[] MESSAGE = ascii("message");
    private static final byte[] CODE = ascii("code");
    private static final byte[] INPUT_TOKENS = ascii("input_tokens");
    private static final byte[] OUTPUT_TOKENS = ascii("output_tokens");
    private static final byte[] INPUT_TOKENS_DETAILS = ascii("input_tokens_details");
    private static final byte[] CACHED_TOKENS = ascii("cached_tokens");
    private static final byte[] OUTPUT_TOKENS_DETAILS = ascii("output_tokens_details");
    private static final byte[] REASONING_TOKENS = ascii("reasoning_tokens");

    /** A delta met before the event's {@code type} (streams without event lines only); created on first use. */
    private ByteSink pendingDelta;

    // Per event: what it carried. Fields, not locals, so the small parse methods need no return objects.
    private int kind;
    private boolean deltaSeen;
    private boolean deltaPending;
    private boolean usageSeen;
    /** This event's {@code item} is a {@code function_call}: in output_item.added, a tool call begins. */
    private boolean itemIsFunctionCall;
    private long inputTokens;
    private long outputTokens;
    private long reasoningTokens;
    private long cachedTokens;
    /** Rare path (errors only): allocated when an error event carries a message. */
    private String errorMessage;
    private String errorCode;

    OpenAiResponsesDecoder(RequestMeasurement measurement) {
        super(measurement, MAX_EVENT_BYTES);
    }

    @Override
    public void onEvent(byte[] event, int eventLength, byte[] data, int dataLength, long arrivalNanos) {
        int named = eventLength == 0 ? UNKNOWN : classify(event, 0, eventLength);
        if (named == OTHER) {
            return;
        }
        if (named == UNKNOWN && JsonScanner.rangeEquals(data, 0, dataLength, DONE)) {
            // Not OpenAI's, but some compatible servers end a Responses stream the chat way.
            m.onStreamEnd(arrivalNanos);
            return;
        }
        kind = named;
        deltaSeen = false;
        deltaPending = false;
        usageSeen = false;
        itemIsFunctionCall = false;
        inputTokens = -1;
        outputTokens = -1;
        reasoningTokens = -1;
        cachedTokens = -1;
        errorMessage = null;
        errorCode = null;
        json.reset(data, 0, dataLength);
        if (!parseEvent()) {
            m.onProtocolError("malformed event: " + json.errorMessage());
            return;
        }
        switch (kind) {
            case TEXT, REASONING, TOOL_ARGUMENTS -> onDelta(arrivalNanos);
            case ITEM_ADDED -> {
                if (itemIsFunctionCall) {
                    m.onToolCallEvent(arrivalNanos, 1);
                }
            }
            case COMPLETED, INCOMPLETE -> {
                if (usageSeen) {
                    m.onUsage(inputTokens, outputTokens, reasoningTokens, cachedTokens);
                }
                m.onStreamEnd(arrivalNanos);
            }
            case FAILED, ERROR_EVENT -> m.onProviderError(errorText(), arrivalNanos);
            default -> {
                // created, in_progress, done, part events: nothing a benchmark measures
            }
        }
    }

    private void onDelta(long arrivalNanos) {
        if (deltaPending && pendingDelta.length() > 0) {
            sinkOf(kind).append(pendingDelta.array(), 0, pendingDelta.length());
            deltaSeen = true;
        }
        if (!deltaSeen) {
            return;
        }
        if (kind == TOOL_ARGUMENTS) {
            m.onToolCallEvent(arrivalNanos, 0);
        } else {
            m.onContentEvent(arrivalNanos, kind == TEXT);
        }
    }

    private ByteSink sinkOf(int deltaKind) {
        return deltaKind == TEXT ? m.visibleText
                : deltaKind == TOOL_ARGUMENTS ? m.toolCallArguments() : m.reasoningText();
    }

    private boolean parseEvent() {
        if (json.next() != JsonScanner.OBJECT_START) {
            return false;
        }
        int t;
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(TYPE)) {
                if (!readType()) {
                    return false;
                }
            } else if (json.textEquals(DELTA)) {
                if (!readDelta()) {
                    return false;
                }
            } else if (json.textEquals(RESPONSE)) {
                if (!parseResponse()) {
                    return false;
                }
            } else if (json.textEquals(ITEM) && (kind == ITEM_ADDED || kind == UNKNOWN)) {
                if (!parseItem()) {
                    return false;
                }
            } else if (json.textEquals(MESSAGE) && mayBeError()) {
                if (!readErrorMessage()) {
                    return false;
                }
            } else if (json.textEquals(CODE) && mayBeError()) {
                errorCode = readString();
            } else if (json.textEquals(ERROR) && mayBeError()) {
                if (!parseError()) {
                    return false;
                }
            } else {
                json.skipValue();
            }
        }
        return t == JsonScanner.OBJECT_END && json.next() == JsonScanner.END;
    }

    /** The event line already named the type when there is one; otherwise the {@code type} member does. */
    private boolean readType() {
        int t = json.next();
        if (t == JsonScanner.STRING) {
            if (kind == UNKNOWN) {
                kind = classifyText();
            }
            return true;
        }
        return json.skipRestOf(t);
    }

    private boolean readDelta() {
        int t = json.next();
        if (t != JsonScanner.STRING) {
            return json.skipRestOf(t);
        }
        if (json.textLength() == 0) {
            return true;
        }
        if (kind == TEXT || kind == REASONING || kind == TOOL_ARGUMENTS) {
            json.appendText(sinkOf(kind));
            deltaSeen = true;
        } else if (kind == UNKNOWN) {
            if (pendingDelta == null) {
                pendingDelta = new ByteSink(256);
            }
            pendingDelta.reset();
            json.appendText(pendingDelta);
            deltaPending = true;
        }
        return true;
    }

    /** output_item.added's item: only whether it is a function call matters (its arguments come as deltas). */
    private boolean parseItem() {
        int t = json.next();
        if (t != JsonScanner.OBJECT_START) {
            return json.skipRestOf(t);
        }
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(TYPE)) {
                int v = json.next();
                if (v == JsonScanner.STRING) {
                    itemIsFunctionCall = json.textEquals(FUNCTION_CALL);
                } else if (!json.skipRestOf(v)) {
                    return false;
                }
            } else {
                json.skipValue();
            }
        }
        return t == JsonScanner.OBJECT_END;
    }

    /** The response object of created/in_progress/completed/incomplete/failed: usage and error are kept. */
    private boolean parseResponse() {
        int t = json.next();
        if (t != JsonScanner.OBJECT_START) {
            return json.skipRestOf(t);
        }
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(USAGE)) {
                if (!parseUsage()) {
                    return false;
                }
            } else if (json.textEquals(ERROR)) {
                if (!parseError()) {
                    return false;
                }
            } else {
                json.skipValue();
            }
        }
        return t == JsonScanner.OBJECT_END;
    }

    private boolean parseUsage() {
        int t = json.next();
        if (t != JsonScanner.OBJECT_START) {
            return json.skipRestOf(t);
        }
        usageSeen = true;
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(INPUT_TOKENS)) {
                inputTokens = json.nextLong();
            } else if (json.textEquals(OUTPUT_TOKENS)) {
                outputTokens = json.nextLong();
            } else if (json.textEquals(INPUT_TOKENS_DETAILS)) {
                cachedTokens = json.nextMemberLong(CACHED_TOKENS);
            } else if (json.textEquals(OUTPUT_TOKENS_DETAILS)) {
                reasoningTokens = json.nextMemberLong(REASONING_TOKENS);
            } else {
                json.skipValue();
            }
        }
        return t == JsonScanner.OBJECT_END;
    }

    /** Rare path: {@code {"code": …, "message": …}} (null in every response that did not fail). */
    private boolean parseError() {
        int t = json.next();
        if (t != JsonScanner.OBJECT_START) {
            return json.skipRestOf(t);
        }
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(MESSAGE)) {
                if (!readErrorMessage()) {
                    return false;
                }
            } else if (json.textEquals(CODE)) {
                errorCode = readString();
            } else {
                json.skipValue();
            }
        }
        return t == JsonScanner.OBJECT_END;
    }

    private boolean readErrorMessage() {
        int t = json.next();
        if (t == JsonScanner.STRING) {
            errorMessage = json.textAsString();
            return true;
        }
        return json.skipRestOf(t);
    }

    private String readString() {
        int t = json.next();
        if (t == JsonScanner.STRING) {
            return json.textAsString();
        }
        json.skipRestOf(t);
        return null;
    }

    /** Top-level message/code/error belong to the {@code error} event; they are read only where they can. */
    private boolean mayBeError() {
        return kind == ERROR_EVENT || kind == UNKNOWN;
    }

    private String errorText() {
        String text = errorMessage != null && !errorMessage.isBlank() ? errorMessage
                : errorCode != null ? errorCode
                : kind == FAILED ? "response.failed" : "error event";
        return ProviderMessages.trim(text);
    }

    private static int classify(byte[] name, int off, int len) {
        if (JsonScanner.rangeEquals(name, off, len, OUTPUT_TEXT_DELTA) || JsonScanner.rangeEquals(name, off, len, REFUSAL_DELTA)) {
            return TEXT;
        }
        if (JsonScanner.rangeEquals(name, off, len, REASONING_SUMMARY_TEXT_DELTA) || JsonScanner.rangeEquals(name, off, len, REASONING_TEXT_DELTA)) {
            return REASONING;
        }
        if (JsonScanner.rangeEquals(name, off, len, RESPONSE_COMPLETED)) {
            return COMPLETED;
        }
        if (JsonScanner.rangeEquals(name, off, len, RESPONSE_INCOMPLETE)) {
            return INCOMPLETE;
        }
        if (JsonScanner.rangeEquals(name, off, len, RESPONSE_FAILED)) {
            return FAILED;
        }
        if (JsonScanner.rangeEquals(name, off, len, ERROR)) {
            return ERROR_EVENT;
        }
        if (JsonScanner.rangeEquals(name, off, len, FUNCTION_CALL_ARGUMENTS_DELTA)) {
            return TOOL_ARGUMENTS;
        }
        if (JsonScanner.rangeEquals(name, off, len, OUTPUT_ITEM_ADDED)) {
            return ITEM_ADDED;
        }
        return OTHER;
    }

    /** The current STRING as an event type; event types never need escapes. */
    private int classifyText() {
        if (json.textEquals(OUTPUT_TEXT_DELTA) || json.textEquals(REFUSAL_DELTA)) {
            return TEXT;
        }
        if (json.textEquals(REASONING_SUMMARY_TEXT_DELTA) || json.textEquals(REASONING_TEXT_DELTA)) {
            return REASONING;
        }
        if (json.textEquals(RESPONSE_COMPLETED)) {
            return COMPLETED;
        }
        if (json.textEquals(RESPONSE_INCOMPLETE)) {
            return INCOMPLETE;
        }
        if (json.textEquals(RESPONSE_FAILED)) {
            return FAILED;
        }
        if (json.textEquals(ERROR)) {
            return ERROR_EVENT;
        }
        if (json.textEquals(FUNCTION_CALL_ARGUMENTS_DELTA)) {
            return TOOL_ARGUMENTS;
        }
        if (json.textEquals(OUTPUT_ITEM_ADDED)) {
            return ITEM_ADDED;
        }
        return OTHER;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
