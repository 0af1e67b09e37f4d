package dev.tokenbench.provider.openai;

import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.StreamReplay;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden openai-chat streams (written from the API reference's chunk format) replayed cut at every byte
 * offset and byte by byte: the same text, counts and usage every time, and each timing is the stamp of the
 * read that completed its event.
 */
class OpenAiChatDecoderTest {
    private final OpenAiChatApi api = new OpenAiChatApi();

    private void replayEverywhere(String file, int firstOutputEvent, int firstTokenEvent, int lastContentEvent,
            int endEvent, Consumer<RequestMeasurement> sameEveryTime) {
        StreamReplay.replaySseEverywhere("streams/openai-chat/" + file, api::newDecoder, firstOutputEvent, firstTokenEvent,
                lastContentEvent, endEvent, sameEveryTime);
    }

    @Test
    void usageStreamWithMultiByteTextAtEveryCut() {
        replayEverywhere("usage.sse", 1, 1, 6, 9, m -> {
            assertEquals("Hello wörld 🌍\n \"quoted\" 東京", m.visibleText.toUtf8String());
            assertEquals(6, m.contentEvents);
            assertEquals(12, m.usageInputTokens);
            assertEquals(7, m.usageOutputTokens);
            assertEquals(0, m.usageReasoningTokens);
            assertEquals(0, m.usageCachedInputTokens);
            assertTrue(m.streamEndSeen);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.OK, m.outcome);
        });
    }

    @Test
    void crlfLineEndsGiveTheSameStream() {
        replayEverywhere("usage-crlf.sse", 1, 1, 6, 9, m -> {
            assertEquals("Hello wörld 🌍\n \"quoted\" 東京", m.visibleText.toUtf8String());
            assertEquals(7, m.usageOutputTokens);
            assertTrue(m.streamEndSeen);
        });
    }

    @Test
    void withoutUsageTheCountsAreLeftToTheTokenizer() {
        replayEverywhere("no-usage.sse", 1, 1, 6, 8, m -> {
            assertEquals(-1, m.usageOutputTokens);
            assertEquals(-1, m.usageInputTokens);
            assertEquals(6, m.contentEvents);
            assertTrue(m.streamEndSeen);
        });
    }

    @Test
    void reasoningDeltasAreOutputButNotTokens() {
        replayEverywhere("reasoning.sse", 1, 4, 7, 10, m -> {
            assertEquals("Let me think", m.reasoningTextOrNull().toUtf8String());
            assertEquals("The answer is 42.", m.visibleText.toUtf8String());
            assertEquals(7, m.contentEvents);
            assertEquals(3, m.usageReasoningTokens);
            assertTrue(m.firstOutputNanos < m.firstTokenNanos || m.firstOutputNanos == m.firstTokenNanos);
        });
    }

    @Test
    void anErrorChunkMidStreamIsAStreamErrorWithTheProvidersMessage() {
        replayEverywhere("error-chunk.sse", 1, 1, 2, -1, m -> {
            m.finish(null, null, StreamReplay.BASE_NANOS + 999_999);
            assertEquals(Outcome.STREAM_ERROR, m.outcome);
            assertEquals("The server had an error while processing your request. Sorry about that!", m.error);
            assertFalse(m.streamEndSeen);
        });
    }

    @Test
    void aMalformedChunkIsAProtocolErrorButTheStreamGoesOn() {
        replayEverywhere("malformed.sse", 1, 1, 3, 4, m -> {
            assertEquals("Good still", m.visibleText.toUtf8String());
            assertTrue(m.streamEndSeen);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.PROTOCOL_ERROR, m.outcome);
            assertTrue(m.error.startsWith("malformed chunk"), m.error);
        });
    }

    @Test
    void aBodyThatEndsWithoutDoneIsAStreamError() {
        byte[] stream = StreamReplay.resource("streams/openai-chat/usage.sse");
        int cut = StreamReplay.sseEventEnds(stream)[8];
        byte[] truncated = java.util.Arrays.copyOf(stream, cut);
        RequestMeasurement m = StreamReplay.replay(truncated, new int[] {truncated.length}, api::newDecoder);
        m.finish(null, null, StreamReplay.stampOf(truncated.length) + 1);
        assertEquals(Outcome.STREAM_ERROR, m.outcome);
        assertEquals(7, m.usageOutputTokens);
    }
}
