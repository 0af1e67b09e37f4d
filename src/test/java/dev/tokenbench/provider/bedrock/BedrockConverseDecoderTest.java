package dev.tokenbench.provider.bedrock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.StreamReplay;
import dev.tokenbench.wire.EventStreamTestFrames;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

/**
 * Golden ConverseStream responses replayed cut at every byte offset (mid-prelude, mid-headers, mid-payload,
 * mid-UTF-8, mid-CRC) and byte by byte: the same text, counts and usage every time, and each timing is the stamp
 * of the read that completed its frame. Broken streams (bad CRC, oversize frame, cut short) are classified the
 * same way at every cut.
 */
class BedrockConverseDecoderTest {
    private final BedrockConverseApi api = new BedrockConverseApi();

    private static byte[] golden(String file) {
        return StreamReplay.resource(BedrockGoldenStreams.DIR + file);
    }

    private void replayEverywhere(byte[] stream, String name, int firstOutputFrame, int firstTokenFrame,
            int lastContentFrame, int endFrame, Consumer<RequestMeasurement> sameEveryTime) {
        StreamReplay.replayEverywhere(stream, name, EventStreamTestFrames.frameEnds(stream), api::newDecoder,
                firstOutputFrame, firstTokenFrame, lastContentFrame, endFrame, sameEveryTime);
    }

    @Test
    void goldenFilesAreTheGeneratorsBytesAndValidForTheAwsDecoder() throws Exception {
        if (System.getenv("TOKENBENCH_WRITE_GOLDEN") != null) {
            BedrockGoldenStreams.writeAll();
        }
        for (Map.Entry<String, byte[]> stream : BedrockGoldenStreams.all().entrySet()) {
            byte[] file = golden(stream.getKey());
            assertArrayEquals(stream.getValue(), file, stream.getKey());
            MessageDecoder aws = new MessageDecoder();
            aws.feed(file);
            List<Message> messages = aws.getDecodedMessages();
            assertEquals(EventStreamTestFrames.frameEnds(file).length, messages.size(), stream.getKey());
        }
    }

    @Test
    void textStreamWithMetadataAtEveryCut() {
        replayEverywhere(golden(BedrockGoldenStreams.TEXT), "text", 2, 2, 6, 9, m -> {
            assertEquals("Hello wörld 🌍\n \"quoted\" 東京", m.visibleText.toUtf8String());
            assertNull(m.reasoningTextOrNull());
            assertEquals(5, m.contentEvents, "the empty text delta is not a token");
            assertEquals(12, m.usageInputTokens);
            assertEquals(7, m.usageOutputTokens);
            assertEquals(-1, m.usageReasoningTokens, "Bedrock does not report reasoning tokens apart");
            assertEquals(-1, m.usageCachedInputTokens);
            assertTrue(m.streamEndSeen);
            m.finish(null, null, m.endNanos + 5);
            assertEquals(Outcome.OK, m.outcome);
            assertNull(m.error);
        });
    }

    @Test
    void reasoningDeltasAreOutputButNotVisibleTokensAndTheSignatureIsNeither() {
        replayEverywhere(golden(BedrockGoldenStreams.REASONING), "reasoning", 1, 5, 6, 9, m -> {
            assertEquals("Let me think", m.reasoningTextOrNull().toUtf8String());
            assertEquals("The answer is 42.", m.visibleText.toUtf8String());
            assertEquals(4, m.contentEvents);
            // Bedrock's inputTokens leaves the cache reads out (AWS's prompt-caching example: totalTokens 4445 =
            // inputTokens 10 + outputTokens 382 + cacheWriteInputTokens 4053): the whole prompt is 20 + 8.
            assertEquals(28, m.usageInputTokens);
            assertEquals(31, m.usageOutputTokens);
            assertEquals(8, m.usageCachedInputTokens);
            assertTrue(m.firstOutputNanos <= m.firstTokenNanos);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.OK, m.outcome);
        });
    }

    @Test
    void withoutMetadataTheStreamEndsAtMessageStopAndCountsAreLeftToTheTokenizer() {
        replayEverywhere(golden(BedrockGoldenStreams.NO_METADATA), "no-metadata", 2, 2, 6, 8, m -> {
            assertEquals(-1, m.usageOutputTokens);
            assertEquals(-1, m.usageInputTokens);
            assertEquals(5, m.contentEvents);
            assertTrue(m.streamEndSeen);
            m.finish(null, null, m.endNanos + 5);
            assertEquals(Outcome.OK, m.outcome);
        });
    }

    @Test
    void anExceptionFrameIsAStreamErrorWithTheExceptionTypeAndMessage() {
        replayEverywhere(golden(BedrockGoldenStreams.EXCEPTION), "exception", 1, 1, 2, 3, m -> {
            assertEquals("Partial answer", m.visibleText.toUtf8String());
            assertFalse(m.streamEndSeen);
            m.finish(null, null, StreamReplay.BASE_NANOS + 999_999);
            assertEquals(Outcome.STREAM_ERROR, m.outcome);
            assertEquals("modelStreamErrorException: The model produced an error while streaming. Retry your"
                    + " request.", m.error);
        });
    }

    @Test
    void aThrottlingExceptionBeforeAnyOutput() {
        byte[] stream = EventStreamTestFrames.concat(
                EventStreamTestFrames.event("messageStart", "{\"role\":\"assistant\"}"),
                EventStreamTestFrames.exception("throttlingException",
                        "{\"message\":\"Too many requests, please wait before trying again.\"}"));
        replayEverywhere(stream, "throttling", -1, -1, -1, 1, m -> {
            assertEquals(0, m.contentEvents);
            m.finish(null, null, StreamReplay.BASE_NANOS + 999_999);
            assertEquals(Outcome.STREAM_ERROR, m.outcome);
            assertEquals("throttlingException: Too many requests, please wait before trying again.", m.error);
        });
    }

    @Test
    void aBadMessageCrcDropsThatFrameAndTheRestStillCountsAtEveryCut() {
        byte[] text = golden(BedrockGoldenStreams.TEXT);
        int[] ends = EventStreamTestFrames.frameEnds(text);
        // Frame 4's payload, then frame 4's message CRC: its prelude vouches for its length, so frame 5 is found.
        for (int flipAt : new int[] {ends[4] - 12, ends[4] - 1}) {
            byte[] stream = EventStreamTestFrames.withFlippedByte(text, flipAt);
            replayEverywhere(stream, "flipped at " + flipAt, 2, 2, 6, 9, m -> {
                assertEquals("Hello wörld \"quoted\" 東京", m.visibleText.toUtf8String(),
                        "only the bad frame is missing");
                assertEquals(4, m.contentEvents);
                assertTrue(m.streamEndSeen);
                m.finish(null, null, StreamReplay.BASE_NANOS + 999_999);
                assertEquals(Outcome.PROTOCOL_ERROR, m.outcome);
                assertTrue(m.error.startsWith("event stream: message CRC mismatch"), m.error);
            });
        }
    }

    @Test
    void aBadPreludeCrcIsAProtocolErrorAtEveryCut() {
        byte[] text = golden(BedrockGoldenStreams.TEXT);
        int[] ends = EventStreamTestFrames.frameEnds(text);
        // Frame 4's prelude CRC: its length cannot be trusted, so nothing after it can be framed.
        for (int flipAt : new int[] {ends[3] + 10}) {
            byte[] stream = EventStreamTestFrames.withFlippedByte(text, flipAt);
            replayEverywhere(stream, "flipped at " + flipAt, 2, 2, 3, -1, m -> {
                assertEquals("Hello wörld", m.visibleText.toUtf8String(), "frames after the bad one are ignored");
                assertEquals(2, m.contentEvents);
                assertFalse(m.streamEndSeen);
                m.finish(null, null, StreamReplay.BASE_NANOS + 999_999);
                assertEquals(Outcome.PROTOCOL_ERROR, m.outcome);
                assertTrue(m.error.startsWith("event stream: ") && m.error.contains("CRC mismatch"), m.error);
            });
        }
    }

    @Test
    void aFrameLongerThanItsPreludeSaysIsAProtocolError() {
        byte[] text = golden(BedrockGoldenStreams.TEXT);
        int[] ends = EventStreamTestFrames.frameEnds(text);
        byte[] stream = EventStreamTestFrames.withDeclaredTotal(text, ends[3], ends[4] - ends[3] - 7);
        replayEverywhere(stream, "short prelude", 2, 2, 3, -1, m -> {
            m.finish(null, null, StreamReplay.BASE_NANOS + 999_999);
            assertEquals(Outcome.PROTOCOL_ERROR, m.outcome);
            assertTrue(m.error.contains("message CRC mismatch"), m.error);
        });
    }

    @Test
    void anOversizeFrameIsAProtocolErrorAtEveryCut() {
        byte[] text = golden(BedrockGoldenStreams.TEXT);
        int[] ends = EventStreamTestFrames.frameEnds(text);
        byte[] stream = EventStreamTestFrames.concat(Arrays.copyOf(text, ends[3]),
                EventStreamTestFrames.prelude(BedrockConverseDecoder.MAX_FRAME_BYTES + 1L, 30), new byte[64],
                Arrays.copyOfRange(text, ends[3], text.length));
        replayEverywhere(stream, "oversize", 2, 2, 3, -1, m -> {
            assertEquals(2, m.contentEvents);
            m.finish(null, null, StreamReplay.BASE_NANOS + 999_999);
            assertEquals(Outcome.PROTOCOL_ERROR, m.outcome);
            assertEquals("event stream: a frame of 16777217 bytes exceeds the maximum of 16777216 bytes", m.error);
        });
    }

    @Test
    void aBodyThatEndsAtAFrameBoundaryBeforeMessageStopIsAStreamError() {
        byte[] text = golden(BedrockGoldenStreams.TEXT);
        int[] ends = EventStreamTestFrames.frameEnds(text);
        byte[] truncated = Arrays.copyOf(text, ends[7]);
        RequestMeasurement m = StreamReplay.replay(truncated, new int[] {truncated.length}, api::newDecoder);
        m.finish(null, null, StreamReplay.stampOf(truncated.length) + 1);
        assertEquals(Outcome.STREAM_ERROR, m.outcome);
        assertEquals("the body ended before the stream's end event", m.error);
        assertEquals(5, m.contentEvents);
    }

    @Test
    void aBodyThatEndsInsideAFrameIsAProtocolError() {
        byte[] text = golden(BedrockGoldenStreams.TEXT);
        int[] ends = EventStreamTestFrames.frameEnds(text);
        for (int cut : new int[] {ends[5] + 5, ends[5] + 13, ends[6] - 2, ends[8] + 20}) {
            byte[] truncated = Arrays.copyOf(text, cut);
            RequestMeasurement m = StreamReplay.replay(truncated, new int[] {truncated.length}, api::newDecoder);
            m.finish(null, null, StreamReplay.stampOf(truncated.length) + 1);
            assertEquals(Outcome.PROTOCOL_ERROR, m.outcome, "cut at " + cut);
            assertEquals("the body ended inside an event-stream frame", m.error);
        }
    }

    @Test
    void aMalformedPayloadIsAProtocolErrorButTheStreamGoesOn() {
        byte[] stream = EventStreamTestFrames.concat(
                EventStreamTestFrames.event("contentBlockDelta", "{\"delta\":{\"text\":\"Good\"}}"),
                EventStreamTestFrames.event("contentBlockDelta", "{\"delta\":{\"text\":\"broken}}"),
                EventStreamTestFrames.event("contentBlockDelta", "{\"delta\":{\"text\":\" still\"}}"),
                EventStreamTestFrames.event("messageStop", "{\"stopReason\":\"end_turn\"}"),
                EventStreamTestFrames.event("metadata", "{\"usage\":{\"inputTokens\":1,\"outputTokens\":2}}"));
        replayEverywhere(stream, "malformed", 0, 0, 2, 4, m -> {
            assertEquals("Good still", m.visibleText.toUtf8String());
            assertTrue(m.streamEndSeen);
            assertEquals(2, m.usageOutputTokens);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.PROTOCOL_ERROR, m.outcome);
            assertTrue(m.error.startsWith("malformed contentBlockDelta"), m.error);
        });
    }

    @Test
    void anEventStreamErrorMessageAndAnUnknownMessageType() {
        byte[] error = EventStreamTestFrames.frame(List.of(
                EventStreamTestFrames.string(":message-type", "error"),
                EventStreamTestFrames.string(":error-code", "InternalFailure"),
                EventStreamTestFrames.string(":error-message", "An internal error occurred.")), new byte[0]);
        RequestMeasurement m = StreamReplay.replay(error, new int[] {error.length}, api::newDecoder);
        m.finish(null, null, StreamReplay.BASE_NANOS + 999_999);
        assertEquals(Outcome.STREAM_ERROR, m.outcome);
        assertEquals("InternalFailure: An internal error occurred.", m.error);

        byte[] unknown = EventStreamTestFrames.frame(List.of(
                EventStreamTestFrames.string(":message-type", "surprise")), new byte[0]);
        RequestMeasurement u = StreamReplay.replay(unknown, new int[] {unknown.length}, api::newDecoder);
        u.finish(null, null, StreamReplay.BASE_NANOS + 999_999);
        assertEquals(Outcome.PROTOCOL_ERROR, u.outcome);
        assertEquals("unknown :message-type surprise", u.error);
    }
}
