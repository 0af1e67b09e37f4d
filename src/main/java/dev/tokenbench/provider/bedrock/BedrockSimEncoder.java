package dev.tokenbench.provider.bedrock;

import dev.tokenbench.provider.openai.OpenAiChatSimEncoder;
import dev.tokenbench.sim.SimEncoder;
import dev.tokenbench.sim.SimFaultBytes;
import dev.tokenbench.sim.SimVocabulary;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Bytes of one Bedrock ConverseStream response: AWS event-stream frames (prelude with total and headers lengths
 * and their CRC32, headers {@code :event-type}, {@code :content-type}, {@code :message-type} as string values,
 * a JSON payload, the CRC32 of the whole frame), in the order Bedrock sends them: {@code messageStart}; with
 * streamed reasoning, {@code contentBlockDelta}s of {@code reasoningContent.text} in block 0 closed by a
 * {@code reasoningContent.signature} delta and {@code contentBlockStop}; {@code contentBlockDelta}s of
 * {@code text} in the next block and its {@code contentBlockStop}; {@code messageStop} with the stop reason; and
 * {@code metadata} with usage and latency. Bedrock pads each payload with a {@code "p"} field so that sizes do not
 * reveal the tokens; so does this. Bedrock's {@code outputTokens} includes reasoning tokens.
 *
 * <p>Per event: the headers and the JSON around the tokens are encoded once per response, the frame's lengths
 * are summed, and both CRCs run over the pieces as they are appended: no JSON library, no allocation beyond
 * the output buffer. One instance per response, used on its event loop only.
 */
final class BedrockSimEncoder implements SimEncoder {

    static final String CONTENT_TYPE = "application/vnd.amazon.eventstream";

    private static final int PRELUDE_BYTES = 12;
    private static final int CRC_BYTES = 4;
    private static final String PADDING_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    // The same in every response, so encoded once.
    private static final byte[] MESSAGE_START_HEADERS = eventHeaders("messageStart");
    private static final byte[] DELTA_HEADERS = eventHeaders("contentBlockDelta");
    private static final byte[] BLOCK_STOP_HEADERS = eventHeaders("contentBlockStop");
    private static final byte[] MESSAGE_STOP_HEADERS = eventHeaders("messageStop");
    private static final byte[] METADATA_HEADERS = eventHeaders("metadata");
    private static final byte[] BLOCK_START_HEADERS = eventHeaders("contentBlockStart");
    private static final byte[][] TOOL_INPUT_PREFIXES = {
        ascii("{\"contentBlockIndex\":0,\"delta\":{\"toolUse\":{\"input\":\""),
        ascii("{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"")};
    private static final byte[] EXCEPTION_HEADERS = concat(stringHeader(":exception-type", "modelStreamErrorException"),
            stringHeader(":content-type", "application/json"), stringHeader(":message-type", "exception"));
    // Before the tokens, for content block 0 and 1: {"contentBlockIndex":N,"delta":{"text":"
    private static final byte[][] TEXT_PREFIXES = {ascii("{\"contentBlockIndex\":0,\"delta\":{\"text\":\""),
        ascii("{\"contentBlockIndex\":1,\"delta\":{\"text\":\"")};
    private static final byte[] REASONING_PREFIX =
            ascii("{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"text\":\"");

    private final String padding;
    private final boolean sendsUsage;
    private final long createdNanos = System.nanoTime();
    private final String requestId;

    // After the tokens: close the string, the delta (and reasoningContent), add the padding, close the event.
    private final byte[] textSuffix;
    private final byte[] reasoningSuffix;

    private final CRC32 crc = new CRC32();
    private final byte[] prelude = new byte[PRELUDE_BYTES];

    /** The content block being streamed: 0 first, 1 for the answer after a streamed reasoning block. */
    private int blockIndex;
    private boolean reasoningOpen;
    private boolean anyEvent;
    /** Null for a text answer; else the visible tokens are the input of one toolUse block of this tool. */
    private String toolName;
    private boolean toolUseStarted;

    /**
     * @param requestId Bedrock's request id for the x-amzn-RequestId header (a UUID)
     * @param seed      varies the padding's length, as Bedrock's varies
     */
    BedrockSimEncoder(String requestId, long seed, boolean sendsUsage) {
        this.requestId = requestId;
        this.sendsUsage = sendsUsage;
        int paddingLength = 1 + (int) Math.floorMod(seed, (long) PADDING_ALPHABET.length() - 1);
        this.padding = PADDING_ALPHABET.substring(0, paddingLength);
        textSuffix = ascii("\"},\"p\":\"" + padding + "\"}");
        reasoningSuffix = ascii("\"}},\"p\":\"" + padding + "\"}");
    }

    /** Answers with a call of {@code toolName} (null: with text), its input streamed as the visible tokens. */
    BedrockSimEncoder answeringWithToolCall(String toolName) {
        this.toolName = toolName;
        return this;
    }

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("x-amzn-requestid", requestId);
    }

    @Override
    public Buffer head() {
        Buffer out = Buffer.buffer(128);
        appendFrame(out, MESSAGE_START_HEADERS, "{\"p\":\"" + padding + "\",\"role\":\"assistant\"}");
        return out;
    }

    @Override
    public void appendEvent(Buffer out, int[] tokens, int count, boolean reasoning) {
        if (reasoning) {
            reasoningOpen = true;
        } else if (reasoningOpen) {
            closeReasoningBlock(out);
        }
        anyEvent = true;
        boolean toolInput = !reasoning && toolName != null;
        if (toolInput && !toolUseStarted) {
            toolUseStarted = true;
            appendFrame(out, BLOCK_START_HEADERS, "{\"contentBlockIndex\":" + blockIndex + ",\"p\":\"" + padding
                    + "\",\"start\":{\"toolUse\":{\"name\":\"" + OpenAiChatSimEncoder.jsonEscape(toolName)
                    + "\",\"toolUseId\":\"tooluse_" + requestId.replace("-", "") + "\"}}}");
        }
        byte[] prefix = reasoning ? REASONING_PREFIX
                : toolInput ? TOOL_INPUT_PREFIXES[blockIndex] : TEXT_PREFIXES[blockIndex];
        byte[] suffix = reasoning || toolInput ? reasoningSuffix : textSuffix;
        int payloadBytes = prefix.length + suffix.length;
        for (int i = 0; i < count; i++) {
            payloadBytes += SimVocabulary.JSON_UTF8[tokens[i]].length;
        }
        startFrame(out, DELTA_HEADERS, payloadBytes);
        appendCrcd(out, prefix);
        for (int i = 0; i < count; i++) {
            appendCrcd(out, SimVocabulary.JSON_UTF8[tokens[i]]);
        }
        appendCrcd(out, suffix);
        out.appendInt((int) crc.getValue());
    }

    @Override
    public Buffer tail(String finishReason, int promptTokens, int outputTokens, int reasoningTokens) {
        return tail(finishReason, promptTokens, 0, outputTokens, reasoningTokens);
    }

    @Override
    public Buffer tail(String finishReason, int promptTokens, int cachedPromptTokens, int outputTokens,
            int reasoningTokens) {
        Buffer out = Buffer.buffer(512);
        if (reasoningOpen) {
            closeReasoningBlock(out);
        }
        if (anyEvent) {
            appendFrame(out, BLOCK_STOP_HEADERS, "{\"contentBlockIndex\":" + blockIndex + ",\"p\":\"" + padding + "\"}");
        }
        String stopReason = "length".equals(finishReason) ? "max_tokens"
                : toolUseStarted ? "tool_use" : "end_turn";
        appendFrame(out, MESSAGE_STOP_HEADERS,
                "{\"p\":\"" + padding + "\",\"stopReason\":\"" + stopReason + "\"}");
        if (sendsUsage) {
            long latencyMs = (System.nanoTime() - createdNanos) / 1_000_000;
            int output = outputTokens + reasoningTokens;
            appendFrame(out, METADATA_HEADERS, "{\"metrics\":{\"latencyMs\":" + latencyMs + "},\"p\":\""
                    + padding + "\",\"usage\":{\"inputTokens\":" + (promptTokens - cachedPromptTokens)
                    + ",\"outputTokens\":" + output + ",\"totalTokens\":" + (promptTokens + output)
                    + (cachedPromptTokens > 0 ? ",\"cacheReadInputTokens\":" + cachedPromptTokens : "") + "}}");
        }
        return out;
    }

    /**
     * An exception frame ({@code :message-type exception}), as ConverseStream reports a failure after the stream
     * started; the body ends after it.
     */
    @Override
    public Buffer errorEvent(String message) {
        Buffer out = Buffer.buffer(256);
        appendFrame(out, EXCEPTION_HEADERS, "{\"message\":\"" + OpenAiChatSimEncoder.jsonEscape(message) + "\"}");
        return out;
    }

    /** A text delta frame with one byte of its payload changed after the CRC was computed: a message CRC mismatch. */
    @Override
    public void appendMalformedEvent(Buffer out, int[] tokens, int count) {
        Buffer frame = Buffer.buffer(256);
        appendEvent(frame, tokens, count, false);
        int flip = frame.length() - CRC_BYTES - 2;
        frame.setByte(flip, (byte) (frame.getByte(flip) ^ 0x01));
        out.appendBuffer(frame);
    }

    /** A text delta frame whose text is {@code textBytes} bytes long. */
    @Override
    public void appendBigEvent(Buffer out, int textBytes) {
        if (reasoningOpen) {
            closeReasoningBlock(out);
        }
        anyEvent = true;
        byte[] prefix = TEXT_PREFIXES[blockIndex];
        startFrame(out, DELTA_HEADERS, prefix.length + textBytes + textSuffix.length);
        appendCrcd(out, prefix);
        Buffer filler = Buffer.buffer(textBytes);
        SimFaultBytes.appendFiller(filler, textBytes);
        appendCrcd(out, filler.getBytes());
        appendCrcd(out, textSuffix);
        out.appendInt((int) crc.getValue());
    }

    /** The reasoning block ends with its signature delta and its stop; the answer goes into the next block. */
    private void closeReasoningBlock(Buffer out) {
        reasoningOpen = false;
        appendFrame(out, DELTA_HEADERS, "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"signature\":\""
                + "c2ltdWxhdGVkIHJlYXNvbmluZyBzaWduYXR1cmU=" + "\"}},\"p\":\"" + padding + "\"}");
        appendFrame(out, BLOCK_STOP_HEADERS, "{\"contentBlockIndex\":0,\"p\":\"" + padding + "\"}");
        blockIndex = 1;
    }

    /** A frame whose payload is a JSON string: for the few frames per response that are not deltas. */
    private void appendFrame(Buffer out, byte[] headers, String json) {
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        startFrame(out, headers, payload.length);
        appendCrcd(out, payload);
        out.appendInt((int) crc.getValue());
    }

    /** Appends prelude and headers; the message CRC then runs on over what is appended with appendCrcd. */
    private void startFrame(Buffer out, byte[] headers, int payloadBytes) {
        int total = PRELUDE_BYTES + headers.length + payloadBytes + CRC_BYTES;
        putInt(prelude, 0, total);
        putInt(prelude, 4, headers.length);
        crc.reset();
        crc.update(prelude, 0, 8);
        putInt(prelude, 8, (int) crc.getValue());
        crc.reset();
        appendCrcd(out, prelude);
        appendCrcd(out, headers);
    }

    private void appendCrcd(Buffer out, byte[] bytes) {
        crc.update(bytes, 0, bytes.length);
        out.appendBytes(bytes);
    }

    /** {@code :event-type}, {@code :content-type} and {@code :message-type}, as Bedrock orders them. */
    static byte[] eventHeaders(String eventType) {
        return concat(stringHeader(":event-type", eventType), stringHeader(":content-type", "application/json"),
                stringHeader(":message-type", "event"));
    }

    private static byte[] stringHeader(String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        byte[] header = new byte[1 + n.length + 1 + 2 + v.length];
        header[0] = (byte) n.length;
        System.arraycopy(n, 0, header, 1, n.length);
        header[1 + n.length] = 7; // string
        header[2 + n.length] = (byte) (v.length >>> 8);
        header[3 + n.length] = (byte) v.length;
        System.arraycopy(v, 0, header, 4 + n.length, v.length);
        return header;
    }

    private static void putInt(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] joined = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, joined, at, p.length);
            at += p.length;
        }
        return joined;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
