package dev.tokenbench.provider.anthropic;

import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.StreamReplay;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden Anthropic Messages streams (written from the API reference's event format) replayed cut at every byte
 * offset and byte by byte: the same text, counts and usage every time, and each timing is the stamp of the read
 * that completed its event.
 */
class AnthropicDecoderTest {
    private final AnthropicApi api = new AnthropicApi();

    private void replayEverywhere(String file, int firstOutputEvent, int firstTokenEvent, int lastContentEvent,
            int endEvent, Consumer<RequestMeasurement> sameEveryTime) {
        StreamReplay.replaySseEverywhere("streams/anthropic/" + file, api::newDecoder, firstOutputEvent, firstTokenEvent,
                lastContentEvent, endEvent, sameEveryTime);
    }

    @Test
    void plainStreamWithMultiByteAndEscapedTextAtEveryCut() {
        replayEverywhere("plain.sse", 2, 2, 5, 8, m -> {
            assertEquals("Hello wörld 🌍\n \"quoted\" 東京", m.visibleText.toUtf8String());
            assertNull(m.reasoningTextOrNull());
            assertEquals(4, m.contentEvents);
            assertEquals(25, m.usageInputTokens);
            assertEquals(12, m.usageOutputTokens, "from message_delta, not message_start's placeholder");
            assertEquals(-1, m.usageReasoningTokens);
            assertEquals(0, m.usageCachedInputTokens);
            assertTrue(m.streamEndSeen);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.OK, m.outcome);
        });
    }

    @Test
    void crlfLineEndsGiveTheSameStream() {
        replayEverywhere("plain-crlf.sse", 2, 2, 5, 8, m -> {
            assertEquals("Hello wörld 🌍\n \"quoted\" 東京", m.visibleText.toUtf8String());
            assertEquals(4, m.contentEvents);
            assertEquals(25, m.usageInputTokens);
            assertEquals(12, m.usageOutputTokens);
            assertTrue(m.streamEndSeen);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.OK, m.outcome);
        });
    }

    @Test
    void pingsAreSkippedAndCachedPromptTokensCountAsInput() {
        replayEverywhere("ping.sse", 3, 3, 6, 10, m -> {
            assertEquals("Rivers: Danube, Rhine, Loire.", m.visibleText.toUtf8String());
            assertEquals(3, m.contentEvents);
            assertEquals(3 + 100 + 2048, m.usageInputTokens, "input + cache writes + cache reads");
            assertEquals(2048, m.usageCachedInputTokens);
            assertEquals(9, m.usageOutputTokens);
            assertTrue(m.streamEndSeen);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.OK, m.outcome);
        });
    }

    @Test
    void thinkingDeltasAreOutputButNotTokensAndTheSignatureIsNeither() {
        replayEverywhere("thinking.sse", 3, 9, 11, 14, m -> {
            assertEquals("I need the GCD of 1071 and 462.\n\n1071 = 2 × 462 + 147\n462 = 3 × 147 + 21, 147 = 7 × 21.",
                    m.reasoningTextOrNull().toUtf8String());
            assertEquals("The GCD of 1071 and 462 is **21**.", m.visibleText.toUtf8String());
            assertEquals(6, m.contentEvents, "3 thinking + 3 text; signature_delta is not output");
            assertEquals(41, m.usageInputTokens);
            assertEquals(87, m.usageOutputTokens, "Anthropic's output_tokens includes thinking");
            assertEquals(-1, m.usageReasoningTokens, "not reported: the run record estimates it from the text");
            assertTrue(m.firstOutputNanos <= m.firstTokenNanos);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.OK, m.outcome);
        });
    }

    @Test
    void anErrorEventMidStreamIsAStreamErrorWithTheProvidersMessage() {
        replayEverywhere("error-midstream.sse", 2, 2, 3, 4, m -> {
            assertEquals("Once upon a time", m.visibleText.toUtf8String());
            assertEquals(2, m.contentEvents);
            assertEquals(18, m.usageInputTokens);
            assertEquals(-1, m.usageOutputTokens);
            assertFalse(m.streamEndSeen);
            m.finish(null, null, StreamReplay.BASE_NANOS + 999_999);
            assertEquals(Outcome.STREAM_ERROR, m.outcome);
            assertEquals("overloaded_error: Overloaded", m.error);
        });
    }

    @Test
    void toolArgumentsAreNotVisibleText() {
        // The tool call itself is output (AnthropicToolUseTest); here: it never leaks into the visible text.
        replayEverywhere("tool-use.sse", 2, 2, 8, 11, m -> {
            assertEquals("Let me check the weather.", m.visibleText.toUtf8String());
            assertEquals(472, m.usageInputTokens);
            assertEquals(-1, m.usageCachedInputTokens);
            assertEquals(89, m.usageOutputTokens);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.OK, m.outcome);
        });
    }

    @Test
    void withoutUsageTheCountsAreLeftToTheTokenizerWhateverTheMemberOrder() {
        replayEverywhere("no-usage.sse", 2, 2, 3, 6, m -> {
            assertEquals("Short answer.", m.visibleText.toUtf8String());
            assertEquals(2, m.contentEvents);
            assertEquals(-1, m.usageInputTokens);
            assertEquals(-1, m.usageOutputTokens);
            assertTrue(m.streamEndSeen);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.OK, m.outcome);
        });
    }

    @Test
    void aMalformedEventIsAProtocolErrorButTheStreamGoesOn() {
        replayEverywhere("malformed.sse", 2, 2, 4, 7, m -> {
            assertEquals("Good still", m.visibleText.toUtf8String(), "an event that does not parse adds no text");
            assertEquals(2, m.contentEvents);
            assertEquals(3, m.usageOutputTokens);
            assertTrue(m.streamEndSeen);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.PROTOCOL_ERROR, m.outcome);
            assertTrue(m.error.startsWith("malformed content_block_delta event"), m.error);
        });
    }

    /**
     * The steady state allocates nothing per event: one decoder reads the thinking and the ping streams again and
     * again, cut at random places, its text sinks emptied between rounds (as a new request's would start empty).
     * Counts bytes, not time, so it holds on a busy machine.
     */
    @Test
    void decodingAllocatesNothingPerEvent() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean counters = (com.sun.management.ThreadMXBean) threads;
        org.junit.jupiter.api.Assumptions.assumeTrue(counters.isThreadAllocatedMemorySupported()
                && counters.isThreadAllocatedMemoryEnabled());

        byte[] thinking = StreamReplay.resource("streams/anthropic/thinking.sse");
        byte[] ping = StreamReplay.resource("streams/anthropic/ping.sse");
        java.util.Random random = new java.util.Random(11L);
        int[][] thinkingCuts = new int[64][];
        int[][] pingCuts = new int[64][];
        for (int p = 0; p < thinkingCuts.length; p++) {
            thinkingCuts[p] = random.ints(20, 1, thinking.length).sorted().distinct().toArray();
            pingCuts[p] = random.ints(10, 1, ping.length).sorted().distinct().toArray();
        }
        RequestMeasurement m = new RequestMeasurement("alloc", 0, 0, false, "p", null);
        dev.tokenbench.provider.StreamDecoder decoder = api.newDecoder(m);
        for (int round = 0; round < 3000; round++) { // warm-up: buffers reach their size, the JIT compiles
            feed(decoder, m, thinking, thinkingCuts[round % thinkingCuts.length]);
            feed(decoder, m, ping, pingCuts[round % pingCuts.length]);
        }
        int eventsBefore = m.contentEvents;
        long allocatedBefore = counters.getCurrentThreadAllocatedBytes();
        for (int round = 0; round < 3000; round++) {
            feed(decoder, m, thinking, thinkingCuts[round % thinkingCuts.length]);
            feed(decoder, m, ping, pingCuts[round % pingCuts.length]);
        }
        long allocatedBytes = counters.getCurrentThreadAllocatedBytes() - allocatedBefore;
        int events = m.contentEvents - eventsBefore;
        assertEquals(3000 * (6 + 3), events);
        assertEquals(9, m.usageOutputTokens);
        // Zero is expected; the slack only absorbs a stray allocation by the JVM itself, far below one per event.
        assertTrue(allocatedBytes < events, allocatedBytes + " bytes allocated over " + events + " content events");
    }

    private static void feed(dev.tokenbench.provider.StreamDecoder decoder, RequestMeasurement m, byte[] stream,
            int[] cuts) {
        int from = 0;
        for (int c = 0; c <= cuts.length; c++) {
            int to = c < cuts.length ? cuts[c] : stream.length;
            decoder.onBytes(stream, from, to - from, from + 1);
            from = to;
        }
        m.visibleText.reset();
        m.reasoningText().reset();
        m.streamEndSeen = false; // as a new request's measurement starts: output after message_stop is not counted
    }

    @Test
    void aBodyThatEndsWithoutMessageStopIsAStreamError() {
        byte[] stream = StreamReplay.resource("streams/anthropic/plain.sse");
        int cut = StreamReplay.sseEventEnds(stream)[7];
        byte[] truncated = Arrays.copyOf(stream, cut);
        RequestMeasurement m = StreamReplay.replay(truncated, new int[] {truncated.length}, api::newDecoder);
        m.finish(null, null, StreamReplay.stampOf(truncated.length) + 1);
        assertEquals(Outcome.STREAM_ERROR, m.outcome);
        assertEquals(12, m.usageOutputTokens);
    }

    @Test
    void aBodyThatEndsInsideAnEventIsAProtocolError() {
        byte[] stream = StreamReplay.resource("streams/anthropic/plain.sse");
        int cut = StreamReplay.sseEventEnds(stream)[3] - 20;
        byte[] truncated = Arrays.copyOf(stream, cut);
        RequestMeasurement m = StreamReplay.replay(truncated, new int[] {truncated.length}, api::newDecoder);
        m.finish(null, null, StreamReplay.stampOf(truncated.length) + 1);
        assertEquals(Outcome.PROTOCOL_ERROR, m.outcome);
        assertEquals("the body ended inside an event", m.error);
    }
}
