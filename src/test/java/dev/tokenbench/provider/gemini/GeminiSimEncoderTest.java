package dev.tokenbench.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.StreamReplay;
import dev.tokenbench.provider.gemini.GeminiApi;
import dev.tokenbench.provider.gemini.VertexGeminiApi;
import dev.tokenbench.sim.SimApi;
import dev.tokenbench.sim.SimEncoder;
import dev.tokenbench.sim.SimRequest;
import dev.tokenbench.sim.SimResponseFacts;
import dev.tokenbench.sim.SimVocabulary;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Round trip: the simulator's Gemini and Vertex bytes through tokenbench's own decoder give back exactly the text,
 * the events and the counts the simulator sent, however the bytes are cut into reads; and every chunk is a
 * GenerateContentResponse in Google's shape.
 */
class GeminiSimEncoderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEX_ID = "0123456789abcdef0123456789abcdef";
    private static final int PROMPT_TOKENS = 12;

    /** What one simulated response sent, and its bytes. */
    private record Sent(byte[] bytes, String visibleText, String reasoningText, int visibleTokens,
            int reasoningTokens, int events) {
    }

    /**
     * Reasoning events first (when streamed), then visible ones, as the engine writes them; the vocabulary's
     * multi-byte words are in both, so reads split inside a character.
     */
    private static Sent encode(SimApi api, boolean sendsUsage, boolean streamReasoning, int hiddenReasoning,
            String finishReason) {
        SimEncoder encoder = api.encoder(new SimRequest("gemini-2.5-flash", 64, true, List.of("hi"), true),
                new SimResponseFacts(HEX_ID, 1_763_830_000L, sendsUsage, streamReasoning, 7));
        Buffer out = encoder.head();
        StringBuilder visible = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        int reasoningTokens = hiddenReasoning;
        int visibleTokens = 0;
        int events = 0;
        int next = SimVocabulary.SIZE - 14; // starts among the multi-byte words
        for (int size : streamReasoning ? new int[] {1, 2, 3} : new int[0]) {
            int[] tokens = tokens(next, size);
            next += size;
            encoder.appendEvent(out, tokens, tokens.length, true);
            for (int t : tokens) {
                reasoning.append(SimVocabulary.TOKENS.get(t));
            }
            reasoningTokens += tokens.length;
            events++;
        }
        for (int size : new int[] {1, 3, 2, 1, 4}) {
            int[] tokens = tokens(next, size);
            next += size;
            encoder.appendEvent(out, tokens, tokens.length, false);
            for (int t : tokens) {
                visible.append(SimVocabulary.TOKENS.get(t));
            }
            visibleTokens += tokens.length;
            events++;
        }
        out.appendBuffer(encoder.tail(finishReason, PROMPT_TOKENS, visibleTokens, reasoningTokens));
        return new Sent(out.getBytes(), visible.toString(), reasoning.toString(), visibleTokens, reasoningTokens,
                events);
    }

    private static int[] tokens(int from, int count) {
        int[] tokens = new int[count];
        for (int i = 0; i < count; i++) {
            tokens[i] = (from + i) % SimVocabulary.SIZE;
        }
        return tokens;
    }

    private static void assertDecodesExactly(Sent sent, boolean sendsUsage, RequestMeasurement m, String where) {
        assertEquals(sent.visibleText(), m.visibleText.toUtf8String(), where);
        if (sent.reasoningText().isEmpty()) {
            assertNull(m.reasoningTextOrNull(), where);
        } else {
            assertEquals(sent.reasoningText(), m.reasoningTextOrNull().toUtf8String(), where);
        }
        assertEquals(sent.events(), m.contentEvents, where);
        assertTrue(m.streamEndSeen, where);
        if (sendsUsage) {
            assertEquals(PROMPT_TOKENS, m.usageInputTokens, where);
            assertEquals(sent.visibleTokens() + sent.reasoningTokens(), m.usageOutputTokens, where);
            assertEquals(sent.reasoningTokens(), m.usageReasoningTokens, where);
        } else {
            assertEquals(-1, m.usageOutputTokens, where);
            assertEquals(-1, m.usageInputTokens, where);
        }
        m.finish(null, null, m.endNanos);
        assertEquals(Outcome.OK, m.outcome, where + ": " + m.error);
    }

    @Test
    void geminiStreamWithThoughtsRoundTripsAtEveryCut() {
        Sent sent = encode(new GeminiSimApi(), true, true, 0, "stop");
        for (int[] cuts : StreamReplay.cutPlans(sent.bytes().length)) {
            RequestMeasurement m = StreamReplay.replay(sent.bytes(), cuts, new GeminiApi()::newDecoder);
            assertDecodesExactly(sent, true, m, "cut at " + (cuts.length == 2 ? cuts[0] : cuts.length + " reads"));
        }
    }

    @Test
    void vertexStreamRoundTripsAtEveryCut() {
        Sent sent = encode(GeminiSimApi.vertex(), true, true, 0, "length");
        for (int[] cuts : StreamReplay.cutPlans(sent.bytes().length)) {
            RequestMeasurement m = StreamReplay.replay(sent.bytes(), cuts, new VertexGeminiApi()::newDecoder);
            assertDecodesExactly(sent, true, m, "cut at " + (cuts.length == 2 ? cuts[0] : cuts.length + " reads"));
        }
    }

    @Test
    void everyVariantRoundTrips() {
        for (SimApi api : List.of(new GeminiSimApi(), GeminiSimApi.vertex())) {
            for (boolean usage : new boolean[] {true, false}) {
                for (int hidden : new int[] {0, 37}) {
                    Sent sent = encode(api, usage, false, hidden, "stop");
                    RequestMeasurement m = StreamReplay.replay(sent.bytes(), new int[] {sent.bytes().length},
                            new GeminiApi()::newDecoder);
                    String where = api.api() + " usage=" + usage + " hidden=" + hidden;
                    assertDecodesExactly(sent, usage, m, where);
                    if (usage) {
                        assertEquals(hidden, m.usageReasoningTokens, where + ": hidden thinking is only in usage");
                    }
                }
            }
        }
    }

    @Test
    void chunksAreGenerateContentResponsesInEachFormsShape() throws Exception {
        Sent gemini = encode(new GeminiSimApi(), true, true, 0, "length");
        List<JsonNode> chunks = chunks(gemini.bytes());
        assertEquals(gemini.events() + 1, chunks.size());
        JsonNode thought = chunks.get(0);
        assertTrue(thought.at("/candidates/0/content/parts/0/thought").asBoolean());
        assertEquals("model", thought.at("/candidates/0/content/role").asText());
        assertEquals("gemini-2.5-flash", thought.get("modelVersion").asText());
        assertEquals(GeminiSimApi.responseId(HEX_ID), thought.get("responseId").asText());
        assertEquals("ASNFZ4mrze8BI0VniavN7w", thought.get("responseId").asText());
        assertFalse(chunks.get(3).at("/candidates/0/content/parts/0").has("thought"));
        assertFalse(chunks.get(3).has("usageMetadata"), "the Gemini API sends usage at the end");
        JsonNode last = chunks.get(chunks.size() - 1);
        assertEquals("MAX_TOKENS", last.at("/candidates/0/finishReason").asText());
        assertEquals(PROMPT_TOKENS, last.at("/usageMetadata/promptTokenCount").asInt());
        assertEquals(gemini.visibleTokens(), last.at("/usageMetadata/candidatesTokenCount").asInt());
        assertEquals(gemini.reasoningTokens(), last.at("/usageMetadata/thoughtsTokenCount").asInt());
        assertEquals(PROMPT_TOKENS + gemini.visibleTokens() + gemini.reasoningTokens(),
                last.at("/usageMetadata/totalTokenCount").asInt());
        String text = new String(gemini.bytes(), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \""), text);
        assertTrue(text.endsWith("}\r\n\r\n"));

        Sent vertex = encode(GeminiSimApi.vertex(), true, false, 0, "stop");
        List<JsonNode> vertexChunks = chunks(vertex.bytes());
        JsonNode first = vertexChunks.get(0);
        assertEquals("ON_DEMAND", first.at("/usageMetadata/trafficType").asText());
        assertEquals("2025-11-22T16:46:40.000000Z", first.get("createTime").asText());
        assertTrue(new String(vertex.bytes(), StandardCharsets.UTF_8)
                .startsWith("data: {\"candidates\": [{\"content\": {\"role\": \"model\",\"parts\": ["));
        JsonNode vertexLast = vertexChunks.get(vertexChunks.size() - 1);
        assertEquals("STOP", vertexLast.at("/candidates/0/finishReason").asText());
        assertFalse(vertexLast.get("usageMetadata").has("thoughtsTokenCount"), "zero counts are left out");
    }

    private static List<JsonNode> chunks(byte[] bytes) throws Exception {
        List<JsonNode> chunks = new java.util.ArrayList<>();
        for (String event : new String(bytes, StandardCharsets.UTF_8).split("\r\n\r\n")) {
            assertTrue(event.startsWith("data: "), event);
            chunks.add(JSON.readTree(event.substring("data: ".length())));
        }
        return chunks;
    }
}
