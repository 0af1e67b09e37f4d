package dev.tokenbench.provider.openai;

import dev.tokenbench.measure.Outcome;
import dev.tokenbench.provider.StreamReplay;
import dev.tokenbench.provider.ToolCallReplay;
import dev.tokenbench.provider.ToolCallReplay.Stamps;
import dev.tokenbench.provider.azure.AzureOpenAiResponsesApi;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden Responses streams with a function call ({@code response.output_item.added} with a {@code function_call}
 * item, then {@code response.function_call_arguments.delta} events), written from the API reference's event format,
 * replayed at every byte offset: the call begins at its item, its arguments are kept whole, and the
 * {@code .done} events that repeat them add nothing.
 */
class OpenAiResponsesToolCallTest {
    private static final String ZURICH = "{\"location\":\"Zürich, CH\"}";

    private final OpenAiResponsesApi api = new OpenAiResponsesApi();

    @Test
    void aFunctionCallOnlyResponseIsOutputFromItsItemAtEveryCut() {
        ToolCallReplay.sse("streams/openai-responses/tool-call.sse", api::newDecoder, new Stamps(2, 2, 2, 7, 10), m -> {
            assertEquals("", m.visibleText.toUtf8String());
            assertEquals(ZURICH, m.toolCallArguments().toUtf8String(), "the done events do not repeat it");
            assertEquals(1, m.toolCalls);
            assertEquals(6, m.contentEvents, "the item and five argument deltas");
            assertEquals(19, m.usageOutputTokens);
            assertEquals(58, m.usageInputTokens);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.OK, m.outcome);
        });
    }

    @Test
    void textThenAFunctionCallStampsTheCallAtItsItem() {
        ToolCallReplay.sse("streams/openai-responses/text-then-tool-call.sse", api::newDecoder,
                new Stamps(3, 3, 8, 10, 13), m -> {
                    assertEquals("Checking the weather.", m.visibleText.toUtf8String());
                    assertEquals("{\"location\":\"東京\"}", m.toolCallArguments().toUtf8String());
                    assertEquals(1, m.toolCalls, "the message item is no tool call");
                    assertEquals(5, m.contentEvents);
                    assertEquals(27, m.usageOutputTokens);
                });
    }

    @Test
    void withoutEventLinesTheTypeMemberClassifiesTheSameEvents() {
        String withLines = new String(StreamReplay.resource("streams/openai-responses/tool-call.sse"),
                StandardCharsets.UTF_8);
        byte[] stream = withLines.replaceAll("(?m)^event: [^\n]*\n", "").getBytes(StandardCharsets.UTF_8);
        assertTrue(stream.length < withLines.length());
        ToolCallReplay.everywhere(stream, "tool-call.sse without event lines", StreamReplay.sseEventEnds(stream),
                api::newDecoder, new Stamps(2, 2, 2, 7, 10), m -> {
                    assertEquals(ZURICH, m.toolCallArguments().toUtf8String());
                    assertEquals(1, m.toolCalls);
                    assertEquals(6, m.contentEvents);
                });
    }

    @Test
    void azureResponsesUsesTheSameEvents() {
        ToolCallReplay.sse("streams/openai-responses/tool-call.sse", new AzureOpenAiResponsesApi()::newDecoder,
                new Stamps(2, 2, 2, 7, 10), m -> {
                    assertEquals(ZURICH, m.toolCallArguments().toUtf8String());
                    assertEquals(1, m.toolCalls);
                });
    }
}
