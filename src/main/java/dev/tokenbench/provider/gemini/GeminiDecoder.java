package dev.tokenbench.provider.gemini;

import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.ProviderMessages;
import dev.tokenbench.provider.SseStreamDecoder;
import dev.tokenbench.wire.ByteSink;
import dev.tokenbench.wire.JsonScanner;

import java.nio.charset.StandardCharsets;

/**
 * Reads a {@code streamGenerateContent?alt=sse} stream, the same for the Gemini API and Vertex AI. Each SSE
 * {@code data:} is one GenerateContentResponse.
 *
 * <ul>
 *   <li>Content: {@code candidates[].content.parts[].text}. A part with {@code "thought": true} is reasoning
 *       (a thought summary, sent when {@code thinkingConfig.includeThoughts} is on); any other part with text is
 *       visible. A part may name {@code thought} before or after its {@code text}, so a part's text is held in a
 *       reused buffer until the part ends. Empty text (e.g. a part that only carries a {@code thoughtSignature})
 *       is not a token. A part with a {@code functionCall} is a tool call (visible output): its {@code args}
 *       object, as sent, is kept in the measurement's tool-call arguments. A chunk counts once, when it has parsed whole: a malformed chunk adds no text, usage or
 *       end, only a protocol error.</li>
 *   <li>End: there is no {@code [DONE]}. The chunk whose candidate carries a {@code finishReason} is the last one
 *       the model sends, with the final usage in it, so the stream ends at that chunk's arrival, not at the end of
 *       the body. A body that ends without any finishReason was cut short: no end is recorded and the request is
 *       a {@code stream_error}. {@code STOP} and {@code MAX_TOKENS} are normal ends; any other reason (SAFETY,
 *       RECITATION, PROHIBITED_CONTENT, …) means the provider cut the answer off, which is a provider error
 *       naming the reason.</li>
 *   <li>Usage, {@code usageMetadata}, which may come in every chunk (later chunks repeat and complete it):
 *       input = {@code promptTokenCount} (cached tokens included); output = {@code candidatesTokenCount} +
 *       {@code thoughtsTokenCount}, because Gemini counts thinking apart from the candidates while tokenbench's
 *       output tokens, like every other provider's, include reasoning; reasoning = {@code thoughtsTokenCount};
 *       cached input = {@code cachedContentTokenCount}. Google leaves zero counts out, so a report with either
 *       output count reads the absent one as 0; one without both (early chunks carry only the prompt count)
 *       reports no output.</li>
 *   <li>Errors: {@code promptFeedback.blockReason} (the prompt was refused: no candidates) and an {@code error}
 *       object ({@code code}, {@code message}, {@code status}) are provider errors.</li>
 * </ul>
 */
final class GeminiDecoder extends SseStreamDecoder {
    static final int MAX_EVENT_BYTES = 4 << 20;
    private static final int INITIAL_PART_TEXT_BYTES = 256;

    private static final byte[] CANDIDATES = ascii("candidates");
    private static final byte[] CONTENT = ascii("content");
    private static final byte[] PARTS = ascii("parts");
    private static final byte[] TEXT = ascii("text");
    private static final byte[] THOUGHT = ascii("thought");
    private static final byte[] FUNCTION_CALL = ascii("functionCall");
    private static final byte[] ARGS = ascii("args");
    private static final byte[] FINISH_REASON = ascii("finishReason");
    private static final byte[] STOP = ascii("STOP");
    private static final byte[] MAX_TOKENS = ascii("MAX_TOKENS");
    private static final byte[] USAGE_METADATA = ascii("usageMetadata");
    private static final byte[] PROMPT_TOKEN_COUNT = ascii("promptTokenCount");
    private static final byte[] CANDIDATES_TOKEN_COUNT = ascii("candidatesTokenCount");
    private static final byte[] THOUGHTS_TOKEN_COUNT = ascii("thoughtsTokenCount");
    private static final byte[] CACHED_CONTENT_TOKEN_COUNT = ascii("cachedContentTokenCount");
    private static final byte[] PROMPT_FEEDBACK = ascii("promptFeedback");
    private static final byte[] BLOCK_REASON = ascii("blockReason");
    private static final byte[] ERROR = ascii("error");
    private static final byte[] MESSAGE = ascii("message");
    private static final byte[] STATUS = ascii("status");

    /** The text of the part being read, until the part says whether it is a thought. */
    private final ByteSink partText = new ByteSink(INITIAL_PART_TEXT_BYTES);

    // Per chunk: what it carried, committed to the measurement only once the whole chunk has parsed, so a malformed
    // chunk adds nothing. Fields, not locals, so the small parse methods need no return objects.
    private final ByteSink chunkVisible = new ByteSink(INITIAL_PART_TEXT_BYTES);
    private final ByteSink chunkReasoning = new ByteSink(INITIAL_PART_TEXT_BYTES);
    private final ByteSink chunkToolArguments = new ByteSink(INITIAL_PART_TEXT_BYTES);
    private int chunkToolCalls;
    private boolean chunkHasUsage;
    private long chunkInputTokens;
    private long chunkOutputTokens;
    private long chunkReasoningTokens;
    private long chunkCachedInputTokens;
    private boolean chunkFinished;
    /** Null for a normal end (STOP, MAX_TOKENS); rare path, so a String is fine. */
    private String chunkAbnormalFinish;
    private String chunkBlockReason;
    private String chunkError;

    GeminiDecoder(RequestMeasurement measurement) {
        super(measurement, MAX_EVENT_BYTES);
    }

    @Override
    public void onEvent(byte[] event, int eventLength, byte[] data, int dataLength, long arrivalNanos) {
        chunkVisible.reset();
        chunkReasoning.reset();
        chunkToolArguments.reset();
        chunkToolCalls = 0;
        chunkHasUsage = false;
        chunkFinished = false;
        chunkAbnormalFinish = null;
        chunkBlockReason = null;
        chunkError = null;
        json.reset(data, 0, dataLength);
        if (!parseResponse()) {
            m.onProtocolError("malformed chunk: " + json.errorMessage());
            return;
        }
        if (chunkReasoning.length() > 0) {
            m.reasoningText().append(chunkReasoning.array(), 0, chunkReasoning.length());
        }
        if (chunkVisible.length() > 0) {
            m.visibleText.append(chunkVisible.array(), 0, chunkVisible.length());
        }
        if (chunkToolArguments.length() > 0) {
            m.toolCallArguments().append(chunkToolArguments.array(), 0, chunkToolArguments.length());
        }
        if (chunkToolCalls > 0) {
            m.onToolCallEvent(arrivalNanos, chunkToolCalls);
        } else if (chunkVisible.length() > 0 || chunkReasoning.length() > 0) {
            m.onContentEvent(arrivalNanos, chunkVisible.length() > 0);
        }
        if (chunkHasUsage) {
            m.onUsage(chunkInputTokens, chunkOutputTokens, chunkReasoningTokens, chunkCachedInputTokens);
        }
        if (chunkError != null) {
            m.onProviderError(chunkError, arrivalNanos);
        }
        if (chunkBlockReason != null) {
            m.onProviderError("the prompt was blocked: blockReason " + chunkBlockReason, arrivalNanos);
        }
        if (chunkFinished) {
            if (chunkAbnormalFinish != null) {
                m.onProviderError("the response was stopped: finishReason " + chunkAbnormalFinish, arrivalNanos);
            }
            m.onStreamEnd(arrivalNanos);
        }
    }

    private boolean parseResponse() {
        if (json.next() != JsonScanner.OBJECT_START) {
            return false;
        }
        int t;
        while ((t = json.next()) == JsonScanner.NAME) {
            boolean ok;
            if (json.textEquals(CANDIDATES)) {
                ok = parseCandidates();
            } else if (json.textEquals(USAGE_METADATA)) {
                ok = parseUsage();
            } else if (json.textEquals(PROMPT_FEEDBACK)) {
                ok = parsePromptFeedback();
            } else if (json.textEquals(ERROR)) {
                ok = parseError();
            } else {
                json.skipValue();
                ok = true;
            }
            if (!ok) {
                return false;
            }
        }
        return t == JsonScanner.OBJECT_END && json.next() == JsonScanner.END;
    }

    private boolean parseCandidates() {
        int t = json.next();
        if (t != JsonScanner.ARRAY_START) {
            return t == JsonScanner.NULL;
        }
        while ((t = json.next()) == JsonScanner.OBJECT_START) {
            while ((t = json.next()) == JsonScanner.NAME) {
                boolean ok;
                if (json.textEquals(CONTENT)) {
                    ok = parseContent();
                } else if (json.textEquals(FINISH_REASON)) {
                    ok = readFinishReason();
                } else {
                    json.skipValue();
                    ok = true;
                }
                if (!ok) {
                    return false;
                }
            }
            if (t != JsonScanner.OBJECT_END) {
                return false;
            }
        }
        return t == JsonScanner.ARRAY_END;
    }

    private boolean parseContent() {
        int t = json.next();
        if (t != JsonScanner.OBJECT_START) {
            return t == JsonScanner.NULL;
        }
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(PARTS)) {
                if (!parseParts()) {
                    return false;
                }
            } else {
                json.skipValue();
            }
        }
        return t == JsonScanner.OBJECT_END;
    }

    private boolean parseParts() {
        int t = json.next();
        if (t != JsonScanner.ARRAY_START) {
            return t == JsonScanner.NULL;
        }
        while ((t = json.next()) == JsonScanner.OBJECT_START) {
            if (!parsePart()) {
                return false;
            }
        }
        return t == JsonScanner.ARRAY_END;
    }

    /** One part, after its '{': text is moved to the visible or the reasoning text once the part has ended. */
    private boolean parsePart() {
        partText.reset();
        boolean thought = false;
        int t;
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(TEXT)) {
                int v = json.next();
                if (v == JsonScanner.STRING) {
                    json.appendText(partText);
                } else if (!json.skipRestOf(v)) {
                    return false;
                }
            } else if (json.textEquals(THOUGHT)) {
                int v = json.next();
                thought = v == JsonScanner.TRUE;
                if (!json.skipRestOf(v)) {
                    return false;
                }
            } else if (json.textEquals(FUNCTION_CALL)) {
                if (!parseFunctionCall()) {
                    return false;
                }
            } else {
                json.skipValue();
            }
        }
        if (t != JsonScanner.OBJECT_END) {
            return false;
        }
        if (partText.length() > 0) {
            (thought ? chunkReasoning : chunkVisible).append(partText.array(), 0, partText.length());
        }
        return true;
    }

    /** {@code "functionCall": {"name": "…", "args": {…}}}: one whole tool call (Gemini does not split its args). */
    private boolean parseFunctionCall() {
        int t = json.next();
        if (t != JsonScanner.OBJECT_START) {
            return json.skipRestOf(t);
        }
        chunkToolCalls++;
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(ARGS)) {
                if (!json.nextRawValue(chunkToolArguments)) {
                    return false;
                }
            } else {
                json.skipValue();
            }
        }
        return t == JsonScanner.OBJECT_END;
    }

    private boolean readFinishReason() {
        int t = json.next();
        if (t == JsonScanner.NULL) {
            return true;
        }
        if (t != JsonScanner.STRING) {
            return json.skipRestOf(t);
        }
        chunkFinished = true;
        if (!json.textEquals(STOP) && !json.textEquals(MAX_TOKENS) && chunkAbnormalFinish == null) {
            chunkAbnormalFinish = ProviderMessages.trim(json.textAsString());
        }
        return true;
    }

    private boolean parseUsage() {
        int t = json.next();
        if (t != JsonScanner.OBJECT_START) {
            return t == JsonScanner.NULL;
        }
        long prompt = -1;
        long candidates = -1;
        long thoughts = -1;
        long cached = -1;
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(PROMPT_TOKEN_COUNT)) {
                prompt = json.nextLong();
            } else if (json.textEquals(CANDIDATES_TOKEN_COUNT)) {
                candidates = json.nextLong();
            } else if (json.textEquals(THOUGHTS_TOKEN_COUNT)) {
                thoughts = json.nextLong();
            } else if (json.textEquals(CACHED_CONTENT_TOKEN_COUNT)) {
                cached = json.nextLong();
            } else {
                json.skipValue();
            }
        }
        if (t != JsonScanner.OBJECT_END) {
            return false;
        }
        boolean outputReported = candidates >= 0 || thoughts >= 0;
        chunkHasUsage = true;
        chunkInputTokens = prompt;
        chunkOutputTokens = outputReported ? Math.max(0, candidates) + Math.max(0, thoughts) : -1;
        chunkReasoningTokens = outputReported ? Math.max(0, thoughts) : -1;
        chunkCachedInputTokens = prompt >= 0 || cached >= 0 ? Math.max(0, cached) : -1;
        return true;
    }

    /** Rare path: allocation is fine. */
    private boolean parsePromptFeedback() {
        int t = json.next();
        if (t != JsonScanner.OBJECT_START) {
            return t == JsonScanner.NULL;
        }
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(BLOCK_REASON)) {
                int v = json.next();
                if (v == JsonScanner.STRING) {
                    chunkBlockReason = ProviderMessages.trim(json.textAsString());
                } else if (!json.skipRestOf(v)) {
                    return false;
                }
            } else {
                json.skipValue();
            }
        }
        return t == JsonScanner.OBJECT_END;
    }

    /** Rare path: Google's error object, {@code {"code": 500, "message": "…", "status": "INTERNAL"}}. */
    private boolean parseError() {
        int t = json.next();
        if (t == JsonScanner.STRING) {
            chunkError = ProviderMessages.trim(json.textAsString());
            return true;
        }
        if (t != JsonScanner.OBJECT_START) {
            chunkError = "error chunk";
            return json.skipRestOf(t);
        }
        String message = null;
        String status = null;
        while ((t = json.next()) == JsonScanner.NAME) {
            if (json.textEquals(MESSAGE) || json.textEquals(STATUS)) {
                boolean isMessage = json.textEquals(MESSAGE);
                int v = json.next();
                if (v == JsonScanner.STRING) {
                    if (isMessage) {
                        message = json.textAsString();
                    } else {
                        status = json.textAsString();
                    }
                } else if (!json.skipRestOf(v)) {
                    return false;
                }
            } else {
                json.skipValue();
            }
        }
        if (message == null || message.isBlank()) {
            chunkError = status == null ? "error chunk" : status;
        } else {
            chunkError = ProviderMessages.trim(status == null ? message : status + ": " + message);
        }
        return t == JsonScanner.OBJECT_END;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
