package dev.tokenbench.provider;

import com.sun.management.ThreadMXBean;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.anthropic.AnthropicApi;
import dev.tokenbench.provider.gemini.GeminiApi;
import dev.tokenbench.provider.openai.OpenAiChatApi;
import dev.tokenbench.provider.openai.OpenAiResponsesApi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The tool-call path is hot-path code too: once the argument buffer has grown, a tool-call event allocates nothing
 * in any SSE decoder (Bedrock's frames are covered by its framer's own test).
 */
class ToolCallAllocationTest {
    private static final int EVENTS = 200;

    static Stream<Arguments> apis() {
        String chat = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
                + "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"k\\\": \\\"v\\u00f6\\\"\"}}]},"
                + "\"finish_reason\":null}]}\n\n";
        String responses = "event: response.function_call_arguments.delta\ndata: {\"type\":"
                + "\"response.function_call_arguments.delta\",\"item_id\":\"fc_1\",\"output_index\":0,"
                + "\"delta\":\"{\\\"k\\\": 1}\"}\n\n";
        String anthropic = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"k\\\": 1}\"}}\n\n";
        String gemini = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"functionCall\": {\"name\": \"f\","
                + "\"args\": {\"k\": [1, \"v\"]}}}],\"role\": \"model\"},\"index\": 0}]}\n\n";
        return Stream.of(Arguments.of("openai-chat", new OpenAiChatApi(), chat),
                Arguments.of("openai-responses", new OpenAiResponsesApi(), responses),
                Arguments.of("anthropic", new AnthropicApi(), anthropic),
                Arguments.of("gemini", new GeminiApi(), gemini));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("apis")
    void toolCallEventsAllocateNothingOnceWarm(String name, ProviderApi api, String event) {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof ThreadMXBean, "HotSpot allocation counters");
        ThreadMXBean counters = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(counters.isThreadAllocatedMemorySupported() && counters.isThreadAllocatedMemoryEnabled());
        byte[] bytes = event.repeat(EVENTS).getBytes(StandardCharsets.UTF_8);
        RequestMeasurement m = new RequestMeasurement("alloc", 0, 0, false, "p", null);
        StreamDecoder decoder = api.newDecoder(m);
        for (int round = 0; round < 20; round++) {
            m.toolCallArguments().reset();
            feedInReads(decoder, bytes);
        }
        long thread = Thread.currentThread().getId();
        long before = counters.getThreadAllocatedBytes(thread);
        for (int round = 0; round < 5; round++) {
            m.toolCallArguments().reset();
            feedInReads(decoder, bytes);
        }
        long allocated = counters.getThreadAllocatedBytes(thread) - before;
        assertEquals(25 * EVENTS, m.contentEvents, name);
        assertTrue(m.firstToolCallNanos != 0, name);
        assertTrue(allocated < 1024, name + " allocated " + allocated + " bytes for " + 5 * EVENTS + " events");
    }

    private static void feedInReads(StreamDecoder decoder, byte[] bytes) {
        for (int off = 0; off < bytes.length; off += 1000) {
            decoder.onBytes(bytes, off, Math.min(1000, bytes.length - off), 1);
        }
    }
}
