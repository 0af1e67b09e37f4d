package dev.tokenbench.provider.azure;

import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.StreamReplay;
import dev.tokenbench.provider.openai.GoldenStreams;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden Azure OpenAI streams (written from Azure's documented chunk format: a first chunk with
 * {@code "choices":[]} and {@code prompt_filter_results}, {@code content_filter_results} in every choice, keys in
 * Azure's alphabetical order; the asynchronous filter's annotation chunks) decoded by azure-openai's decoder, which
 * is openai-chat's, at every cut: Azure's extra chunks are never tokens, and timings and counts are the same as
 * for OpenAI's own stream of the same text. The azure-openai-responses golden proves the Responses decoder reads
 * Azure's Responses stream.
 */
class AzureOpenAiDecoderTest {
    private static final String HELLO = "Hello wörld 🌍\n \"quoted\" 東京";
    private final AzureOpenAiApi chat = new AzureOpenAiApi();
    private final AzureOpenAiResponsesApi responses = new AzureOpenAiResponsesApi();

    private void replayEverywhere(String file, int firstOutputEvent, int firstTokenEvent, int lastContentEvent,
            int endEvent, Consumer<RequestMeasurement> sameEveryTime) {
        StreamReplay.replaySseEverywhere("streams/azure-openai/" + file, chat::newDecoder, firstOutputEvent,
                firstTokenEvent, lastContentEvent, endEvent, sameEveryTime);
    }

    @Test
    void promptFilterAndRoleChunksAreNotTokens() {
        assertEquals(11, GoldenStreams.eventCount("streams/azure-openai/usage.sse"));
        replayEverywhere("usage.sse", 2, 2, 7, 10, m -> {
            assertEquals(HELLO, m.visibleText.toUtf8String());
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
    void withoutUsageTheCountsAreLeftToTheTokenizer() {
        assertEquals(10, GoldenStreams.eventCount("streams/azure-openai/no-usage.sse"));
        replayEverywhere("no-usage.sse", 2, 2, 7, 9, m -> {
            assertEquals(HELLO, m.visibleText.toUtf8String());
            assertEquals(6, m.contentEvents);
            assertEquals(-1, m.usageOutputTokens);
            assertEquals(-1, m.usageInputTokens);
            assertTrue(m.streamEndSeen);
        });
    }

    /** An o-series deployment: the reasoning is hidden, only usage tells how much of the output it was. */
    @Test
    void hiddenReasoningIsCountedFromUsageOnly() {
        assertEquals(9, GoldenStreams.eventCount("streams/azure-openai/reasoning-hidden.sse"));
        replayEverywhere("reasoning-hidden.sse", 2, 2, 5, 8, m -> {
            assertEquals("The answer is 42.", m.visibleText.toUtf8String());
            assertNull(m.reasoningTextOrNull());
            assertEquals(4, m.contentEvents);
            assertEquals(196, m.usageOutputTokens);
            assertEquals(192, m.usageReasoningTokens);
            assertEquals(m.firstOutputNanos, m.firstTokenNanos);
        });
    }

    /** Asynchronous filter: annotation chunks (content_filter_offsets, no delta) arrive between and after tokens. */
    @Test
    void asynchronousFilterAnnotationsAreNotTokens() {
        assertEquals(13, GoldenStreams.eventCount("streams/azure-openai/async-filter.sse"));
        replayEverywhere("async-filter.sse", 2, 2, 8, 12, m -> {
            assertEquals(HELLO, m.visibleText.toUtf8String());
            assertEquals(6, m.contentEvents);
            assertEquals(7, m.usageOutputTokens);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.OK, m.outcome);
        });
    }

    @Test
    void anAzureErrorObjectMidStreamIsAStreamErrorWithItsMessage() {
        assertEquals(5, GoldenStreams.eventCount("streams/azure-openai/error-chunk.sse"));
        replayEverywhere("error-chunk.sse", 2, 2, 3, 4, m -> {
            assertEquals("Partial answer", m.visibleText.toUtf8String());
            m.finish(null, null, StreamReplay.BASE_NANOS + 999_999);
            assertEquals(Outcome.STREAM_ERROR, m.outcome);
            assertEquals("The service is temporarily unable to process your request. Please try again later.",
                    m.error);
        });
    }

    /** The same text as openai-chat's golden: Azure's extra chunks change neither the text nor the count. */
    @Test
    void sameTextAndCountAsOpenAisOwnStream() {
        byte[] openai = StreamReplay.resource("streams/openai-chat/usage.sse");
        byte[] azure = StreamReplay.resource("streams/azure-openai/usage.sse");
        RequestMeasurement fromOpenAi = StreamReplay.replay(openai, new int[] {openai.length},
                new dev.tokenbench.provider.openai.OpenAiChatApi()::newDecoder);
        RequestMeasurement fromAzure = StreamReplay.replay(azure, new int[] {azure.length}, chat::newDecoder);
        assertEquals(fromOpenAi.visibleText.toUtf8String(), fromAzure.visibleText.toUtf8String());
        assertEquals(fromOpenAi.contentEvents, fromAzure.contentEvents);
        assertEquals(fromOpenAi.usageOutputTokens, fromAzure.usageOutputTokens);
    }

    @Test
    void azureResponsesStreamAtEveryCut() {
        assertEquals(14, GoldenStreams.eventCount("streams/azure-openai-responses/usage.sse"));
        StreamReplay.replaySseEverywhere("streams/azure-openai-responses/usage.sse", responses::newDecoder, 4, 4, 9,
                13, m -> {
                    assertEquals(HELLO, m.visibleText.toUtf8String());
                    assertEquals(6, m.contentEvents);
                    assertEquals(12, m.usageInputTokens);
                    assertEquals(7, m.usageOutputTokens);
                    m.finish(null, null, m.endNanos);
                    assertEquals(Outcome.OK, m.outcome);
                });
    }
}
