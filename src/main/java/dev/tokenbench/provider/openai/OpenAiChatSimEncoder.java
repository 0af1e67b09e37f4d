package dev.tokenbench.provider.openai;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.tokenbench.sim.SimEncoder;
import dev.tokenbench.sim.SimVocabulary;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Bytes of one OpenAI chat-completions stream, shaped as OpenAI sends them (the API reference's chat completion
 * chunk object, field order included). Everything that is the same for every chunk of a response is encoded once
 * per request; an event is then prefix + pre-encoded token bytes + suffix, with no JSON library per chunk, because
 * the simulator is also the load target for measuring tokenbench's own overhead.
 *
 * <p>Streamed reasoning is a {@code reasoning_content} delta, as vLLM and DeepSeek send it (OpenAI itself never
 * streams reasoning in chat completions: a scenario with hidden reasoning plays OpenAI).
 */
public final class OpenAiChatSimEncoder implements SimEncoder {

    public static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";
    static final String PROCESSING_TIME_HEADER = "openai-processing-ms";

    private static final byte[] DATA_DONE = ascii("data: [DONE]\n\n");
    private static final byte[] DELTA_SUFFIX = ascii("\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
    private static final byte[] DELTA_SUFFIX_USAGE_NULL =
            ascii("\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");

    private final String chunkHead;
    private final String chunkTail;
    private final boolean sendsUsage;
    private final byte[] roleChunk;
    private final byte[] contentPrefix;
    private final byte[] reasoningPrefix;
    private final byte[] deltaSuffix;
    /** What ends a visible event: the delta's, or a tool call's arguments' when the answer is a tool call. */
    private final byte[] contentSuffix;
    private final boolean toolCall;

    /**
     * What the answer is.
     *
     * @param sendsUsage       true when the stream ends with a usage chunk; OpenAI then also puts
     *                         {@code "usage":null} into every other chunk, and leaves the field out otherwise
     * @param visibleReasoning true when reasoning events will be appended (only then is their prefix encoded)
     * @param toolName         null for a text answer; else the answer is one call to this tool, opened in the first
     *                         chunk (id and name), its arguments streamed as the visible tokens
     */
    record Answer(boolean sendsUsage, boolean visibleReasoning, String toolName) {
    }

    OpenAiChatSimEncoder(String completionId, long createdEpochSeconds, String model, String systemFingerprint,
            Answer answer) {
        boolean sendsUsage = answer.sendsUsage();
        boolean visibleReasoning = answer.visibleReasoning();
        String toolName = answer.toolName();
        this.sendsUsage = sendsUsage;
        this.chunkHead = "data: {\"id\":\"" + jsonEscape(completionId)
                + "\",\"object\":\"chat.completion.chunk\",\"created\":" + createdEpochSeconds
                + ",\"model\":\"" + jsonEscape(model)
                + "\",\"system_fingerprint\":\"" + jsonEscape(systemFingerprint)
                + "\",\"choices\":[";
        this.chunkTail = sendsUsage ? "],\"usage\":null}\n\n" : "]}\n\n";
        this.toolCall = toolName != null;
        this.roleChunk = utf8(chunkHead + "{\"index\":0,\"delta\":{\"role\":\"assistant\","
                + (toolCall ? "\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_"
                        + jsonEscape(completionId.substring(completionId.indexOf('-') + 1))
                        + "\",\"type\":\"function\",\"function\":{\"name\":\"" + jsonEscape(toolName)
                        + "\",\"arguments\":\"\"}}]," : "\"content\":\"\",")
                + "\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}" + chunkTail);
        this.contentPrefix = utf8(chunkHead + (toolCall
                ? "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\""
                : "{\"index\":0,\"delta\":{\"content\":\""));
        this.reasoningPrefix = visibleReasoning
                ? utf8(chunkHead + "{\"index\":0,\"delta\":{\"reasoning_content\":\"") : null;
        this.deltaSuffix = sendsUsage ? DELTA_SUFFIX_USAGE_NULL : DELTA_SUFFIX;
        this.contentSuffix = toolCall
                ? utf8("\"}}]},\"logprobs\":null,\"finish_reason\":null}" + chunkTail) : deltaSuffix;
    }

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    @Override
    public String processingTimeHeader() {
        return PROCESSING_TIME_HEADER;
    }

    /** The first chunk: role assistant, empty content; the engine writes it right in front of the first event. */
    @Override
    public Buffer head() {
        return Buffer.buffer(roleChunk);
    }

    @Override
    public void appendEvent(Buffer out, int[] tokens, int count, boolean reasoning) {
        out.appendBytes(reasoning ? reasoningPrefix : contentPrefix);
        for (int i = 0; i < count; i++) {
            out.appendBytes(SimVocabulary.JSON_UTF8[tokens[i]]);
        }
        out.appendBytes(reasoning ? deltaSuffix : contentSuffix);
    }

    /**
     * The finish chunk, the usage chunk when this stream sends one, and {@code data: [DONE]}, as one buffer.
     * OpenAI counts reasoning inside {@code completion_tokens} and again, alone, in its details.
     */
    @Override
    public Buffer tail(String finishReason, int promptTokens, int outputTokens, int reasoningTokens) {
        return tail(finishReason, promptTokens, 0, outputTokens, reasoningTokens);
    }

    @Override
    public Buffer tail(String finishReason, int promptTokens, int cachedPromptTokens, int outputTokens,
            int reasoningTokens) {
        int completionTokens = outputTokens + reasoningTokens;
        StringBuilder tail = new StringBuilder(1024);
        tail.append(chunkHead)
                .append("{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"")
                .append(toolCall && "stop".equals(finishReason) ? "tool_calls" : finishReason)
                .append("\"}").append(chunkTail);
        if (sendsUsage) {
            tail.append(chunkHead)
                    .append("],\"usage\":{\"prompt_tokens\":").append(promptTokens)
                    .append(",\"completion_tokens\":").append(completionTokens)
                    .append(",\"total_tokens\":").append(promptTokens + completionTokens)
                    .append(",\"prompt_tokens_details\":{\"cached_tokens\":").append(cachedPromptTokens)
                    .append(",\"audio_tokens\":0}")
                    .append(",\"completion_tokens_details\":{\"reasoning_tokens\":").append(reasoningTokens)
                    .append(",\"audio_tokens\":0,")
                    .append("\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}\n\n");
        }
        return Buffer.buffer(tail.length() + DATA_DONE.length).appendString(tail.toString()).appendBytes(DATA_DONE);
    }

    /**
     * An error in the middle of the stream: a chunk holding only OpenAI's error object, which the official SDKs
     * raise as an APIError.
     */
    @Override
    public Buffer errorEvent(String message) {
        return Buffer.buffer("data: ").appendBuffer(errorBody(message, "server_error", null, null))
                .appendString("\n\n");
    }

    /** OpenAI's error body: {@code {"error":{"message":…,"type":…,"param":…,"code":…}}}; null param/code → null. */
    public static Buffer errorBody(String message, String type, String param, String code) {
        StringBuilder body = new StringBuilder(256);
        body.append("{\"error\":{\"message\":\"").append(jsonEscape(message))
                .append("\",\"type\":\"").append(jsonEscape(type)).append("\",\"param\":");
        appendNullableString(body, param);
        body.append(",\"code\":");
        appendNullableString(body, code);
        body.append("}}");
        return Buffer.buffer(body.toString());
    }

    private static void appendNullableString(StringBuilder out, String value) {
        if (value == null) {
            out.append("null");
        } else {
            out.append('"').append(jsonEscape(value)).append('"');
        }
    }

    public static String jsonEscape(String text) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(text));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
