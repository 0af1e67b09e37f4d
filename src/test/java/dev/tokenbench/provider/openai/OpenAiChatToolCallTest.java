package dev.tokenbench.provider.openai;

import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.TokenCounter;
import dev.tokenbench.provider.StreamReplay;
import dev.tokenbench.provider.ToolCallReplay;
import dev.tokenbench.provider.ToolCallReplay.Stamps;
import dev.tokenbench.provider.azure.AzureOpenAiApi;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden openai-chat (and Azure OpenAI chat) streams with {@code tool_calls} deltas, written from the API
 * reference's chunk format, replayed at every byte offset: a tool call is visible output with its own first stamp,
 * its arguments are kept whole, and an answer that is only a tool call is an ok answer with output tokens.
 */
class OpenAiChatToolCallTest {
    private final OpenAiChatApi api = new OpenAiChatApi();

    @Test
    void aToolCallOnlyAnswerIsOutputFromItsFirstChunkAtEveryCut() {
        ToolCallReplay.sse("streams/openai-chat/tool-call.sse", api::newDecoder, new Stamps(0, 0, 0, 5, 8), m -> {
            assertEquals("", m.visibleText.toUtf8String());
            assertEquals("{\"location\":\"Zürich, CH\"}", m.toolCallArguments().toUtf8String());
            assertEquals(1, m.toolCalls);
            assertEquals(6, m.contentEvents, "the call's opening chunk and five argument pieces");
            assertEquals(17, m.usageOutputTokens);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.OK, m.outcome);
        });
    }

    @Test
    void textThenAToolCallKeepsBothAndStampsTheCallApart() {
        ToolCallReplay.sse("streams/openai-chat/text-then-tool-call.sse", api::newDecoder, new Stamps(1, 1, 3, 5, 8),
                m -> {
                    assertEquals("Let me check that for you.", m.visibleText.toUtf8String());
                    assertEquals("{\"location\":\"東京\"}", m.toolCallArguments().toUtf8String());
                    assertEquals(1, m.toolCalls);
                    assertEquals(5, m.contentEvents);
                    assertTrue(m.firstTokenNanos <= m.firstToolCallNanos);
                    assertEquals(24, m.usageOutputTokens);
                });
    }

    @Test
    void parallelToolCallsAreEachCountedAndTheirArgumentsKept() {
        ToolCallReplay.sse("streams/openai-chat/parallel-tool-calls.sse", api::newDecoder, new Stamps(0, 0, 0, 5, 7),
                m -> {
                    assertEquals(3, m.toolCalls);
                    assertEquals("{\"location\": \"Paris\"}{\"location\": \"Tokyo\"}{\"timezone\": \"Asia/Tokyo\"}",
                            m.toolCallArguments().toUtf8String());
                    assertEquals(6, m.contentEvents);
                    assertEquals(-1, m.usageOutputTokens);
                    m.finish(null, null, m.endNanos);
                    assertEquals(Outcome.OK, m.outcome);
                });
    }

    @Test
    void azureChunksWithFilterResultsAndSortedMembersGiveTheSameToolCall() {
        ToolCallReplay.sse("streams/azure-openai/tool-call.sse", new AzureOpenAiApi()::newDecoder,
                new Stamps(1, 1, 1, 3, 6), m -> {
                    assertEquals("{\"location\": \"Seattle, WA\"}", m.toolCallArguments().toUtf8String());
                    assertEquals(1, m.toolCalls);
                    assertEquals(3, m.contentEvents);
                    assertEquals(18, m.usageOutputTokens);
                    assertEquals(77, m.usageInputTokens);
                });
    }

    @Test
    void aToolCallOnlyRecordIsOkWithOutputTokensTtftAndToolCallFigures() {
        byte[] stream = StreamReplay.resource("streams/openai-chat/tool-call.sse");
        RequestMeasurement m = byteByByte(stream);
        m.finish(null, null, m.endNanos);
        RequestRecord r = RequestRecord.of(m, "t", null, 10, null);
        assertEquals(Outcome.OK, r.outcome());
        assertEquals(17, r.outputTokens());
        assertEquals(r.ttftMs(), r.toolCalls().timeToFirstToolCallMs(), "the call's first byte is the first token");
        assertFalse(Double.isNaN(r.ttftMs()));
        assertEquals(1, r.toolCalls().calls());
        assertEquals(TokenCounter.count(null, "{\"location\":\"Zürich, CH\"}"), r.toolCalls().tokens());
        assertTrue(r.toolCalls().tokens() > 0);
    }

    @Test
    void withoutUsageTheToolCallArgumentsAreTheEstimatedOutput() {
        byte[] stream = StreamReplay.resource("streams/openai-chat/parallel-tool-calls.sse");
        RequestMeasurement m = byteByByte(stream);
        m.finish(null, null, m.endNanos);
        RequestRecord r = RequestRecord.of(m, "t", null, 10, null);
        assertEquals(Outcome.OK, r.outcome());
        assertTrue(r.tokensEstimated());
        long argumentTokens = TokenCounter.count(null,
                "{\"location\": \"Paris\"}{\"location\": \"Tokyo\"}{\"timezone\": \"Asia/Tokyo\"}");
        assertEquals(argumentTokens, r.toolCalls().tokens());
        assertEquals(argumentTokens, r.outputTokens());
        assertFalse(Double.isNaN(r.visibleTokensPerSecond()), "tool-call tokens are visible output");
        assertEquals(3, r.toolCalls().calls());
    }

    /** Each byte its own read, so every event has its own arrival time. */
    private RequestMeasurement byteByByte(byte[] stream) {
        return StreamReplay.replay(stream, StreamReplay.cutPlans(stream.length).get(stream.length + 1),
                api::newDecoder);
    }

    @Test
    void aPlainTextStreamHasNoToolCall() {
        byte[] stream = StreamReplay.resource("streams/openai-chat/usage.sse");
        RequestMeasurement m = StreamReplay.replay(stream, new int[] {stream.length}, api::newDecoder);
        assertEquals(0, m.firstToolCallNanos);
        assertEquals(0, m.toolCalls);
        assertNull(m.toolCallArgumentsOrNull());
    }
}
