package dev.tokenbench.provider.bedrock;

import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.ProviderMessages;
import dev.tokenbench.provider.StreamDecoder;
import dev.tokenbench.wire.ByteSink;
import dev.tokenbench.wire.EventStreamFramer;
import dev.tokenbench.wire.JsonScanner;

import java.nio.charset.StandardCharsets;

/**
 * Reads a Bedrock ConverseStream response: AWS event-stream frames whose {@code :event-type} header names the
 * event and whose payload is its JSON. A {@code contentBlockDelta} counts as a content event when its delta
 * carries non-empty {@code text} (visible) or {@code reasoningContent.text} (reasoning); a reasoning
 * {@code signature} and a {@code redactedContent} block are not tokens. Tool calls are visible output: a
 * {@code contentBlockStart} with {@code start.toolUse} begins one (its name), and a delta's non-empty
 * {@code toolUse.input} carries its arguments, kept in the measurement's tool-call arguments. Usage comes in the
 * {@code metadata} event: {@code inputTokens}, {@code outputTokens} (reasoning included: Bedrock does not
 * report reasoning tokens apart, so they are left to the tokenizer's count of the reasoning text) and
 * {@code cacheReadInputTokens}; the input count is the whole prompt, inputTokens + cacheReadInputTokens +
 * cacheWriteInputTokens, since Bedrock's inputTokens counts only the uncached part.
 *
 * <p>End of stream: Bedrock sends {@code messageStop} and then {@code metadata} as the last event. The stream is
 * complete once {@code messageStop} has arrived; its end time is the arrival of the {@code metadata} that follows
 * it, or of the {@code messageStop} itself when the body ends without one. A body that ends at a frame boundary
 * before {@code messageStop} is a stream_error (as a chat stream without {@code [DONE]}); a body that ends inside
 * a frame, a bad CRC, an oversize frame or a malformed payload is a protocol_error. A frame whose
 * {@code :message-type} is {@code exception} (throttlingException, modelStreamErrorException, …) or
 * {@code error} is the provider's error: a stream_error with the exception type and its message.
 */
final class BedrockConverseDecoder implements StreamDecoder, EventStreamFramer.FrameHandler {
    /** AWS's limit for one event-stream message is 16 MiB of payload; a frame adds its prelude and headers. */
    static final int MAX_FRAME_BYTES = 16 << 20;

    private static final byte[] MESSAGE_TYPE = ascii(":message-type");
    private static final byte[] EVENT_TYPE = ascii(":event-type");
    private static final byte[] EXCEPTION_TYPE = ascii(":exception-type");
    private static final byte[] ERROR_CODE = ascii(":error-code");
    private static final byte[] ERROR_MESSAGE = ascii(":error-message");

    private static final byte[] EVENT = ascii("event");
    private static final byte[] EXCEPTION = ascii("exception");
    private static final byte[] ERROR = ascii("error");

    private static final byte[] CONTENT_BLOCK_DELTA = ascii("contentBlockDelta");
    private static final byte[] CONTENT_BLOCK_START = ascii("contentBlockStart");
    private static final byte[] START = ascii("start");
    private static final byte[] TOOL_USE = ascii("toolUse");
    private static final byte[] INPUT = ascii("input");
    private static final byte[] MESSAGE_STOP = ascii("messageStop");
    private static final byte[] METADATA = ascii("metadata");

    private static final byte[] DELTA = ascii("delta");
    private static final byte[] TEXT = ascii("text");
    private static final byte[] REASONING_CONTENT = ascii("reasoningContent");
    private static final byte[] USAGE = ascii("usage");
    private static final byte[] INPUT_TOKENS = ascii("inputTokens");
    private static final byte[] OUTPUT_TOKENS = ascii("outputTokens");
    private static final byte[] CACHE_READ_INPUT_TOKENS = ascii("cacheReadInputTokens");
    private static final byte[] CACHE_WRITE_INPUT_TOKENS = ascii("cacheWriteInputTokens");
    private static final byte[] MESSAGE = ascii("message");
    private static final byte[] MESSAGE_CAPITALISED = ascii("Message");

    private final RequestMeasurement m;
    private final EventStreamFramer framer;
    private final JsonScanner json = new JsonScanner();

    /** Arrival of messageStop; 0 until it came. */
    private long messageStopNanos;
    // Per delta event: what it carried. Fields, so the small parse methods need no return objects.
    private boolean eventHasVisible;
    private boolean eventHasReasoning;
    private boolean eventHasToolInput;
    private boolean eventStartsToolUse;

    BedrockConverseDecoder(RequestMeasurement measurement) {
        this.m = measurement;
        this.framer = new EventStreamFramer(this, MAX_FRAME_BYTES);
    }

    @Override
    public void onBytes(byte[] buf, int off, int len, long arrivalNanos) {
        framer.feed(buf, off, len, arrivalNanos);
    }

    @Override
    public void onBodyEnd(long arrivalNanos) {
        boolean insideFrame = framer.end(arrivalNanos);
        if (insideFrame) {
            m.onProtocolError("the body ended inside an event-stream frame");
        }
        if (messageStopNanos != 0) {
            // messageStop without the metadata after it: complete, ended at messageStop, usage left to the tokenizer
            m.onStreamEnd(messageStopNanos);
        }
    }

    @Override
    public void onFramingError(String reason, long arrivalNanos) {
        m.onProtocolError("event stream: " + reason);
    }

    /** A bad frame between good ones: a protocol_error, but the frames after it still count. */
    @Override
    public boolean onDroppedFrame(String reason, long arrivalNanos) {
        m.onProtocolError("event stream: " + reason);
        return true;
    }

    @Override
    public void onFrame(EventStreamFramer.Headers headers, int payloadOffset, int payloadLength,
            long arrivalNanos) {
        byte[] frame = headers.array();
        int messageType = headers.indexOf(MESSAGE_TYPE);
        if (messageType < 0 || headers.valueEquals(messageType, EVENT)) {
            // The :message-type header is required, but a frame without it that names its event is still one.
            int eventType = headers.indexOf(EVENT_TYPE);
            if (eventType < 0) {
                m.onProtocolError("an event-stream frame without :message-type or :event-type");
                return;
            }
            if (headers.valueEquals(eventType, CONTENT_BLOCK_DELTA)) {
                onDelta(frame, payloadOffset, payloadLength, arrivalNanos);
            } else if (headers.valueEquals(eventType, CONTENT_BLOCK_START)) {
                onBlockStart(frame, payloadOffset, payloadLength, arrivalNanos);
            } else if (headers.valueEquals(eventType, METADATA)) {
                onMetadata(frame, payloadOffset, payloadLength, arrivalNanos);
            } else if (headers.valueEquals(eventType, MESSAGE_STOP)) {
                if (messageStopNanos == 0) {
                    messageStopNanos = arrivalNanos;
                }
            }
            // messageStart, contentBlockStop and events added later carry no measurement
        } else if (headers.valueEquals(messageType, EXCEPTION)) {
            String type = headers.stringOrNull(EXCEPTION_TYPE);
            m.onProviderError(ProviderMessages.trim((type == null ? "exception" : type) + ": "
                    + errorMessage(frame, payloadOffset, payloadLength)), arrivalNanos);
        } else if (headers.valueEquals(messageType, ERROR)) {
            String code = headers.stringOrNull(ERROR_CODE);
            String message = headers.stringOrNull(ERROR_MESSAGE);
            m.onProviderError(ProviderMessages.trim((code == null ? "error" : code) + ": " + (message == null ? "" : message)),
                    arrivalNanos);
        } else {
            m.onProtocolError(ProviderMessages.trim("unknown :message-type " + headers.valueAsString(messageType)));
        }
    }

    private void onDelta(byte[] frame, int off, int len, long arrivalNanos) {
        eventHasVisible = false;
        eventHasReasoning = false;
        eventHasToolInput = false;
        json.reset(frame, off, len);
        if (!parseDeltaEvent()) {
            m.onProtocolError("malformed contentBlockDelta: " + json.errorMessage());
            return;
        }
        if (eventHasVisible || eventHasReasoning || eventHasToolInput) {
            if (messageStopNanos != 0) {
                // The stream ends at messageStop; a delta after it would be content after the end (found by fuzzing).
                m.onProtocolError("a contentBlockDelta after messageStop");
                return;
            }
            if (eventHasToolInput) {
                m.onToolCallEvent(arrivalNanos, 0);
            } else {
                m.onContentEvent(arrivalNanos, eventHasVisible);
            }
        }
    }

    /** {"contentBlockIndex":1,"start":{"toolUse":{"toolUseId":"…","name":"…"}},"p":"…"}: a tool call begins. */
    private void onBlockStart(byte[] frame, int off, int len, long arrivalNanos) {
        eventStartsToolUse = false;
        json.reset(frame, off, len);
        if (!parseBlockStart()) {
            m.onProtocolError("malformed contentBlockStart: " + json.errorMessage());
            return;
        }
        if (eventStartsToolUse) {
            if (messageStopNanos != 0) {
                m.onProtocolError("a contentBlockStart after messageStop");
                return;
            }
            m.onToolCallEvent(arrivalNanos, 1);
        }
    }

    private boolean parseBlockStart() {
        if (json.next() != JsonScanner.OBJECT_START) {
            return false;
        }
        int t;
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(START)) {
                int v = json.next();
                if (v == JsonScanner.OBJECT_START) {
                    while ((v = json.next()) == JsonScanner.NAME) {
                        eventStartsToolUse |= json.textEquals(TOOL_USE);
                        json.skipValue();
                    }
                    if (v != JsonScanner.OBJECT_END) {
                        return false;
                    }
                } else if (!json.skipRestOf(v)) {
                    return false;
                }
            } else {
                json.skipValue();
            }
        }
        return t == JsonScanner.OBJECT_END && json.next() == JsonScanner.END;
    }

    /** {"contentBlockIndex":0,"delta":{"text":"…"} or {"reasoningContent":{"text":"…"}},"p":"…"} */
    private boolean parseDeltaEvent() {
        if (json.next() != JsonScanner.OBJECT_START) {
            return false;
        }
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
        return t == JsonScanner.OBJECT_END && json.next() == JsonScanner.END;
    }

    private boolean parseDelta() {
        int t = json.next();
        if (t != JsonScanner.OBJECT_START) {
            return json.skipRestOf(t);
        }
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(TEXT)) {
                eventHasVisible |= json.nextNonEmptyText(m.visibleText);
            } else if (json.textEquals(REASONING_CONTENT)) {
                if (!parseReasoningContent()) {
                    return false;
                }
            } else if (json.textEquals(TOOL_USE)) {
                if (!parseToolUse()) {
                    return false;
                }
            } else {
                json.skipValue(); // citation, …
            }
        }
        return t == JsonScanner.OBJECT_END;
    }

    /** {"input":"…"}: a piece of the tool call's arguments (JSON text). */
    private boolean parseToolUse() {
        int t = json.next();
        if (t != JsonScanner.OBJECT_START) {
            return json.skipRestOf(t);
        }
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(INPUT)) {
                eventHasToolInput |= json.nextNonEmptyText(m.toolCallArguments());
            } else {
                json.skipValue();
            }
        }
        return t == JsonScanner.OBJECT_END;
    }

    private boolean parseReasoningContent() {
        int t = json.next();
        if (t != JsonScanner.OBJECT_START) {
            return json.skipRestOf(t);
        }
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(TEXT)) {
                eventHasReasoning |= json.nextNonEmptyText(m.reasoningText());
            } else {
                json.skipValue(); // signature, redactedContent
            }
        }
        return t == JsonScanner.OBJECT_END;
    }

    private void onMetadata(byte[] frame, int off, int len, long arrivalNanos) {
        json.reset(frame, off, len);
        if (!parseMetadata()) {
            m.onProtocolError("malformed metadata: " + json.errorMessage());
        }
        if (messageStopNanos != 0) {
            m.onStreamEnd(arrivalNanos);
        }
    }

    /** {"usage":{"inputTokens":…,"outputTokens":…,"totalTokens":…,…},"metrics":{"latencyMs":…},"p":"…"} */
    private boolean parseMetadata() {
        if (json.next() != JsonScanner.OBJECT_START) {
            return false;
        }
        int t;
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(USAGE)) {
                if (!parseUsage()) {
                    return false;
                }
            } else {
                json.skipValue(); // metrics, trace, performanceConfig
            }
        }
        return t == JsonScanner.OBJECT_END && json.next() == JsonScanner.END;
    }

    private boolean parseUsage() {
        int t = json.next();
        if (t != JsonScanner.OBJECT_START) {
            return json.skipRestOf(t);
        }
        long input = -1;
        long output = -1;
        long cacheRead = -1;
        long cacheWrite = -1;
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(INPUT_TOKENS)) {
                input = json.nextLong();
            } else if (json.textEquals(OUTPUT_TOKENS)) {
                output = json.nextLong();
            } else if (json.textEquals(CACHE_READ_INPUT_TOKENS)) {
                cacheRead = json.nextLong();
            } else if (json.textEquals(CACHE_WRITE_INPUT_TOKENS)) {
                cacheWrite = json.nextLong();
            } else {
                json.skipValue();
            }
        }
        // Bedrock's inputTokens leaves out the cache reads and writes (totalTokens adds them): the whole prompt is
        // their sum, as OpenAI's prompt_tokens and the other decoders' input counts are.
        if (input >= 0) {
            input += Math.max(0, cacheRead) + Math.max(0, cacheWrite);
        }
        m.onUsage(input, output, -1, cacheRead);
        return t == JsonScanner.OBJECT_END;
    }

    /** Rare path: the message of an exception frame's JSON payload. Allocation is fine here. */
    private String errorMessage(byte[] frame, int off, int len) {
        json.reset(frame, off, len);
        if (json.next() == JsonScanner.OBJECT_START) {
            while (json.next() == JsonScanner.NAME) {
                if (json.textEquals(MESSAGE) || json.textEquals(MESSAGE_CAPITALISED)) {
                    if (json.next() == JsonScanner.STRING) {
                        return json.textAsString();
                    }
                    return "";
                }
                json.skipValue();
            }
        }
        return new String(frame, off, Math.min(len, ProviderMessages.MAX_CHARS), StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
