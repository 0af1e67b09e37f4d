package dev.tokenbench.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.measure.TokenCounter;
import dev.tokenbench.provider.StreamReplay;
import dev.tokenbench.provider.anthropic.AnthropicApi;
import dev.tokenbench.sim.SimEncoder;
import dev.tokenbench.sim.SimRequest;
import dev.tokenbench.sim.SimRequestException;
import dev.tokenbench.sim.SimResponseFacts;
import dev.tokenbench.sim.SimVocabulary;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.tokenbench.sim.SimTestSupport.parseJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Round trip: the simulator's Anthropic bytes, read back by tokenbench's own anthropic decoder cut at every byte
 * offset, give exactly the tokens the encoder was asked to send, in the right kind (thinking or text), with the
 * usage the simulator reports. Also the event sequence itself, checked against the documented shape.
 */
class AnthropicSimEncoderTest {
    private static final AnthropicApi CLIENT = new AnthropicApi();
    private static final AnthropicSimApi SIM = new AnthropicSimApi();

    /** What a stream was made of, to check the decoder's view against. */
    private record Sent(byte[] bytes, String reasoningText, String visibleText, int reasoningEvents,
            int visibleEvents) {
    }

    private static SimRequest request(boolean thinking) throws SimRequestException {
        String body = "{\"model\":\"claude-sim\",\"max_tokens\":4096,\"stream\":true,\"system\":\"Be brief.\","
                + (thinking ? "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}," : "")
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Name three rivers.\"}]}";
        return SIM.parse("/v1/messages", null, MultiMap.caseInsensitiveMultiMap().add("anthropic-version",
                "2023-06-01"), Buffer.buffer(body));
    }

    /** Streams {@code reasoningEvents} thinking events then {@code visibleEvents} text events of tokensPerEvent. */
    private static Sent encode(SimEncoder encoder, int reasoningEvents, int visibleEvents, int tokensPerEvent,
            int hiddenReasoningTokens, String finishReason) {
        Buffer out = Buffer.buffer();
        StringBuilder reasoning = new StringBuilder();
        StringBuilder visible = new StringBuilder();
        int[] tokens = new int[tokensPerEvent];
        int next = 0;
        for (int e = 0; e < reasoningEvents + visibleEvents; e++) {
            boolean isReasoning = e < reasoningEvents;
            for (int i = 0; i < tokensPerEvent; i++) {
                // Step 7 through the vocabulary (coprime with its size): every word, multi-byte ones included.
                tokens[i] = (next++ * 7) % SimVocabulary.SIZE;
                (isReasoning ? reasoning : visible).append(SimVocabulary.TOKENS.get(tokens[i]));
            }
            if (e == 0) {
                out.appendBuffer(encoder.head());
            }
            encoder.appendEvent(out, tokens, tokensPerEvent, isReasoning);
        }
        if (reasoningEvents + visibleEvents == 0) {
            out.appendBuffer(encoder.head());
        }
        out.appendBuffer(encoder.tail(finishReason, 15, visibleEvents * tokensPerEvent,
                reasoningEvents * tokensPerEvent + hiddenReasoningTokens));
        return new Sent(out.getBytes(), reasoning.toString(), visible.toString(), reasoningEvents, visibleEvents);
    }

    private static SimResponseFacts facts(boolean sendsUsage, boolean visibleReasoning) {
        return new SimResponseFacts("01a2b3c4d5e6f708", 1_763_830_000L, sendsUsage, visibleReasoning, 7);
    }

    /** The decoder's reading at every cut is the same, and is what was sent. */
    private static void replayEverywhere(Sent sent, long expectedInput, long expectedOutput) {
        for (int[] cuts : StreamReplay.cutPlans(sent.bytes().length)) {
            RequestMeasurement m = StreamReplay.replay(sent.bytes(), cuts, CLIENT::newDecoder);
            String where = "cut at " + (cuts.length == 2 ? cuts[0] : cuts.length + " reads");
            assertEquals(sent.visibleText(), m.visibleText.toUtf8String(), where);
            if (sent.reasoningEvents() == 0) {
                assertNull(m.reasoningTextOrNull(), where);
            } else {
                assertEquals(sent.reasoningText(), m.reasoningTextOrNull().toUtf8String(), where);
            }
            assertEquals(sent.reasoningEvents() + sent.visibleEvents(), m.contentEvents, where);
            assertEquals(expectedInput, m.usageInputTokens, where);
            assertEquals(expectedOutput, m.usageOutputTokens, where);
            assertEquals(-1, m.usageReasoningTokens, where);
            assertTrue(m.streamEndSeen, where);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.OK, m.outcome, where + ": " + m.error);
        }
    }

    /** Every event as (name, parsed data); the framing is checked on the way (event line, data line, blank). */
    private static List<String[]> events(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\n\n"));
        List<String[]> events = new ArrayList<>();
        for (String block : text.substring(0, text.length() - 2).split("\n\n", -1)) {
            String[] lines = block.split("\n", -1);
            assertEquals(2, lines.length, block);
            assertTrue(lines[0].startsWith("event: ") && lines[1].startsWith("data: "), block);
            String name = lines[0].substring("event: ".length());
            JsonNode data = parseJson(lines[1].substring("data: ".length()));
            assertEquals(name, data.path("type").asText(), "the event name is the data's type: " + block);
            events.add(new String[] {name, lines[1].substring("data: ".length())});
        }
        return events;
    }

    @Test
    void thinkingThenTextRoundTripsAtEveryCut() throws SimRequestException {
        SimRequest request = request(true);
        assertTrue(request.wantsReasoning());
        Sent sent = encode(SIM.encoder(request, facts(true, true)), 4, 6, 2, 0, "stop");
        replayEverywhere(sent, 15, 20);
        assertEquals(12, TokenCounter.count(null, sent.visibleText()), "each word is one o200k_base token");

        List<String[]> events = events(sent.bytes());
        List<String> names = events.stream().map(e -> e[0]).toList();
        assertEquals(List.of("message_start", "content_block_start", "ping",
                "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta",
                "content_block_delta", "content_block_stop", "content_block_start",
                "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta",
                "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"),
                names);
        assertEquals("thinking", parseJson(events.get(1)[1]).path("content_block").path("type").asText());
        assertEquals("signature_delta", parseJson(events.get(7)[1]).path("delta").path("type").asText());
        JsonNode textStart = parseJson(events.get(9)[1]);
        assertEquals(1, textStart.path("index").asInt());
        assertEquals("text", textStart.path("content_block").path("type").asText());
        assertEquals(1, parseJson(events.get(16)[1]).path("index").asInt());
        JsonNode messageDelta = parseJson(events.get(17)[1]);
        assertEquals("end_turn", messageDelta.path("delta").path("stop_reason").asText());
        assertEquals(20, messageDelta.path("usage").path("output_tokens").asInt());
        assertEquals("msg_01a2b3c4d5e6f708", parseJson(events.get(0)[1]).path("message").path("id").asText());
        assertEquals("claude-sim", parseJson(events.get(0)[1]).path("message").path("model").asText());
    }

    @Test
    void textOnlyRoundTripsAtEveryCut() throws SimRequestException {
        SimRequest request = request(false);
        assertFalse(request.wantsReasoning());
        Sent sent = encode(SIM.encoder(request, facts(true, false)), 0, 9, 1, 0, "length");
        replayEverywhere(sent, 15, 9);
        List<String[]> events = events(sent.bytes());
        assertEquals("text", parseJson(events.get(1)[1]).path("content_block").path("type").asText());
        assertEquals(0, parseJson(events.get(1)[1]).path("index").asInt());
        assertEquals("max_tokens",
                parseJson(events.get(events.size() - 2)[1]).path("delta").path("stop_reason").asText());
    }

    @Test
    void hiddenReasoningIsCountedInOutputTokensOnly() throws SimRequestException {
        Sent sent = encode(SIM.encoder(request(true), facts(true, false)), 0, 5, 3, 40, "stop");
        replayEverywhere(sent, 15, 15 + 40);
    }

    @Test
    void aCapReachedInsideThinkingStillClosesTheBlock() throws SimRequestException {
        Sent sent = encode(SIM.encoder(request(true), facts(true, true)), 3, 0, 2, 0, "length");
        byte[] bytes = sent.bytes();
        for (int[] cuts : StreamReplay.cutPlans(bytes.length)) {
            RequestMeasurement m = StreamReplay.replay(bytes, cuts, CLIENT::newDecoder);
            assertEquals(sent.reasoningText(), m.reasoningTextOrNull().toUtf8String());
            assertEquals(0, m.firstTokenNanos, "no visible text");
            assertEquals(3, m.contentEvents);
            assertEquals(6, m.usageOutputTokens);
            assertTrue(m.streamEndSeen);
        }
        List<String> names = events(bytes).stream().map(e -> e[0]).toList();
        assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta",
                "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop"), names);
    }

    @Test
    void withoutUsageTheDecoderFindsNone() throws SimRequestException {
        Sent sent = encode(SIM.encoder(request(false), facts(false, false)), 0, 4, 2, 0, "stop");
        replayEverywhere(sent, -1, -1);
        assertFalse(new String(sent.bytes(), StandardCharsets.UTF_8).contains("usage"));
    }

    @Test
    void responseHeadersAndContentType() throws SimRequestException {
        SimEncoder encoder = SIM.encoder(request(false), facts(true, false));
        assertEquals("text/event-stream; charset=utf-8", encoder.contentType());
        assertEquals("req_01a2b3c4d5e6f708", encoder.headers().get("request-id"));
    }
}
