package dev.tokenbench.provider.openai;

import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.StreamReplay;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Golden openai-responses streams (written from the API reference's streaming events: an {@code event:} line and
 * a {@code data:} object with {@code type} and {@code sequence_number}) replayed cut at every byte offset and
 * byte by byte: the same text, counts and usage every time, and each timing is the stamp of the read that
 * completed its event.
 */
class OpenAiResponsesDecoderTest {
    private static final String HELLO = "Hello wörld 🌍\n \"quoted\" 東京";
    private final OpenAiResponsesApi api = new OpenAiResponsesApi();

    private void replayEverywhere(String file, int firstOutputEvent, int firstTokenEvent, int lastContentEvent,
            int endEvent, Consumer<RequestMeasurement> sameEveryTime) {
        StreamReplay.replaySseEverywhere("streams/openai-responses/" + file, api::newDecoder, firstOutputEvent,
                firstTokenEvent, lastContentEvent, endEvent, sameEveryTime);
    }

    @Test
    void textDeltasAndUsageAtEveryCut() {
        assertEquals(14, GoldenStreams.eventCount("streams/openai-responses/usage.sse"));
        replayEverywhere("usage.sse", 4, 4, 9, 13, m -> {
            assertEquals(HELLO, m.visibleText.toUtf8String());
            assertNull(m.reasoningTextOrNull());
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
    void reasoningSummaryDeltasAreOutputButNotVisibleTokens() {
        assertEquals(20, GoldenStreams.eventCount("streams/openai-responses/reasoning.sse"));
        replayEverywhere("reasoning.sse", 4, 12, 15, 19, m -> {
            assertEquals("**Checking the sum**", m.reasoningTextOrNull().toUtf8String());
            assertEquals("The answer is 42.", m.visibleText.toUtf8String());
            assertEquals(7, m.contentEvents);
            assertEquals(20, m.usageInputTokens);
            assertEquals(8, m.usageCachedInputTokens);
            assertEquals(70, m.usageOutputTokens);
            assertEquals(64, m.usageReasoningTokens);
            assertTrue(m.firstOutputNanos <= m.firstTokenNanos);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.OK, m.outcome);
        });
    }

    /** A compatible server without event lines, its keys sorted: delta and response come before type. */
    @Test
    void withoutEventLinesOrUsageTheTypeMemberClassifiesWhereverItIs() {
        assertEquals(13, GoldenStreams.eventCount("streams/openai-responses/no-usage.sse"));
        replayEverywhere("no-usage.sse", 3, 3, 8, 12, m -> {
            assertEquals(HELLO, m.visibleText.toUtf8String());
            assertEquals(6, m.contentEvents);
            assertEquals(-1, m.usageOutputTokens);
            assertEquals(-1, m.usageInputTokens);
            assertTrue(m.streamEndSeen);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.OK, m.outcome);
        });
    }

    @Test
    void anIncompleteResponseAtTheOutputCapEndsTheStreamNormally() {
        assertEquals(12, GoldenStreams.eventCount("streams/openai-responses/incomplete.sse"));
        replayEverywhere("incomplete.sse", 4, 4, 7, 11, m -> {
            assertEquals("One two three four", m.visibleText.toUtf8String());
            assertEquals(16, m.usageOutputTokens);
            assertTrue(m.streamEndSeen);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.OK, m.outcome);
        });
    }

    @Test
    void aFailedResponseIsAStreamErrorWithItsMessage() {
        assertEquals(7, GoldenStreams.eventCount("streams/openai-responses/failed.sse"));
        replayEverywhere("failed.sse", 4, 4, 5, 6, m -> {
            assertEquals("Partial answer", m.visibleText.toUtf8String());
            m.finish(null, null, StreamReplay.BASE_NANOS + 999_999);
            assertEquals(Outcome.STREAM_ERROR, m.outcome);
            assertEquals("The model produced invalid content. Consider modifying your prompt if you are seeing this "
                    + "error persistently.", m.error);
            assertFalse(m.streamEndSeen);
        });
    }

    @Test
    void anErrorEventIsAStreamErrorWithItsMessage() {
        assertEquals(7, GoldenStreams.eventCount("streams/openai-responses/error-event.sse"));
        replayEverywhere("error-event.sse", 4, 4, 5, 6, m -> {
            assertEquals("Hello", m.visibleText.toUtf8String());
            m.finish(null, null, StreamReplay.BASE_NANOS + 999_999);
            assertEquals(Outcome.STREAM_ERROR, m.outcome);
            assertEquals("The server had an error while processing your request. Sorry about that!", m.error);
        });
    }

    @Test
    void aMalformedDeltaIsAProtocolErrorButTheStreamGoesOn() {
        replayEverywhere("malformed.sse", 2, 2, 4, 5, m -> {
            assertEquals("Good still", m.visibleText.toUtf8String());
            assertEquals(2, m.contentEvents);
            assertTrue(m.streamEndSeen);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.PROTOCOL_ERROR, m.outcome);
            assertTrue(m.error.startsWith("malformed event"), m.error);
        });
    }

    @Test
    void aBodyThatEndsBeforeResponseCompletedIsAStreamError() {
        byte[] stream = StreamReplay.resource("streams/openai-responses/usage.sse");
        int cut = StreamReplay.sseEventEnds(stream)[12];
        byte[] truncated = java.util.Arrays.copyOf(stream, cut);
        RequestMeasurement m = StreamReplay.replay(truncated, new int[] {truncated.length}, api::newDecoder);
        m.finish(null, null, StreamReplay.stampOf(truncated.length) + 1);
        assertEquals(Outcome.STREAM_ERROR, m.outcome);
        assertEquals(6, m.contentEvents);
        assertEquals(-1, m.usageOutputTokens);
    }

    /** The error event as some servers send it: the message inside an error object. */
    @Test
    void anErrorEventWithANestedErrorObjectKeepsItsMessage() {
        RequestMeasurement m = replayText("event: error\ndata: {\"type\":\"error\",\"sequence_number\":3,\"error\":"
                + "{\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\",\"message\":\"Your input "
                + "exceeds the context window of this model.\",\"param\":\"input\"}}\n\n");
        m.finish(null, null, StreamReplay.BASE_NANOS + 999_999);
        assertEquals(Outcome.STREAM_ERROR, m.outcome);
        assertEquals("Your input exceeds the context window of this model.", m.error);
    }

    @Test
    void rawReasoningTextAndRefusalsAreCounted() {
        String text = "event: response.reasoning_text.delta\ndata: {\"type\":"
                + "\"response.reasoning_text.delta\",\"sequence_number\":4,\"item_id\":\"rs_1\",\"output_index\":0,"
                + "\"content_index\":0,\"delta\":\"thinking\"}\n\n"
                + "event: response.refusal.delta\ndata: {\"type\":\"response.refusal.delta\",\"sequence_number\":5,"
                + "\"item_id\":\"msg_1\",\"output_index\":1,\"content_index\":0,\"delta\":\"I can't help\"}\n\n";
        RequestMeasurement m = replayText(text);
        assertEquals("thinking", m.reasoningTextOrNull().toUtf8String());
        assertEquals("I can't help", m.visibleText.toUtf8String());
        assertEquals(2, m.contentEvents);
        assertEquals(StreamReplay.stampOf(text.getBytes(StandardCharsets.UTF_8).length), m.firstTokenNanos);
    }

    /** Events named by their event line and not measured are not parsed: their data cannot fail the request. */
    @Test
    void eventsThatCarryNothingMeasuredAreSkippedUnparsed() {
        RequestMeasurement m = replayText("event: response.output_text.done\ndata: {not json\n\n"
                + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\","
                + "\"sequence_number\":1,\"delta\":\"ok\"}\n\n"
                + "data: [DONE]\n\n");
        assertEquals("ok", m.visibleText.toUtf8String());
        assertTrue(m.streamEndSeen);
        m.finish(null, null, m.endNanos);
        assertEquals(Outcome.OK, m.outcome);
    }

    @Test
    void theRequestIsTheStreamingResponsesBody() throws Exception {
        var target = dev.tokenbench.config.TargetSpec.builder()
                .name("t")
                .api(OpenAiResponsesApi.NAME)
                .baseUrl("https://api.openai.com/v1")
                .model("gpt-5-mini")
                .apiKey(new dev.tokenbench.config.Secret("sk-test", "env:OPENAI_API_KEY"))
                .labels(java.util.Map.of())
                .params(java.util.Map.of("reasoning", java.util.Map.of("summary", "auto"),
                        "reasoning_effort", "low", "stream", false))
                .maxTokensField("max_completion_tokens")
                .access(dev.tokenbench.config.ProviderAccess.NONE)
                .build();
        var request = api.prepare(target, "https://api.openai.com/v1",
                new dev.tokenbench.config.Prompt("p", "Be terse.", "Say hi.", null), 64);
        assertEquals("https://api.openai.com/v1/responses", request.absoluteUri());
        assertEquals("Bearer sk-test", request.headers().get("authorization"));
        var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(request.body());
        assertEquals("gpt-5-mini", body.get("model").asText());
        assertEquals("Be terse.", body.get("instructions").asText());
        assertEquals("user", body.at("/input/0/role").asText());
        assertEquals("Say hi.", body.at("/input/0/content").asText());
        assertTrue(body.get("stream").asBoolean());
        assertFalse(body.get("store").asBoolean());
        assertEquals(64, body.get("max_output_tokens").asInt());
        assertFalse(body.has("max_completion_tokens"));
        assertFalse(body.has("reasoning_effort"));
        assertEquals("low", body.at("/reasoning/effort").asText());
        assertEquals("auto", body.at("/reasoning/summary").asText());
        assertFalse(request.toString().contains("sk-test"));
    }

    /** The hot path allocates nothing per delta event once its buffers have grown. */
    @Test
    void deltaEventsAllocateNothingOnceWarm() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "HotSpot allocation counters");
        com.sun.management.ThreadMXBean counters = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(counters.isThreadAllocatedMemorySupported() && counters.isThreadAllocatedMemoryEnabled());
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            events.append("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\","
                    + "\"sequence_number\":").append(i).append(",\"item_id\":\"msg_1\",\"output_index\":0,"
                    + "\"content_index\":0,\"delta\":\" w\\u00f6rld\",\"logprobs\":[],\"obfuscation\":\"x9\"}\n\n");
            events.append("event: response.output_text.done\ndata: {\"type\":\"response.output_text.done\"}\n\n");
        }
        byte[] bytes = events.toString().getBytes(StandardCharsets.UTF_8);
        RequestMeasurement m = new RequestMeasurement("alloc", 0, 0, false, "p", null);
        var decoder = api.newDecoder(m);
        for (int round = 0; round < 20; round++) {
            m.visibleText.reset();
            feedInReads(decoder, bytes);
        }
        m.visibleText.reset();
        long thread = Thread.currentThread().getId();
        long before = counters.getThreadAllocatedBytes(thread);
        for (int round = 0; round < 5; round++) {
            m.visibleText.reset();
            feedInReads(decoder, bytes);
        }
        long allocated = counters.getThreadAllocatedBytes(thread) - before;
        assertEquals(20 * 200 + 5 * 200, m.contentEvents);
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes for 1000 delta events");
    }

    private static void feedInReads(dev.tokenbench.provider.StreamDecoder decoder, byte[] bytes) {
        for (int off = 0; off < bytes.length; off += 1000) {
            decoder.onBytes(bytes, off, Math.min(1000, bytes.length - off), 1);
        }
    }

    private RequestMeasurement replayText(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return StreamReplay.replay(bytes, new int[] {bytes.length}, api::newDecoder);
    }
}
