package dev.tokenbench.provider.anthropic;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.tokenbench.sim.SimEncoder;
import dev.tokenbench.sim.SimVocabulary;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Bytes of one Anthropic Messages stream, shaped as the API reference shows them: {@code message_start}, then per
 * content block {@code content_block_start}, {@code content_block_delta}s and {@code content_block_stop}, a
 * {@code ping} after the first block start, then {@code message_delta} (stop reason, cumulative usage) and
 * {@code message_stop}. Reasoning is a {@code thinking} block at index 0 (thinking_delta events, closed by a
 * signature_delta), the text block follows it at index 1.
 *
 * <p>Usage: Anthropic puts the input side in message_start, but the simulator counts the prompt off the event loop
 * while the first token may already be due, so message_start carries {@code input_tokens: 0} and the real count
 * arrives in message_delta's usage, which Anthropic reports cumulatively (input side included).
 * {@code output_tokens} there is visible plus reasoning tokens: Anthropic bills thinking as output and reports no
 * separate count. A scenario without usage leaves both usage objects out (a gateway that strips them).
 *
 * <p>Everything that is the same for every event is encoded once; a delta is prefix + pre-escaped token bytes +
 * suffix, with no JSON library per event.
 */
final class AnthropicSimEncoder implements SimEncoder {

    static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";

    private static final byte[] TEXT_BLOCK_START_0 = ascii("event: content_block_start\n"
            + "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
    private static final byte[] TEXT_BLOCK_START_1 = ascii("event: content_block_start\n"
            + "data: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
    private static final byte[] THINKING_BLOCK_START_0 = ascii("event: content_block_start\n"
            + "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\","
            + "\"thinking\":\"\",\"signature\":\"\"}}\n\n");
    private static final byte[] PING = ascii("event: ping\ndata: {\"type\": \"ping\"}\n\n");
    private static final byte[] TEXT_DELTA_PREFIX_0 = ascii("event: content_block_delta\n"
            + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"");
    private static final byte[] TEXT_DELTA_PREFIX_1 = ascii("event: content_block_delta\n"
            + "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"");
    private static final byte[] THINKING_DELTA_PREFIX_0 = ascii("event: content_block_delta\n"
            + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"");
    private static final byte[] DELTA_SUFFIX = ascii("\"}}\n\n");
    /** Closes the thinking block: its (simulated) signature, then its stop. */
    private static final byte[] THINKING_BLOCK_END_0 = ascii("event: content_block_delta\n"
            + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\","
            + "\"signature\":\"RXF3QkNrZ0lBaElNc2ltdWxhdGVkLXNpZ25hdHVyZS10b2tlbmJlbmNo\"}}\n\n"
            + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
    private static final byte[] MESSAGE_STOP = ascii("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

    private static final int NO_BLOCK = 0;
    private static final int THINKING_BLOCK = 1;
    private static final int TEXT_BLOCK = 2;

    private final String messageId;
    private final String model;
    private final boolean sendsUsage;
    private int openBlock = NO_BLOCK;
    private int openBlockIndex = -1;
    private byte[] textDeltaPrefix = TEXT_DELTA_PREFIX_0;
    /** Null for a text answer; else the visible tokens are the input of one {@code tool_use} block of this tool. */
    private final String toolName;

    AnthropicSimEncoder(String messageId, String model, boolean sendsUsage, String toolName) {
        this.messageId = messageId;
        this.model = model;
        this.sendsUsage = sendsUsage;
        this.toolName = toolName;
    }

    /** The visible block's start: a text block, or the tool_use block of a tool-call answer. */
    private byte[] visibleBlockStart(int index) {
        if (toolName == null) {
            return index == 0 ? TEXT_BLOCK_START_0 : TEXT_BLOCK_START_1;
        }
        return utf8("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":" + index
                + ",\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_"
                + jsonEscape(messageId.substring("msg_".length())) + "\",\"name\":\"" + jsonEscape(toolName)
                + "\",\"input\":{}}}\n\n");
    }

    private byte[] visibleDeltaPrefix(int index) {
        if (toolName == null) {
            return index == 0 ? TEXT_DELTA_PREFIX_0 : TEXT_DELTA_PREFIX_1;
        }
        return ascii("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":" + index
                + ",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"");
    }

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("request-id", "req_" + messageId.substring("msg_".length()));
    }

    @Override
    public Buffer head() {
        StringBuilder start = new StringBuilder(384);
        start.append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"")
                .append(jsonEscape(messageId))
                .append("\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"").append(jsonEscape(model))
                .append("\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null");
        if (sendsUsage) {
            start.append(",\"usage\":{\"input_tokens\":0,\"cache_creation_input_tokens\":0,")
                    .append("\"cache_read_input_tokens\":0,\"output_tokens\":1}");
        }
        start.append("}}\n\n");
        return Buffer.buffer(start.toString());
    }

    @Override
    public void appendEvent(Buffer out, int[] tokens, int count, boolean reasoning) {
        byte[] prefix;
        if (reasoning) {
            if (openBlock == NO_BLOCK) {
                out.appendBytes(THINKING_BLOCK_START_0).appendBytes(PING);
                openBlock = THINKING_BLOCK;
                openBlockIndex = 0;
            } else if (openBlock != THINKING_BLOCK) {
                throw new IllegalStateException("a reasoning event after visible text: Anthropic thinks first");
            }
            prefix = THINKING_DELTA_PREFIX_0;
        } else {
            if (openBlock == NO_BLOCK) {
                out.appendBytes(visibleBlockStart(0)).appendBytes(PING);
                openBlock = TEXT_BLOCK;
                openBlockIndex = 0;
                textDeltaPrefix = visibleDeltaPrefix(0);
            } else if (openBlock == THINKING_BLOCK) {
                out.appendBytes(THINKING_BLOCK_END_0).appendBytes(visibleBlockStart(1));
                openBlock = TEXT_BLOCK;
                openBlockIndex = 1;
                textDeltaPrefix = visibleDeltaPrefix(1);
            }
            prefix = textDeltaPrefix;
        }
        out.appendBytes(prefix);
        for (int i = 0; i < count; i++) {
            out.appendBytes(SimVocabulary.JSON_UTF8[tokens[i]]);
        }
        out.appendBytes(DELTA_SUFFIX);
    }

    @Override
    public Buffer tail(String finishReason, int promptTokens, int outputTokens, int reasoningTokens) {
        return tail(finishReason, promptTokens, 0, outputTokens, reasoningTokens);
    }

    @Override
    public Buffer tail(String finishReason, int promptTokens, int cachedPromptTokens, int outputTokens,
            int reasoningTokens) {
        StringBuilder tail = new StringBuilder(512);
        if (openBlock == THINKING_BLOCK) {
            // Only thinking was streamed (the cap ran out inside it): the block still ends with its signature.
            tail.append(new String(THINKING_BLOCK_END_0, StandardCharsets.US_ASCII));
        } else if (openBlock == TEXT_BLOCK) {
            tail.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":")
                    .append(openBlockIndex).append("}\n\n");
        }
        tail.append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"")
                .append(toolName != null && !"length".equals(finishReason) ? "tool_use" : stopReason(finishReason))
                .append("\",\"stop_sequence\":null}");
        if (sendsUsage) {
            // Anthropic's input_tokens is the part after the cache: the cache reads are counted apart.
            tail.append(",\"usage\":{\"input_tokens\":").append(promptTokens - cachedPromptTokens)
                    .append(",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":")
                    .append(cachedPromptTokens).append(",\"output_tokens\":")
                    .append(outputTokens + reasoningTokens).append('}');
        }
        tail.append("}\n\n");
        return Buffer.buffer(tail.length() + MESSAGE_STOP.length).appendString(tail.toString())
                .appendBytes(MESSAGE_STOP);
    }

    /** Anthropic's keep-alive is its ping event. */
    @Override
    public Buffer keepAlive() {
        return Buffer.buffer(PING);
    }

    /** {@code event: error}, as the API reference's streaming errors show it (e.g. overloaded_error). */
    @Override
    public Buffer errorEvent(String message) {
        return Buffer.buffer("event: error\ndata: ").appendBuffer(errorBody("overloaded_error", message))
                .appendString("\n\n");
    }

    /** The engine's {@code length} is Anthropic's {@code max_tokens}; every other end is {@code end_turn}. */
    static String stopReason(String finishReason) {
        return "length".equals(finishReason) ? "max_tokens" : "end_turn";
    }

    /** Anthropic's error body: {@code {"type":"error","error":{"type":…,"message":…}}}. */
    static Buffer errorBody(String type, String message) {
        return Buffer.buffer("{\"type\":\"error\",\"error\":{\"type\":\"" + jsonEscape(type) + "\",\"message\":\""
                + jsonEscape(message) + "\"}}");
    }

    static String jsonEscape(String text) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(text));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
