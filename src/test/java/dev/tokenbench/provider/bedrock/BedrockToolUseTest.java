package dev.tokenbench.provider.bedrock;

import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.TokenCounter;
import dev.tokenbench.provider.StreamReplay;
import dev.tokenbench.provider.ToolCallReplay;
import dev.tokenbench.provider.ToolCallReplay.Stamps;
import dev.tokenbench.wire.EventStreamTestFrames;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden ConverseStream responses with tool use ({@code contentBlockStart} with {@code start.toolUse}, then
 * {@code contentBlockDelta} with {@code toolUse.input}) replayed at every byte offset (mid-prelude, mid-headers,
 * mid-payload, mid-CRC); the files are {@link BedrockGoldenStreams}' bytes (checked by BedrockConverseDecoderTest).
 */
class BedrockToolUseTest {
    private final BedrockConverseApi api = new BedrockConverseApi();

    private void replay(String file, Stamps stamps, java.util.function.Consumer<RequestMeasurement> same) {
        byte[] stream = StreamReplay.resource(BedrockGoldenStreams.DIR + file);
        ToolCallReplay.everywhere(stream, file, EventStreamTestFrames.frameEnds(stream), api::newDecoder, stamps, same);
    }

    @Test
    void textThenToolUseStampsTheCallAtItsBlockStartAtEveryCut() {
        replay(BedrockGoldenStreams.TOOL_USE, new Stamps(1, 1, 3, 6, 9), m -> {
            assertEquals("Let me look that up.", m.visibleText.toUtf8String());
            assertEquals("{\"sign\": \"WZPZ\", \"city\": \"Zürich\"}", m.toolCallArguments().toUtf8String());
            assertEquals(1, m.toolCalls);
            assertEquals(5, m.contentEvents, "one text delta, the toolUse start, three input pieces");
            assertEquals(58, m.usageOutputTokens);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.OK, m.outcome);
        });
    }

    @Test
    void aToolUseOnlyStreamWithoutMetadataIsOkAndItsArgumentsAreTheEstimatedOutput() {
        replay(BedrockGoldenStreams.TOOL_USE_ONLY, new Stamps(1, 1, 1, 3, 5), m -> {
            assertEquals("", m.visibleText.toUtf8String());
            assertEquals("{\"location\": \"東京\"}", m.toolCallArguments().toUtf8String());
            assertEquals(3, m.contentEvents);
            assertEquals(-1, m.usageOutputTokens);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.OK, m.outcome);
            RequestRecord r = RequestRecord.of(m, "t", null, 5, null);
            assertEquals(Outcome.OK, r.outcome());
            assertEquals(TokenCounter.count(null, "{\"location\": \"東京\"}"), r.outputTokens());
            assertTrue(r.outputTokens() > 0);
            assertEquals(r.outputTokens(), r.toolCalls().tokens());
            assertEquals(r.ttftMs(), r.toolCalls().timeToFirstToolCallMs());
        });
    }
}
