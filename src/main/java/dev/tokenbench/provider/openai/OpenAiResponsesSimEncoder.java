package dev.tokenbench.provider.openai;

import dev.tokenbench.sim.SimEncoder;
import dev.tokenbench.sim.SimVocabulary;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Bytes of one OpenAI Responses stream, shaped as OpenAI sends them (the API reference's streaming events, field
 * order included): each event an {@code event:} line and a {@code data:} object with {@code type} and an
 * increasing {@code sequence_number}.
 *
 * <pre>
 * response.created, response.in_progress                                  head()
 * [reasoning item: output_item.added, reasoning_summary_part.added,
 *   reasoning_summary_text.delta …]                                      reasoning events
 * [… reasoning_summary_text.done, reasoning_summary_part.done, output_item.done]
 * message item: output_item.added, content_part.added,                    with the first visible event
 *   output_text.delta …                                                   visible events
 * output_text.done, content_part.done, output_item.done,
 * response.completed (or response.incomplete at the output cap), with usage       tail()
 * </pre>
 *
 * An item's opening events ride in the same write as its first delta, so no byte reaches the client before the
 * first output. A delta event is three pre-encoded parts around the sequence number and the token bytes, so the
 * per-event work is copying bytes; the text is kept (escaped) because the closing events repeat it, as OpenAI's do.
 * Per response, not thread-safe: one encoder per stream.
 */
public final class OpenAiResponsesSimEncoder implements SimEncoder {
    static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";

    private static final byte[] TEXT_DELTA_HEAD = ascii("event: response.output_text.delta\n"
            + "data: {\"type\":\"response.output_text.delta\",\"sequence_number\":");
    private static final byte[] SUMMARY_DELTA_HEAD = ascii("event: response.reasoning_summary_text.delta\n"
            + "data: {\"type\":\"response.reasoning_summary_text.delta\",\"sequence_number\":");
    /** OpenAI pads each delta with a random-length {@code obfuscation} string; a few lengths in rotation. */
    private static final String[] OBFUSCATION = {"b8Xq2", "Lk0pZ", "zT9wQeR", "R2d", "mNv7sYcA", "Qa1", "pW4eRtu",
        "uY"};
    private static final byte[] ARGUMENTS_DELTA_HEAD = ascii("event: response.function_call_arguments.delta\n"
            + "data: {\"type\":\"response.function_call_arguments.delta\",\"sequence_number\":");
    private static final byte[][] TEXT_DELTA_TAILS = deltaTails("\",\"logprobs\":[],\"obfuscation\":\"");
    private static final byte[][] SUMMARY_DELTA_TAILS = deltaTails("\",\"obfuscation\":\"");

    private static final int NO_ITEM = 0;
    /** Set by tail: the usage's input_tokens_details.cached_tokens. */
    private int cachedPromptTokens;
    private static final int REASONING_OPEN = 1;
    private static final int MESSAGE_OPEN = 2;

    private final String responseId;
    private final String messageId;
    private final String reasoningId;
    private final long createdAt;
    private final String modelJson;
    private final Integer maxOutputTokens;
    private final boolean sendsUsage;
    private final Map<String, String> headers;
    private final byte[] summaryDeltaMiddle;
    private byte[] textDeltaMiddle;
    /** The visible text and the reasoning summary so far, JSON-escaped: the closing events repeat them. */
    private final Buffer text = Buffer.buffer(1024);
    private Buffer summary;
    private final byte[] digits = new byte[10];
    private int sequence;
    private int state = NO_ITEM;
    private boolean hasReasoningItem;
    private boolean hasMessageItem;
    /** Null for a text answer; else the message item is a function call of this tool, the text its arguments. */
    private String toolName;

    /**
     * @param responseIdBase  random hex: {@code resp_}, {@code msg_} and {@code rs_} ids are made from it
     * @param maxOutputTokens the request's cap, echoed in the response object, or null
     * @param sendsUsage      false: {@code "usage":null} in the final event (a server without usage)
     * @param headers         response headers (Azure's request id and region)
     */
    public OpenAiResponsesSimEncoder(String responseIdBase, long createdEpochSeconds, String model,
            Integer maxOutputTokens, boolean sendsUsage, Map<String, String> headers) {
        this.responseId = "resp_" + responseIdBase;
        this.messageId = "msg_" + responseIdBase;
        this.reasoningId = "rs_" + responseIdBase;
        this.createdAt = createdEpochSeconds;
        this.modelJson = OpenAiChatSimEncoder.jsonEscape(model);
        this.maxOutputTokens = maxOutputTokens;
        this.sendsUsage = sendsUsage;
        this.headers = headers;
        this.summaryDeltaMiddle = utf8(",\"item_id\":\"" + reasoningId
                + "\",\"output_index\":0,\"summary_index\":0,\"delta\":\"");
    }

    /** Answers with a call of {@code toolName} (null: with text), its arguments streamed as the visible tokens. */
    public OpenAiResponsesSimEncoder answeringWithToolCall(String toolName) {
        this.toolName = toolName;
        return this;
    }

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public String processingTimeHeader() {
        return OpenAiChatSimEncoder.PROCESSING_TIME_HEADER;
    }

    @Override
    public Buffer head() {
        StringBuilder head = new StringBuilder(2048);
        event(head, "response.created").append(",\"response\":");
        responseObject(head, "in_progress", null);
        head.append("}\n\n");
        event(head, "response.in_progress").append(",\"response\":");
        responseObject(head, "in_progress", null);
        head.append("}\n\n");
        return Buffer.buffer(head.toString());
    }

    @Override
    public void appendEvent(Buffer out, int[] tokens, int count, boolean reasoning) {
        if (reasoning) {
            if (state != REASONING_OPEN) {
                openReasoning(out);
            }
            out.appendBytes(SUMMARY_DELTA_HEAD);
            appendSequence(out);
            out.appendBytes(summaryDeltaMiddle);
            appendTokens(out, summary, tokens, count);
            out.appendBytes(SUMMARY_DELTA_TAILS[sequence & (OBFUSCATION.length - 1)]);
        } else {
            if (state == REASONING_OPEN) {
                closeReasoning(out);
            }
            if (state != MESSAGE_OPEN) {
                openMessage(out);
            }
            out.appendBytes(toolName == null ? TEXT_DELTA_HEAD : ARGUMENTS_DELTA_HEAD);
            appendSequence(out);
            out.appendBytes(textDeltaMiddle);
            appendTokens(out, text, tokens, count);
            byte[][] tails = toolName == null ? TEXT_DELTA_TAILS : SUMMARY_DELTA_TAILS;
            out.appendBytes(tails[sequence & (OBFUSCATION.length - 1)]);
        }
        sequence++;
    }

    /**
     * Closes the open item, then {@code response.completed}, or {@code response.incomplete} with reason
     * {@code max_output_tokens} when the cap was reached. OpenAI counts reasoning inside {@code output_tokens}
     * and again, alone, in its details.
     */
    @Override
    public Buffer tail(String finishReason, int promptTokens, int outputTokens, int reasoningTokens) {
        return tail(finishReason, promptTokens, 0, outputTokens, reasoningTokens);
    }

    @Override
    public Buffer tail(String finishReason, int promptTokens, int cachedPromptTokens, int outputTokens,
            int reasoningTokens) {
        this.cachedPromptTokens = cachedPromptTokens;
        Buffer out = Buffer.buffer(1024 + 4 * text.length());
        if (state == REASONING_OPEN) {
            closeReasoning(out);
        }
        boolean incomplete = "length".equals(finishReason);
        if (state == MESSAGE_OPEN && toolName != null) {
            out.appendString(eventStart("response.function_call_arguments.done") + ",\"item_id\":\"fc_"
                    + messageId.substring("msg_".length()) + "\",\"output_index\":" + messageIndex()
                    + ",\"arguments\":\"");
            out.appendBuffer(text).appendString("\"}\n\n");
            out.appendString(eventStart("response.output_item.done") + ",\"output_index\":" + messageIndex()
                    + ",\"item\":");
            appendMessageItem(out, incomplete ? "incomplete" : "completed", true);
            out.appendString("}\n\n");
            state = NO_ITEM;
        }
        if (state == MESSAGE_OPEN) {
            String itemStatus = incomplete ? "incomplete" : "completed";
            out.appendString(eventStart("response.output_text.done") + ",\"item_id\":\"" + messageId
                    + "\",\"output_index\":" + messageIndex() + ",\"content_index\":0,\"text\":\"");
            out.appendBuffer(text).appendString("\",\"logprobs\":[]}\n\n");
            out.appendString(eventStart("response.content_part.done") + ",\"item_id\":\"" + messageId
                    + "\",\"output_index\":" + messageIndex() + ",\"content_index\":0,\"part\":");
            appendTextPart(out);
            out.appendString("}\n\n");
            out.appendString(eventStart("response.output_item.done") + ",\"output_index\":" + messageIndex()
                    + ",\"item\":");
            appendMessageItem(out, itemStatus, true);
            out.appendString("}\n\n");
            state = NO_ITEM;
        }
        StringBuilder last = new StringBuilder(1024);
        event(last, incomplete ? "response.incomplete" : "response.completed").append(",\"response\":");
        out.appendString(last.toString());
        appendFinalResponse(out, incomplete, promptTokens, outputTokens + reasoningTokens, reasoningTokens);
        out.appendString("}\n\n");
        return out;
    }

    /**
     * {@code response.failed}: the response object with status {@code failed} and its {@code error}, as OpenAI ends
     * a stream that failed after it started.
     */
    @Override
    public Buffer errorEvent(String message) {
        StringBuilder failed = new StringBuilder(1024);
        event(failed, "response.failed").append(",\"response\":");
        StringBuilder response = new StringBuilder(512);
        responseObject(response, "failed", null);
        failed.append(response.toString().replace("\"error\":null", "\"error\":{\"code\":\"server_error\","
                + "\"message\":\"" + OpenAiChatSimEncoder.jsonEscape(message) + "\"}"));
        failed.append("}\n\n");
        return Buffer.buffer(failed.toString());
    }

    private void openReasoning(Buffer out) {
        summary = Buffer.buffer(512);
        hasReasoningItem = true;
        state = REASONING_OPEN;
        out.appendString(eventStart("response.output_item.added") + ",\"output_index\":0,\"item\":{\"id\":\""
                + reasoningId + "\",\"type\":\"reasoning\",\"summary\":[]}}\n\n");
        out.appendString(eventStart("response.reasoning_summary_part.added") + ",\"item_id\":\"" + reasoningId
                + "\",\"output_index\":0,\"summary_index\":0,\"part\":{\"type\":\"summary_text\",\"text\":\"\"}}\n\n");
    }

    private void closeReasoning(Buffer out) {
        out.appendString(eventStart("response.reasoning_summary_text.done") + ",\"item_id\":\"" + reasoningId
                + "\",\"output_index\":0,\"summary_index\":0,\"text\":\"");
        out.appendBuffer(summary).appendString("\"}\n\n");
        out.appendString(eventStart("response.reasoning_summary_part.done") + ",\"item_id\":\"" + reasoningId
                + "\",\"output_index\":0,\"summary_index\":0,\"part\":{\"type\":\"summary_text\",\"text\":\"");
        out.appendBuffer(summary).appendString("\"}}\n\n");
        out.appendString(eventStart("response.output_item.done") + ",\"output_index\":0,\"item\":");
        appendReasoningItem(out);
        out.appendString("}\n\n");
        state = NO_ITEM;
    }

    private void openMessage(Buffer out) {
        hasMessageItem = true;
        state = MESSAGE_OPEN;
        if (toolName != null) {
            textDeltaMiddle = utf8(",\"item_id\":\"fc_" + messageId.substring("msg_".length())
                    + "\",\"output_index\":" + messageIndex() + ",\"delta\":\"");
            out.appendString(eventStart("response.output_item.added") + ",\"output_index\":" + messageIndex()
                    + ",\"item\":");
            appendMessageItem(out, "in_progress", false);
            out.appendString("}\n\n");
            return;
        }
        textDeltaMiddle = utf8(",\"item_id\":\"" + messageId + "\",\"output_index\":" + messageIndex()
                + ",\"content_index\":0,\"delta\":\"");
        out.appendString(eventStart("response.output_item.added") + ",\"output_index\":" + messageIndex()
                + ",\"item\":");
        appendMessageItem(out, "in_progress", false);
        out.appendString("}\n\n");
        out.appendString(eventStart("response.content_part.added") + ",\"item_id\":\"" + messageId
                + "\",\"output_index\":" + messageIndex()
                + ",\"content_index\":0,\"part\":{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],"
                + "\"text\":\"\"}}\n\n");
    }

    private int messageIndex() {
        return hasReasoningItem ? 1 : 0;
    }

    private void appendReasoningItem(Buffer out) {
        out.appendString("{\"id\":\"" + reasoningId + "\",\"type\":\"reasoning\",\"summary\":[");
        if (summary != null && summary.length() > 0) {
            out.appendString("{\"type\":\"summary_text\",\"text\":\"").appendBuffer(summary).appendString("\"}");
        }
        out.appendString("]}");
    }

    private void appendMessageItem(Buffer out, String status, boolean withText) {
        if (toolName != null) {
            String ids = messageId.substring("msg_".length());
            out.appendString("{\"id\":\"fc_" + ids + "\",\"type\":\"function_call\",\"status\":\"" + status
                    + "\",\"arguments\":\"");
            if (withText) {
                out.appendBuffer(text);
            }
            out.appendString("\",\"call_id\":\"call_" + ids + "\",\"name\":\""
                    + OpenAiChatSimEncoder.jsonEscape(toolName) + "\"}");
            return;
        }
        out.appendString("{\"id\":\"" + messageId + "\",\"type\":\"message\",\"status\":\"" + status
                + "\",\"content\":[");
        if (withText) {
            appendTextPart(out);
        }
        out.appendString("],\"role\":\"assistant\"}");
    }

    private void appendTextPart(Buffer out) {
        out.appendString("{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"")
                .appendBuffer(text).appendString("\"}");
    }

    private void appendFinalResponse(Buffer out, boolean incomplete, int inputTokens, int outputTokens,
            int reasoningTokens) {
        StringBuilder start = new StringBuilder(512);
        responseStart(start, incomplete ? "incomplete" : "completed",
                incomplete ? "{\"reason\":\"max_output_tokens\"}" : null);
        out.appendString(start.toString());
        boolean first = true;
        if (hasReasoningItem) {
            appendReasoningItem(out);
            first = false;
        }
        if (hasMessageItem) {
            if (!first) {
                out.appendString(",");
            }
            appendMessageItem(out, incomplete ? "incomplete" : "completed", true);
        }
        StringBuilder end = new StringBuilder(512);
        String usage = sendsUsage ? "{\"input_tokens\":" + inputTokens
                + ",\"input_tokens_details\":{\"cached_tokens\":" + cachedPromptTokens + "},\"output_tokens\":"
                + outputTokens
                + ",\"output_tokens_details\":{\"reasoning_tokens\":" + reasoningTokens + "},\"total_tokens\":"
                + (inputTokens + outputTokens) + "}" : "null";
        responseEnd(end, usage);
        out.appendString(end.toString());
    }

    /** The response object of created and in_progress: no output yet, no usage. */
    private void responseObject(StringBuilder out, String status, String incompleteDetails) {
        responseStart(out, status, incompleteDetails);
        responseEnd(out, "null");
    }

    /** The response object up to the opening bracket of {@code output}. */
    private void responseStart(StringBuilder out, String status, String incompleteDetails) {
        out.append("{\"id\":\"").append(responseId).append("\",\"object\":\"response\",\"created_at\":")
                .append(createdAt).append(",\"status\":\"").append(status)
                .append("\",\"background\":false,\"error\":null,\"incomplete_details\":")
                .append(incompleteDetails == null ? "null" : incompleteDetails)
                .append(",\"instructions\":null,\"max_output_tokens\":")
                .append(maxOutputTokens == null ? "null" : maxOutputTokens.toString())
                .append(",\"max_tool_calls\":null,\"model\":\"").append(modelJson).append("\",\"output\":[");
    }

    /** The response object after {@code output}'s items. */
    private static void responseEnd(StringBuilder out, String usage) {
        out.append("],\"parallel_tool_calls\":true,\"previous_response_id\":null,\"prompt_cache_key\":null,")
                .append("\"reasoning\":{\"effort\":null,\"summary\":null},\"safety_identifier\":null,")
                .append("\"service_tier\":\"default\",\"store\":false,\"temperature\":1.0,")
                .append("\"text\":{\"format\":{\"type\":\"text\"},\"verbosity\":\"medium\"},\"tool_choice\":\"auto\",")
                .append("\"tools\":[],\"top_logprobs\":0,\"top_p\":1.0,\"truncation\":\"disabled\",\"usage\":")
                .append(usage).append(",\"user\":null,\"metadata\":{}}");
    }

    /** {@code event: type\ndata: {"type":type,"sequence_number":n}, then the event's own members. */
    private StringBuilder event(StringBuilder out, String type) {
        return out.append(eventStart(type));
    }

    private String eventStart(String type) {
        return "event: " + type + "\ndata: {\"type\":\"" + type + "\",\"sequence_number\":" + (sequence++);
    }

    private static void appendTokens(Buffer out, Buffer copy, int[] tokens, int count) {
        for (int i = 0; i < count; i++) {
            byte[] token = SimVocabulary.JSON_UTF8[tokens[i]];
            out.appendBytes(token);
            copy.appendBytes(token);
        }
    }

    /** The sequence number in decimal, without a String. */
    private void appendSequence(Buffer out) {
        int value = sequence;
        int start = digits.length;
        do {
            digits[--start] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value > 0);
        out.appendBytes(digits, start, digits.length - start);
    }

    private static byte[][] deltaTails(String beforeObfuscation) {
        byte[][] tails = new byte[OBFUSCATION.length][];
        for (int i = 0; i < tails.length; i++) {
            tails[i] = ascii(beforeObfuscation + OBFUSCATION[i] + "\"}\n\n");
        }
        return tails;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
