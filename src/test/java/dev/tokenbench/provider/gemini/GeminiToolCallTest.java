package dev.tokenbench.provider.gemini;

import dev.tokenbench.measure.Outcome;
import dev.tokenbench.provider.ToolCallReplay;
import dev.tokenbench.provider.ToolCallReplay.Stamps;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Golden streamGenerateContent streams with {@code functionCall} parts (Gemini sends each call whole, its
 * {@code args} an object), written from the API reference's format, replayed at every byte offset: the args are
 * kept as sent, whatever JSON they hold.
 */
class GeminiToolCallTest {
    private final GeminiApi api = new GeminiApi();

    @Test
    void aFunctionCallOnlyChunkIsOutputWithItsArgsAsSent() {
        ToolCallReplay.sse("streams/gemini/tool-call.sse", api::newDecoder, new Stamps(0, 0, 0, 0, 0), m -> {
            assertEquals("", m.visibleText.toUtf8String());
            assertEquals("{\"location\": \"Zürich, CH\",\"unit\": \"celsius\"}", m.toolCallArguments().toUtf8String());
            assertEquals(1, m.toolCalls);
            assertEquals(1, m.contentEvents);
            assertEquals(18 + 65, m.usageOutputTokens, "candidates + thoughts");
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.OK, m.outcome);
        });
    }

    @Test
    void textThenParallelFunctionCallsCountEachCall() {
        ToolCallReplay.sse("streams/gemini/text-then-tool-calls.sse", api::newDecoder, new Stamps(0, 0, 1, 1, 1), m -> {
            assertEquals("I will look up both cities.", m.visibleText.toUtf8String());
            assertEquals("{\"location\": \"Paris\"}{\"location\": \"東京\",\"days\": [1, 2.5, true, null]}",
                    m.toolCallArguments().toUtf8String());
            assertEquals(2, m.toolCalls);
            assertEquals(2, m.contentEvents);
            assertEquals(31, m.usageOutputTokens);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.OK, m.outcome);
        });
    }

    @Test
    void vertexReadsTheSameParts() {
        ToolCallReplay.sse("streams/gemini/tool-call.sse", new VertexGeminiApi()::newDecoder, new Stamps(0, 0, 0, 0, 0),
                m -> assertEquals(1, m.toolCalls));
    }
}
