package dev.tokenbench.provider.bedrock;

import static dev.tokenbench.wire.EventStreamTestFrames.concat;
import static dev.tokenbench.wire.EventStreamTestFrames.event;
import static dev.tokenbench.wire.EventStreamTestFrames.exception;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The golden ConverseStream responses under {@code src/test/resources/streams/bedrock-converse/}, written from the
 * API reference's event shapes (ConverseStreamOutput: messageStart, contentBlockDelta with text or
 * reasoningContent, contentBlockStop, messageStop, metadata with usage and metrics; exception events) and the
 * event-stream encoding, with the {@code "p"} padding Bedrock adds to every payload. They are binary, so they are
 * generated here and committed; BedrockConverseDecoderTest checks that the files are these bytes. To write them
 * again: {@code TOKENBENCH_WRITE_GOLDEN=1 mvn test -Dtest=BedrockConverseDecoderTest}.
 */
public final class BedrockGoldenStreams {
    public static final String DIR = "streams/bedrock-converse/";
    public static final String TEXT = "text.eventstream";
    public static final String REASONING = "reasoning.eventstream";
    public static final String NO_METADATA = "no-metadata.eventstream";
    public static final String EXCEPTION = "exception.eventstream";
    public static final String TOOL_USE = "tool-use.eventstream";
    public static final String TOOL_USE_ONLY = "tool-use-only.eventstream";

    private static final String PAD = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO";

    private BedrockGoldenStreams() {
    }

    public static Map<String, byte[]> all() {
        Map<String, byte[]> streams = new LinkedHashMap<>();
        streams.put(TEXT, text(true));
        streams.put(REASONING, reasoning());
        streams.put(NO_METADATA, text(false));
        streams.put(EXCEPTION, exceptionMidStream());
        streams.put(TOOL_USE, toolUse());
        streams.put(TOOL_USE_ONLY, toolUseOnly());
        return streams;
    }

    /**
     * Frames: 0 messageStart, 1 empty text (not a token), 2-6 text deltas, 7 contentBlockStop, 8 messageStop,
     * 9 metadata (when {@code withMetadata}).
     */
    static byte[] text(boolean withMetadata) {
        byte[] body = concat(
                event("messageStart", "{\"p\":\"" + PAD + "\",\"role\":\"assistant\"}"),
                delta(0, "\"text\":\"\""),
                delta(0, "\"text\":\"Hello\""),
                delta(0, "\"text\":\" wörld\""),
                delta(0, "\"text\":\" 🌍\\n\""),
                delta(0, "\"text\":\" \\\"quoted\\\"\""),
                delta(0, "\"text\":\" 東京\""),
                event("contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcdef\"}"),
                event("messageStop", "{\"p\":\"abcdefghijklm\",\"stopReason\":\"end_turn\"}"));
        if (!withMetadata) {
            return body;
        }
        return concat(body, event("metadata", "{\"metrics\":{\"latencyMs\":412},\"p\":\"abc\",\"usage\":"
                + "{\"inputTokens\":12,\"outputTokens\":7,\"totalTokens\":19}}"));
    }

    /**
     * Claude with extended thinking on Bedrock. Frames: 0 messageStart, 1-2 reasoning text, 3 reasoning signature
     * (not a token), 4 contentBlockStop, 5-6 text in block 1, 7 contentBlockStop, 8 messageStop, 9 metadata.
     */
    static byte[] reasoning() {
        return concat(
                event("messageStart", "{\"p\":\"abcdefgh\",\"role\":\"assistant\"}"),
                delta(0, "\"reasoningContent\":{\"text\":\"Let me\"}"),
                delta(0, "\"reasoningContent\":{\"text\":\" think\"}"),
                delta(0, "\"reasoningContent\":{\"signature\":\"EqQBCkgIBhABGAIiQLmXx2Zl3cDkHn0vJ1oM\"}"),
                event("contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcdefghijklmnopq\"}"),
                delta(1, "\"text\":\"The answer\""),
                delta(1, "\"text\":\" is 42.\""),
                event("contentBlockStop", "{\"contentBlockIndex\":1,\"p\":\"abcd\"}"),
                event("messageStop", "{\"p\":\"abcdefghijklmnopqrstu\",\"stopReason\":\"end_turn\"}"),
                event("metadata", "{\"metrics\":{\"latencyMs\":2210},\"p\":\"ab\",\"usage\":{\"cacheReadInputTokens\":8,"
                        + "\"cacheWriteInputTokens\":0,\"inputTokens\":20,\"outputTokens\":31,\"totalTokens\":51}}"));
    }

    /** Frames: 0 messageStart, 1-2 text deltas, 3 a modelStreamErrorException in place of the rest. */
    static byte[] exceptionMidStream() {
        return concat(
                event("messageStart", "{\"p\":\"abcdefgh\",\"role\":\"assistant\"}"),
                delta(0, "\"text\":\"Partial\""),
                delta(0, "\"text\":\" answer\""),
                exception("modelStreamErrorException", "{\"message\":\"The model produced an error while"
                        + " streaming. Retry your request.\",\"originalStatusCode\":500}"));
    }

    /**
     * Text, then a tool call (ConverseStream's contentBlockStart with {@code start.toolUse}, then deltas with
     * {@code toolUse.input}). Frames: 0 messageStart, 1 text, 2 contentBlockStop, 3 contentBlockStart (toolUse),
     * 4-6 input pieces, 7 contentBlockStop, 8 messageStop (tool_use), 9 metadata.
     */
    static byte[] toolUse() {
        return concat(
                event("messageStart", "{\"p\":\"abcdefgh\",\"role\":\"assistant\"}"),
                delta(0, "\"text\":\"Let me look that up.\""),
                event("contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcdef\"}"),
                toolUseStart(1),
                delta(1, "\"toolUse\":{\"input\":\"{\\\"sign\\\": \"}"),
                delta(1, "\"toolUse\":{\"input\":\"\\\"WZPZ\\\", \\\"city\\\": \\\"Zürich\\\"\"}"),
                delta(1, "\"toolUse\":{\"input\":\"}\"}"),
                event("contentBlockStop", "{\"contentBlockIndex\":1,\"p\":\"abcdefghij\"}"),
                event("messageStop", "{\"p\":\"abcdefghijklm\",\"stopReason\":\"tool_use\"}"),
                event("metadata", "{\"metrics\":{\"latencyMs\":903},\"p\":\"abc\",\"usage\":"
                        + "{\"inputTokens\":402,\"outputTokens\":58,\"totalTokens\":460}}"));
    }

    /**
     * A tool call and nothing else, without metadata (usage left to the tokenizer). Frames: 0 messageStart,
     * 1 contentBlockStart (toolUse), 2-3 input pieces, 4 contentBlockStop, 5 messageStop (tool_use).
     */
    static byte[] toolUseOnly() {
        return concat(
                event("messageStart", "{\"p\":\"abcdefgh\",\"role\":\"assistant\"}"),
                toolUseStart(0),
                delta(0, "\"toolUse\":{\"input\":\"{\\\"location\\\": \"}"),
                delta(0, "\"toolUse\":{\"input\":\"\\\"東京\\\"}\"}"),
                event("contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcdef\"}"),
                event("messageStop", "{\"p\":\"abcdefghijklm\",\"stopReason\":\"tool_use\"}"));
    }

    private static byte[] toolUseStart(int block) {
        return event("contentBlockStart", "{\"contentBlockIndex\":" + block + ",\"p\":\"" + PAD.substring(0, 9)
                + "\",\"start\":{\"toolUse\":{\"name\":\"top_song\",\"toolUseId\":\"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q\"}}}");
    }

    private static byte[] delta(int block, String deltaMembers) {
        return event("contentBlockDelta", "{\"contentBlockIndex\":" + block + ",\"delta\":{" + deltaMembers
                + "},\"p\":\"" + PAD.substring(0, 5 + block * 7) + "\"}");
    }

    /** Writes every stream into the source tree (run from the module's root). */
    static void writeAll() throws IOException {
        Path dir = Path.of("src/test/resources", DIR);
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> stream : all().entrySet()) {
            Files.write(dir.resolve(stream.getKey()), stream.getValue());
        }
    }
}
