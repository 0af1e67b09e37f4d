package dev.tokenbench.provider.anthropic;

import dev.tokenbench.measure.Outcome;
import dev.tokenbench.provider.ToolCallReplay;
import dev.tokenbench.provider.ToolCallReplay.Stamps;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Golden Anthropic Messages streams with tool use ({@code content_block_start} of a {@code tool_use} block, then
 * {@code input_json_delta} events), written from the API reference's event format, replayed at every byte offset.
 */
class AnthropicToolUseTest {
    private final AnthropicApi api = new AnthropicApi();

    @Test
    void aToolUseOnlyAnswerIsOutputFromItsBlockStartAtEveryCut() {
        ToolCallReplay.sse("streams/anthropic/tool-use-only.sse", api::newDecoder, new Stamps(1, 1, 1, 5, 8), m -> {
            assertEquals("", m.visibleText.toUtf8String());
            assertEquals("{\"location\": \"Zürich, CH\", \"unit\": \"celsius\"}", m.toolCallArguments().toUtf8String());
            assertEquals(1, m.toolCalls);
            assertEquals(3, m.contentEvents, "the block start and two non-empty deltas; the empty one is none");
            assertEquals(53, m.usageOutputTokens);
            assertEquals(384, m.usageInputTokens);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.OK, m.outcome);
        });
    }

    @Test
    void textThenToolUseStampsTheCallAtItsBlockStart() {
        ToolCallReplay.sse("streams/anthropic/tool-use.sse", api::newDecoder, new Stamps(2, 2, 5, 8, 11), m -> {
            assertEquals("Let me check the weather.", m.visibleText.toUtf8String());
            assertEquals("{\"location\": \"San Francisco, CA\"}", m.toolCallArguments().toUtf8String());
            assertEquals(1, m.toolCalls);
            assertEquals(5, m.contentEvents, "two text deltas, the tool_use start, two argument deltas");
            assertEquals(89, m.usageOutputTokens);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.OK, m.outcome);
        });
    }
}
