package dev.tokenbench.provider.gemini;

import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.StreamReplay;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Golden streamGenerateContent streams (written from the API reference's GenerateContentResponse and Google's SSE
 * framing) replayed cut at every byte offset and byte by byte: the same text, counts and usage every time, and each
 * timing is the stamp of the read that completed its event. The Gemini API and Vertex AI share the decoder.
 */
class GeminiDecoderTest {
    private final GeminiApi api = new GeminiApi();

    /**
     * @param firstOutputEvent index of the event with the first thought or text, or -1 for none
     * @param firstTokenEvent  index of the first event with visible text, or -1 for none
     * @param lastContentEvent index of the last event with text, or -1 for none
     * @param endEvent         index of the event that ends the stream (finishReason or error), or -1 for none
     */
    private void replayEverywhere(String file, int firstOutputEvent, int firstTokenEvent, int lastContentEvent,
            int endEvent, Consumer<RequestMeasurement> sameEveryTime) {
        byte[] stream = StreamReplay.resource("streams/gemini/" + file);
        int[] eventEnds = StreamReplay.sseEventEnds(stream);
        int plans = 0;
        for (int[] cuts : StreamReplay.cutPlans(stream.length)) {
            RequestMeasurement m = StreamReplay.replay(stream, cuts, api::newDecoder);
            String where = file + " cut at " + (cuts.length == 2 ? cuts[0] : cuts.length + " reads");
            assertEquals(expected(firstOutputEvent, eventEnds, cuts), m.firstOutputNanos, where);
            assertEquals(expected(firstTokenEvent, eventEnds, cuts), m.firstTokenNanos, where);
            assertEquals(expected(lastContentEvent, eventEnds, cuts), m.lastContentNanos, where);
            assertEquals(expected(endEvent, eventEnds, cuts), m.endNanos, where);
            sameEveryTime.accept(m);
            plans++;
        }
        assertEquals(stream.length + 2, plans);
    }

    private static long expected(int event, int[] eventEnds, int[] cuts) {
        return event < 0 ? 0 : StreamReplay.expectedArrival(eventEnds[event], cuts);
    }

    private static void finishAtBodyEnd(RequestMeasurement m) {
        m.finish(null, null, StreamReplay.BASE_NANOS + 999_999);
    }

    @Test
    void plainStreamWithCrlfAndMultiByteTextEndsAtTheFinishReasonChunk() {
        replayEverywhere("plain.sse", 0, 0, 3, 3, m -> {
            assertEquals("Hello wörld 🌍\n \"quoted\" 東京.", m.visibleText.toUtf8String());
            assertNull(m.reasoningTextOrNull());
            assertEquals(4, m.contentEvents);
            assertEquals(11, m.usageInputTokens);
            assertEquals(8, m.usageOutputTokens);
            assertEquals(0, m.usageReasoningTokens);
            assertEquals(0, m.usageCachedInputTokens);
            assertTrue(m.streamEndSeen);
            finishAtBodyEnd(m);
            assertEquals(Outcome.OK, m.outcome);
        });
    }

    @Test
    void thoughtPartsAreOutputButNotTokensAndThoughtsCountAsOutputTokens() {
        replayEverywhere("thoughts.sse", 0, 2, 3, 4, m -> {
            assertEquals("**Weighing the question**\n\nThe user wants a number. Done thinking.",
                    m.reasoningTextOrNull().toUtf8String());
            assertEquals("The answer is 42.", m.visibleText.toUtf8String());
            // A chunk with a thought and a text part is one event, a visible one; the signature-only part is none.
            assertEquals(4, m.contentEvents);
            assertEquals(11, m.usageInputTokens);
            assertEquals(5 + 120, m.usageOutputTokens, "candidatesTokenCount + thoughtsTokenCount");
            assertEquals(120, m.usageReasoningTokens);
            finishAtBodyEnd(m);
            assertEquals(Outcome.OK, m.outcome);
        });
    }

    @Test
    void withoutUsageMetadataTheCountsAreLeftToTheTokenizer() {
        replayEverywhere("no-usage.sse", 0, 0, 2, 2, m -> {
            assertEquals("One two three", m.visibleText.toUtf8String());
            assertEquals(-1, m.usageInputTokens);
            assertEquals(-1, m.usageOutputTokens);
            assertEquals(-1, m.usageReasoningTokens);
            assertEquals(-1, m.usageCachedInputTokens);
            assertEquals(3, m.contentEvents);
            finishAtBodyEnd(m);
            assertEquals(Outcome.OK, m.outcome);
        });
    }

    @Test
    void vertexChunksWithCachedTokensAndMaxTokensAreANormalEnd() {
        replayEverywhere("vertex.sse", 0, 0, 2, 2, m -> {
            assertEquals("Café au lait is", m.visibleText.toUtf8String());
            assertEquals(3, m.contentEvents);
            assertEquals(2100, m.usageInputTokens);
            assertEquals(4, m.usageOutputTokens);
            assertEquals(0, m.usageReasoningTokens);
            assertEquals(2048, m.usageCachedInputTokens);
            finishAtBodyEnd(m);
            assertEquals(Outcome.OK, m.outcome);
        });
    }

    @Test
    void aBlockedPromptIsAStreamErrorNamingTheReason() {
        replayEverywhere("blocked-prompt.sse", -1, -1, -1, 0, m -> {
            assertEquals(0, m.contentEvents);
            assertEquals(9, m.usageInputTokens);
            finishAtBodyEnd(m);
            assertEquals(Outcome.STREAM_ERROR, m.outcome);
            assertEquals("the prompt was blocked: blockReason PROHIBITED_CONTENT", m.error);
        });
    }

    @Test
    void anErrorObjectMidStreamIsAStreamErrorWithGooglesStatusAndMessage() {
        replayEverywhere("error.sse", 0, 0, 1, 2, m -> {
            assertEquals("Starting an answer", m.visibleText.toUtf8String());
            assertFalse(m.streamEndSeen);
            finishAtBodyEnd(m);
            assertEquals(Outcome.STREAM_ERROR, m.outcome);
            assertEquals("UNAVAILABLE: The model is overloaded. Please try again later.", m.error);
        });
    }

    @Test
    void aSafetyStopCutsTheAnswerOffAndIsAStreamError() {
        replayEverywhere("safety-stop.sse", 0, 0, 0, 1, m -> {
            assertEquals("Here is how", m.visibleText.toUtf8String());
            assertEquals(3, m.usageOutputTokens);
            assertTrue(m.streamEndSeen);
            finishAtBodyEnd(m);
            assertEquals(Outcome.STREAM_ERROR, m.outcome);
            assertEquals("the response was stopped: finishReason SAFETY", m.error);
        });
    }

    @Test
    void aMalformedChunkAddsNothingIsAProtocolErrorAndTheStreamGoesOn() {
        replayEverywhere("malformed.sse", 0, 0, 2, 2, m -> {
            assertEquals("Good still", m.visibleText.toUtf8String());
            assertEquals(2, m.contentEvents);
            assertEquals(2, m.usageOutputTokens);
            assertTrue(m.streamEndSeen);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.PROTOCOL_ERROR, m.outcome);
            assertTrue(m.error.startsWith("malformed chunk"), m.error);
        });
    }

    @Test
    void aBodyThatEndsWithoutAFinishReasonIsAStreamError() {
        byte[] stream = StreamReplay.resource("streams/gemini/plain.sse");
        int cut = StreamReplay.sseEventEnds(stream)[2];
        byte[] truncated = Arrays.copyOf(stream, cut);
        for (int[] cuts : StreamReplay.cutPlans(truncated.length)) {
            RequestMeasurement m = StreamReplay.replay(truncated, cuts, api::newDecoder);
            assertFalse(m.streamEndSeen);
            assertEquals(0, m.endNanos);
            m.finish(null, null, StreamReplay.stampOf(truncated.length) + 1);
            assertEquals(Outcome.STREAM_ERROR, m.outcome);
            assertEquals("the body ended before the stream's end event", m.error);
            assertEquals(3, m.contentEvents);
            assertEquals(-1, m.usageOutputTokens, "early chunks carry the prompt count only");
            assertEquals(11, m.usageInputTokens);
        }
    }

    @Test
    void aBodyThatEndsInsideTheFinalChunkIsNotOk() {
        byte[] stream = StreamReplay.resource("streams/gemini/plain.sse");
        int[] ends = StreamReplay.sseEventEnds(stream);
        for (int cut = ends[2] + 1; cut < ends[3] - 2; cut += 7) {
            byte[] truncated = Arrays.copyOf(stream, cut);
            RequestMeasurement m = StreamReplay.replay(truncated, new int[] {truncated.length}, api::newDecoder);
            m.finish(null, null, StreamReplay.stampOf(truncated.length) + 1);
            assertNotEquals(Outcome.OK, m.outcome, "cut at " + cut);
            assertFalse(m.streamEndSeen, "cut at " + cut);
        }
    }

    @Test
    void vertexUsesTheSameDecoder() {
        byte[] stream = StreamReplay.resource("streams/gemini/thoughts.sse");
        RequestMeasurement viaVertex = StreamReplay.replay(stream, new int[] {stream.length},
                new VertexGeminiApi()::newDecoder);
        assertEquals("The answer is 42.", viaVertex.visibleText.toUtf8String());
        assertEquals(125, viaVertex.usageOutputTokens);
    }

    /** Counts bytes, not time: the steady state of a long stream allocates nothing per event. */
    @Test
    void decodingAllocatesNothingPerEvent() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "HotSpot allocation counters");
        com.sun.management.ThreadMXBean counters = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(counters.isThreadAllocatedMemorySupported() && counters.isThreadAllocatedMemoryEnabled());

        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            sb.append("data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"th\\u00f6ught ").append(i)
                    .append("\",\"thought\": true},{\"text\": \"w\u00f6rd ").append(i).append(" \\ud83d\\ude00\"}],")
                    .append("\"role\": \"model\"},\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 11,")
                    .append("\"totalTokenCount\": 11,\"promptTokensDetails\": [{\"modality\": \"TEXT\",")
                    .append("\"tokenCount\": 11}]},\"modelVersion\": \"gemini-2.5-flash\",")
                    .append("\"responseId\": \"wzCjaPa4As7shMIP2Mei0AI\"}\r\n\r\n");
        }
        byte[] stream = sb.toString().getBytes(StandardCharsets.UTF_8);
        RequestMeasurement m = new RequestMeasurement("alloc", 0, 0, false, "p", null);
        var decoder = api.newDecoder(m);
        int chunk = 97;
        long thread = Thread.currentThread().getId();
        long allocatedBytes = 0;
        for (int round = 0; round < 60; round++) {
            long before = counters.getThreadAllocatedBytes(thread);
            for (int off = 0; off < stream.length; off += chunk) {
                decoder.onBytes(stream, off, Math.min(chunk, stream.length - off), round * 1_000_000L + off);
            }
            long after = counters.getThreadAllocatedBytes(thread);
            if (round >= 20) { // the buffers have grown to what the stream needs
                allocatedBytes += after - before;
            }
            m.visibleText.reset();
            m.reasoningText().reset();
        }
        assertEquals(60 * 40, m.contentEvents);
        assertTrue(allocatedBytes < 40 * 40, "allocated " + allocatedBytes + " bytes over 1600 events");
    }
}
