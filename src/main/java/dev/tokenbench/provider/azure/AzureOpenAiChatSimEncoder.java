package dev.tokenbench.provider.azure;

import dev.tokenbench.provider.openai.OpenAiChatSimEncoder;
import dev.tokenbench.sim.SimEncoder;
import dev.tokenbench.sim.SimVocabulary;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Bytes of one Azure OpenAI chat-completions stream, shaped as Azure sends them: keys in alphabetical order, a
 * first chunk with {@code "choices":[]} and only {@code prompt_filter_results} (created 0, empty id and model), then
 * the role chunk, then content chunks whose choice carries {@code content_filter_results} (the default filter's
 * four categories, all safe), a finish chunk, the usage chunk when asked for, and {@code data: [DONE]}. Neither
 * filter field is a token. Like {@link OpenAiChatSimEncoder}, everything shared by a response's chunks is encoded
 * once; a content event is then prefix + token bytes + suffix.
 *
 * <p>Streamed reasoning is a {@code reasoning_content} delta, as Azure AI Foundry's open reasoning models (DeepSeek
 * R1) send it; Azure's OpenAI reasoning models never stream it (a scenario with hidden reasoning plays them).
 */
final class AzureOpenAiChatSimEncoder implements SimEncoder {
    private static final String SAFE = "{\"filtered\":false,\"severity\":\"safe\"}";
    private static final String FILTER_RESULTS = "{\"hate\":" + SAFE + ",\"self_harm\":" + SAFE + ",\"sexual\":"
            + SAFE + ",\"violence\":" + SAFE + "}";
    private static final byte[] PROMPT_FILTER_CHUNK = utf8("data: {\"choices\":[],\"created\":0,\"id\":\"\","
            + "\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":[{\"prompt_index\":0,"
            + "\"content_filter_results\":{\"hate\":" + SAFE + ",\"jailbreak\":{\"filtered\":false,"
            + "\"detected\":false},\"self_harm\":" + SAFE + ",\"sexual\":" + SAFE + ",\"violence\":" + SAFE
            + "}}]}\n\n");
    private static final byte[] CONTENT_PREFIX = utf8("data: {\"choices\":[{\"content_filter_results\":"
            + FILTER_RESULTS + ",\"delta\":{\"content\":\"");
    private static final byte[] REASONING_PREFIX = utf8("data: {\"choices\":[{\"content_filter_results\":{},"
            + "\"delta\":{\"reasoning_content\":\"");
    private static final byte[] DATA_DONE = utf8("data: [DONE]\n\n");

    /** After the choices: {@code "created":…,"id":…,…}} and the blank line; the same for every chunk. */
    private final String chunkEnd;
    private final String chunkEndWithoutUsage;
    private final boolean sendsUsage;
    private byte[] head;
    private final byte[] deltaSuffix;
    private final String completionId;
    /** What a visible event is: a content delta, or a piece of a tool call's arguments (see answeringWithToolCall). */
    private byte[] contentPrefix = CONTENT_PREFIX;
    private byte[] contentSuffix;
    private boolean toolCall;
    private final Map<String, String> headers;

    /**
     * @param sendsUsage true when the stream ends with a usage chunk; every other chunk then has
     *                   {@code "usage":null}, as OpenAI's do
     */
    AzureOpenAiChatSimEncoder(String completionId, long createdEpochSeconds, String model, String systemFingerprint,
            boolean sendsUsage, Map<String, String> headers) {
        this.sendsUsage = sendsUsage;
        this.headers = headers;
        this.completionId = completionId;
        this.chunkEndWithoutUsage = "\"created\":" + createdEpochSeconds + ",\"id\":\""
                + OpenAiChatSimEncoder.jsonEscape(completionId) + "\",\"model\":\""
                + OpenAiChatSimEncoder.jsonEscape(model) + "\",\"object\":\"chat.completion.chunk\","
                + "\"system_fingerprint\":\"" + OpenAiChatSimEncoder.jsonEscape(systemFingerprint) + "\"";
        this.chunkEnd = chunkEndWithoutUsage + (sendsUsage ? ",\"usage\":null}\n\n" : "}\n\n");
        String roleChunk = "data: {\"choices\":[{\"content_filter_results\":{},\"delta\":{\"content\":\"\","
                + "\"refusal\":null,\"role\":\"assistant\"},\"finish_reason\":null,\"index\":0,\"logprobs\":null}],"
                + chunkEnd;
        byte[] role = utf8(roleChunk);
        this.head = new byte[PROMPT_FILTER_CHUNK.length + role.length];
        System.arraycopy(PROMPT_FILTER_CHUNK, 0, head, 0, PROMPT_FILTER_CHUNK.length);
        System.arraycopy(role, 0, head, PROMPT_FILTER_CHUNK.length, role.length);
        this.deltaSuffix = utf8("\"},\"finish_reason\":null,\"index\":0,\"logprobs\":null}]," + chunkEnd);
        this.contentSuffix = deltaSuffix;
    }

    /**
     * Answers with a call of {@code toolName} (null: with text): the role chunk opens it (Azure's sorted members:
     * function, id, index, type), the visible tokens are its argument pieces, the finish reason is tool_calls.
     */
    AzureOpenAiChatSimEncoder answeringWithToolCall(String toolName) {
        if (toolName == null) {
            return this;
        }
        toolCall = true;
        byte[] role = utf8("data: {\"choices\":[{\"content_filter_results\":{},\"delta\":{\"content\":null,"
                + "\"refusal\":null,\"role\":\"assistant\",\"tool_calls\":[{\"function\":{\"arguments\":\"\","
                + "\"name\":\"" + OpenAiChatSimEncoder.jsonEscape(toolName) + "\"},\"id\":\"call_"
                + OpenAiChatSimEncoder.jsonEscape(completionId.substring(completionId.indexOf('-') + 1))
                + "\",\"index\":0,\"type\":\"function\"}]},\"finish_reason\":null,\"index\":0,\"logprobs\":null}],"
                + chunkEnd);
        head = new byte[PROMPT_FILTER_CHUNK.length + role.length];
        System.arraycopy(PROMPT_FILTER_CHUNK, 0, head, 0, PROMPT_FILTER_CHUNK.length);
        System.arraycopy(role, 0, head, PROMPT_FILTER_CHUNK.length, role.length);
        contentPrefix = utf8("data: {\"choices\":[{\"content_filter_results\":{},\"delta\":{\"tool_calls\":"
                + "[{\"function\":{\"arguments\":\"");
        contentSuffix = utf8("\"},\"index\":0}]},\"finish_reason\":null,\"index\":0,\"logprobs\":null}],"
                + chunkEnd);
        return this;
    }

    @Override
    public String contentType() {
        return OpenAiChatSimEncoder.CONTENT_TYPE;
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }

    /** The prompt filter chunk and the role chunk, written in front of the first event. */
    @Override
    public Buffer head() {
        return Buffer.buffer(head);
    }

    @Override
    public void appendEvent(Buffer out, int[] tokens, int count, boolean reasoning) {
        out.appendBytes(reasoning ? REASONING_PREFIX : contentPrefix);
        for (int i = 0; i < count; i++) {
            out.appendBytes(SimVocabulary.JSON_UTF8[tokens[i]]);
        }
        out.appendBytes(reasoning ? deltaSuffix : contentSuffix);
    }

    /** The finish chunk, the usage chunk when asked for, {@code data: [DONE]}. */
    /** An error in the middle of the stream: Azure passes OpenAI's error chunk through. */
    @Override
    public Buffer errorEvent(String message) {
        return Buffer.buffer("data: ").appendBuffer(OpenAiChatSimEncoder.errorBody(message, "server_error", null,
                null)).appendString("\n\n");
    }

    @Override
    public Buffer tail(String finishReason, int promptTokens, int outputTokens, int reasoningTokens) {
        return tail(finishReason, promptTokens, 0, outputTokens, reasoningTokens);
    }

    @Override
    public Buffer tail(String finishReason, int promptTokens, int cachedPromptTokens, int outputTokens,
            int reasoningTokens) {
        int completionTokens = outputTokens + reasoningTokens;
        StringBuilder tail = new StringBuilder(1024);
        tail.append("data: {\"choices\":[{\"content_filter_results\":{},\"delta\":{},\"finish_reason\":\"")
                .append(toolCall && "stop".equals(finishReason) ? "tool_calls" : finishReason)
                .append("\",\"index\":0,\"logprobs\":null}],").append(chunkEnd);
        if (sendsUsage) {
            tail.append("data: {\"choices\":[],").append(chunkEndWithoutUsage)
                    .append(",\"usage\":{\"completion_tokens\":").append(completionTokens)
                    .append(",\"completion_tokens_details\":{\"accepted_prediction_tokens\":0,\"audio_tokens\":0,")
                    .append("\"reasoning_tokens\":").append(reasoningTokens)
                    .append(",\"rejected_prediction_tokens\":0},\"prompt_tokens\":").append(promptTokens)
                    .append(",\"prompt_tokens_details\":{\"audio_tokens\":0,\"cached_tokens\":")
                    .append(cachedPromptTokens).append("},\"total_tokens\":")
                    .append(promptTokens + completionTokens).append("}}\n\n");
        }
        return Buffer.buffer(tail.length() + DATA_DONE.length).appendString(tail.toString()).appendBytes(DATA_DONE);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
