package dev.tokenbench.provider;

import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.wire.EventStreamTestFrames;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regression tests for the fuzzers' first finding (DecoderFuzzTest, openaiChat and bedrockConverse): output after
 * the stream's end event was counted, so the last content came after the end. The stream ends at its end event;
 * output after it is a protocol_error and is not measured.
 */
class ContentAfterEndTest {
    private static final ProviderRegistry PROVIDERS = ProviderRegistry.defaults();

    @Test
    void openaiChatOutputAfterDoneIsAProtocolError() {
        String chunk = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},\"finish_reason\":null}]}\n\n";
        byte[] body = (chunk.formatted("Hello") + "data: [DONE]\n\n" + chunk.formatted(" again") + "data: [DONE]\n\n")
                .getBytes(StandardCharsets.UTF_8);
        RequestMeasurement m = StreamReplay.replay(body, new int[] {body.length}, PROVIDERS.get("openai-chat")::newDecoder);
        m.finish(null, null, StreamReplay.stampOf(body.length) + 2);
        assertEquals(Outcome.PROTOCOL_ERROR, m.outcome);
        assertEquals("output arrived after the stream's end event", m.error);
        assertEquals(1, m.contentEvents);
        assertTrue(m.lastContentNanos <= m.endNanos);
    }

    @Test
    void bedrockDeltaAfterMessageStopIsAProtocolError() {
        byte[] body = EventStreamTestFrames.concat(
                EventStreamTestFrames.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}"),
                EventStreamTestFrames.event("messageStop", "{\"stopReason\":\"end_turn\"}"),
                EventStreamTestFrames.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"!\"}}"));
        int secondFrameEnd = EventStreamTestFrames.frameEnds(body)[1];
        RequestMeasurement m = StreamReplay.replay(body, new int[] {secondFrameEnd, body.length},
                PROVIDERS.get("bedrock-converse")::newDecoder);
        m.finish(null, null, StreamReplay.stampOf(body.length) + 2);
        assertEquals(Outcome.PROTOCOL_ERROR, m.outcome);
        assertEquals("a contentBlockDelta after messageStop", m.error);
        assertEquals(1, m.contentEvents);
        assertEquals(StreamReplay.stampOf(secondFrameEnd), m.endNanos, "ended at messageStop");
        assertTrue(m.lastContentNanos <= m.endNanos);
    }
}
