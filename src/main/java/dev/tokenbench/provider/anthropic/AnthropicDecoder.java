package dev.tokenbench.provider.anthropic;

import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.ProviderMessages;
import dev.tokenbench.provider.SseStreamDecoder;
import dev.tokenbench.wire.ByteSink;
import dev.tokenbench.wire.JsonScanner;

import java.nio.charset.StandardCharsets;

/**
 * Reads an Anthropic Messages stream: named SSE events whose data is a JSON object with the same {@code type}.
 *
 * <ul>
 *   <li>{@code content_block_delta}: a {@code text_delta}'s {@code delta.text} is visible output, a
 *       {@code thinking_delta}'s {@code delta.thinking} is reasoning output; {@code signature_delta} and
 *       {@code citations_delta} carry no text and are not content events. The member names tell the kinds apart,
 *       so the order of the members does not matter.</li>
 *   <li>Tool calls: {@code content_block_start} whose {@code content_block.type} is {@code tool_use} begins one
 *       (its name), and an {@code input_json_delta}'s non-empty {@code partial_json} carries its arguments; both are
 *       visible output, the arguments kept in the measurement's tool-call arguments.</li>
 *   <li>Usage: {@code message_start} carries the input side ({@code message.usage}); {@code message_delta} carries
 *       the cumulative {@code usage.output_tokens} (thinking included) and, in current API versions and in gateways
 *       that leave message_start at 0, the input side again. Counts are cumulative, so the largest input report
 *       wins and the last output report wins; message_start's placeholder {@code output_tokens} is not used.
 *       {@code input_tokens} is reported as Anthropic's input + cache reads + cache writes (the whole prompt, as
 *       OpenAI's {@code prompt_tokens}), {@code cached_input_tokens} as the cache reads. Anthropic reports no
 *       separate reasoning count, so reasoning tokens stay unknown (-1) here and the run record estimates them
 *       from the thinking text with the tokenizer, marked estimated; that estimate never changes the provider's
 *       output count (the visible count is then the tokenizer's count of the visible text).</li>
 *   <li>{@code message_stop} ends the stream; {@code ping} is skipped unparsed; an {@code error} event
 *       ({@code {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}}) fails the request
 *       with {@code overloaded_error: Overloaded}. Unknown event types are read for nothing and ignored, as the
 *       API's versioning policy asks of clients.</li>
 * </ul>
 */
final class AnthropicDecoder extends SseStreamDecoder {
    static final int MAX_EVENT_BYTES = 4 << 20;

    private static final byte[] PING_EVENT = ascii("ping");
    private static final byte[] ERROR_EVENT = ascii("error");
    private static final byte[] MESSAGE_STOP = ascii("message_stop");

    private static final byte[] TYPE = ascii("type");
    private static final byte[] MESSAGE = ascii("message");
    private static final byte[] DELTA = ascii("delta");
    private static final byte[] USAGE = ascii("usage");
    private static final byte[] ERROR = ascii("error");
    private static final byte[] TEXT = ascii("text");
    private static final byte[] THINKING = ascii("thinking");
    private static final byte[] PARTIAL_JSON = ascii("partial_json");
    private static final byte[] CONTENT_BLOCK = ascii("content_block");
    private static final byte[] TOOL_USE = ascii("tool_use");
    private static final byte[] INPUT_TOKENS = ascii("input_tokens");
    private static final byte[] OUTPUT_TOKENS = ascii("output_tokens");
    private static final byte[] CACHE_READ_INPUT_TOKENS = ascii("cache_read_input_tokens");
    private static final byte[] CACHE_CREATION_INPUT_TOKENS = ascii("cache_creation_input_tokens");


    // Usage seen so far in this stream; -1 = not reported.
    private long inputTokens = -1;
    private long cacheReadInputTokens = -1;
    private long cacheCreationInputTokens = -1;
    private long outputTokens = -1;

    // Per event: what it carried. Fields, not locals, so the small parse methods need no return objects.
    private boolean eventHasVisible;
    private boolean eventHasReasoning;
    private boolean eventHasToolArguments;
    private boolean eventStartsToolCall;
    private boolean eventIsStop;
    private boolean eventIsError;
    /** Rare path: the provider's message of an error event. */
    private String eventErrorMessage;

    AnthropicDecoder(RequestMeasurement measurement) {
        super(measurement, MAX_EVENT_BYTES);
    }

    @Override
    public void onEvent(byte[] event, int eventLength, byte[] data, int dataLength, long arrivalNanos) {
        if (JsonScanner.rangeEquals(event, 0, eventLength, PING_EVENT)) {
            return;
        }
        boolean namedError = JsonScanner.rangeEquals(event, 0, eventLength, ERROR_EVENT);
        boolean namedStop = JsonScanner.rangeEquals(event, 0, eventLength, MESSAGE_STOP);
        eventHasVisible = false;
        eventHasReasoning = false;
        eventHasToolArguments = false;
        eventStartsToolCall = false;
        eventIsStop = false;
        eventIsError = false;
        eventErrorMessage = null;
        json.reset(data, 0, dataLength);
        if (!parseEvent()) {
            if (namedError) {
                m.onProviderError(ProviderMessages.trim("error event: " + new String(data, 0, dataLength, StandardCharsets.UTF_8)),
                        arrivalNanos);
                return;
            }
            m.onProtocolError("malformed " + (eventLength == 0 ? "" : new String(event, 0, eventLength,
                    StandardCharsets.UTF_8) + " ") + "event: " + json.errorMessage());
            if (namedStop) {
                m.onStreamEnd(arrivalNanos);
            }
            return;
        }
        if (namedError || eventIsError || eventErrorMessage != null) {
            m.onProviderError(eventErrorMessage != null ? eventErrorMessage
                    : ProviderMessages.trim("error event: " + new String(data, 0, dataLength, StandardCharsets.UTF_8)), arrivalNanos);
            return;
        }
        if (eventStartsToolCall || eventHasToolArguments) {
            m.onToolCallEvent(arrivalNanos, eventStartsToolCall ? 1 : 0);
        } else if (eventHasVisible || eventHasReasoning) {
            m.onContentEvent(arrivalNanos, eventHasVisible);
        }
        if (namedStop || eventIsStop) {
            m.onStreamEnd(arrivalNanos);
        }
    }

    private boolean parseEvent() {
        if (json.next() != JsonScanner.OBJECT_START) {
            return false;
        }
        int t;
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(DELTA)) {
                if (!parseDelta()) {
                    return false;
                }
            } else if (json.textEquals(TYPE)) {
                t = json.next();
                if (t == JsonScanner.STRING) {
                    eventIsStop = json.textEquals(MESSAGE_STOP);
                    eventIsError = json.textEquals(ERROR);
                } else if (!json.skipRestOf(t)) {
                    return false;
                }
            } else if (json.textEquals(USAGE)) {
                if (!parseUsage(true)) {
                    return false;
                }
            } else if (json.textEquals(MESSAGE)) {
                if (!parseMessage()) {
                    return false;
                }
            } else if (json.textEquals(CONTENT_BLOCK)) {
                if (!parseContentBlock()) {
                    return false;
                }
            } else if (json.textEquals(ERROR)) {
                eventErrorMessage = parseErrorMessage();
            } else {
                json.skipValue();
            }
        }
        return t == JsonScanner.OBJECT_END && json.next() == JsonScanner.END;
    }

    /** content_block_delta's delta (text or thinking) or message_delta's (stop_reason: nothing to keep). */
    private boolean parseDelta() {
        int t = json.next();
        if (t == JsonScanner.NULL) {
            return true;
        }
        if (t != JsonScanner.OBJECT_START) {
            return false;
        }
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(TEXT)) {
                eventHasVisible |= json.nextNonEmptyText(m.visibleText);
            } else if (json.textEquals(THINKING)) {
                eventHasReasoning |= json.nextNonEmptyText(m.reasoningText());
            } else if (json.textEquals(PARTIAL_JSON)) {
                eventHasToolArguments |= json.nextNonEmptyText(m.toolCallArguments());
            } else {
                json.skipValue();
            }
        }
        return t == JsonScanner.OBJECT_END;
    }

    /** content_block_start's block: a {@code tool_use} block begins a tool call (its input streams as deltas). */
    private boolean parseContentBlock() {
        int t = json.next();
        if (t != JsonScanner.OBJECT_START) {
            return json.skipRestOf(t);
        }
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(TYPE)) {
                int v = json.next();
                if (v == JsonScanner.STRING) {
                    eventStartsToolCall = json.textEquals(TOOL_USE);
                } else if (!json.skipRestOf(v)) {
                    return false;
                }
            } else {
                json.skipValue();
            }
        }
        return t == JsonScanner.OBJECT_END;
    }

    /** message_start's message: only its usage matters. */
    private boolean parseMessage() {
        int t = json.next();
        if (t == JsonScanner.NULL) {
            return true;
        }
        if (t != JsonScanner.OBJECT_START) {
            return false;
        }
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(USAGE)) {
                if (!parseUsage(false)) {
                    return false;
                }
            } else {
                json.skipValue();
            }
        }
        return t == JsonScanner.OBJECT_END;
    }

    /**
     * A usage object. {@code withOutput}: message_delta's, whose output_tokens is the cumulative total;
     * message_start's output_tokens is a placeholder (1) and is not taken.
     */
    private boolean parseUsage(boolean withOutput) {
        int t = json.next();
        if (t == JsonScanner.NULL) {
            return true;
        }
        if (t != JsonScanner.OBJECT_START) {
            return false;
        }
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(INPUT_TOKENS)) {
                inputTokens = Math.max(inputTokens, json.nextLong());
            } else if (json.textEquals(CACHE_READ_INPUT_TOKENS)) {
                cacheReadInputTokens = Math.max(cacheReadInputTokens, json.nextLong());
            } else if (json.textEquals(CACHE_CREATION_INPUT_TOKENS)) {
                cacheCreationInputTokens = Math.max(cacheCreationInputTokens, json.nextLong());
            } else if (withOutput && json.textEquals(OUTPUT_TOKENS)) {
                long output = json.nextLong();
                if (output >= 0) {
                    outputTokens = output;
                }
            } else {
                json.skipValue();
            }
        }
        long wholePrompt = inputTokens < 0 ? -1
                : inputTokens + Math.max(0, cacheReadInputTokens) + Math.max(0, cacheCreationInputTokens);
        m.onUsage(wholePrompt, outputTokens, -1, cacheReadInputTokens);
        return t == JsonScanner.OBJECT_END;
    }

    /** Rare path: {@code "error": {"type": "overloaded_error", "message": "Overloaded"}}. Allocation is fine. */
    private String parseErrorMessage() {
        int t = json.next();
        if (t == JsonScanner.STRING) {
            return ProviderMessages.trim(json.textAsString());
        }
        if (t != JsonScanner.OBJECT_START) {
            json.skipRestOf(t);
            return "error event";
        }
        String type = null;
        String message = null;
        while (json.next() == JsonScanner.NAME) {
            if (json.textEquals(TYPE)) {
                type = readStringOrNull();
            } else if (json.textEquals(MESSAGE)) {
                message = readStringOrNull();
            } else {
                json.skipValue();
            }
        }
        if (message == null) {
            return type == null ? "error event" : ProviderMessages.trim(type);
        }
        return ProviderMessages.trim(type == null ? message : type + ": " + message);
    }

    private String readStringOrNull() {
        int t = json.next();
        if (t == JsonScanner.STRING) {
            return json.textAsString();
        }
        json.skipRestOf(t);
        return null;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
