package dev.tokenbench.provider;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tokenbench.fuzz.EventStreamFuzzInput;
import dev.tokenbench.fuzz.FuzzReads;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestMeasurement;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of every API's stream decoder, as the registry builds it for a run. Whatever the
 * body and however it is cut into reads, a decoder throws nothing (a broken stream is a classified outcome,
 * protocol_error for a malformed one), and what it measured does not depend on where the reads ended. In
 * {@code mvn verify} Jazzer replays the seed corpus (DecoderFuzzTestInputs/&lt;api&gt;: the golden streams);
 * {@code JAZZER_FUZZ=1} (bench/fuzz.sh) mutates it.
 */
class DecoderFuzzTest {
    private static final ProviderRegistry PROVIDERS = ProviderRegistry.defaults();

    @FuzzTest
    void openaiChat(byte[] body) {
        check("openai-chat", body);
    }

    @FuzzTest
    void openaiResponses(byte[] body) {
        check("openai-responses", body);
    }

    @FuzzTest
    void azureOpenai(byte[] body) {
        check("azure-openai", body);
    }

    @FuzzTest
    void azureOpenaiResponses(byte[] body) {
        check("azure-openai-responses", body);
    }

    @FuzzTest
    void anthropic(byte[] body) {
        check("anthropic", body);
    }

    @FuzzTest
    void gemini(byte[] body) {
        check("gemini", body);
    }

    @FuzzTest
    void vertexGemini(byte[] body) {
        check("vertex-gemini", body);
    }

    /** Inputs are turned into event-stream bodies with valid CRCs, see {@link EventStreamFuzzInput}. */
    @FuzzTest
    void bedrockConverse(byte[] input) {
        byte[] body = EventStreamFuzzInput.body(input);
        check("bedrock-converse", body, FuzzReads.cuts(input, body.length));
    }

    private static void check(String api, byte[] body) {
        check(api, body, FuzzReads.cuts(body, body.length));
    }

    private static void check(String api, byte[] body, int[] cuts) {
        RequestMeasurement whole = decode(api, body, new int[0]);
        RequestMeasurement cut = decode(api, body, cuts);
        assertNotNull(cut.outcome);
        assertEquals(whole.outcome, cut.outcome);
        assertEquals(whole.error, cut.error);
        assertEquals(whole.contentEvents, cut.contentEvents);
        assertEquals(whole.streamEndSeen, cut.streamEndSeen);
        assertEquals(whole.usageInputTokens, cut.usageInputTokens);
        assertEquals(whole.usageOutputTokens, cut.usageOutputTokens);
        assertEquals(whole.usageReasoningTokens, cut.usageReasoningTokens);
        assertEquals(whole.usageCachedInputTokens, cut.usageCachedInputTokens);
        assertTrue(Arrays.equals(bytes(whole.visibleText), bytes(cut.visibleText)), "visible text");
        assertTrue(Arrays.equals(bytes(whole.reasoningTextOrNull()), bytes(cut.reasoningTextOrNull())),
                "reasoning text");
        if (cut.outcome == Outcome.OK) {
            assertTrue(cut.streamEndSeen, "ok without the stream's end event");
        }
        if (cut.firstTokenNanos != 0) {
            assertTrue(cut.firstOutputNanos != 0 && cut.firstOutputNanos <= cut.firstTokenNanos,
                    "first output after the first token");
        }
        assertTrue(cut.lastContentNanos <= cut.endNanos, "content after the end");
    }

    private static RequestMeasurement decode(String api, byte[] body, int[] cuts) {
        RequestMeasurement m = new RequestMeasurement("fuzz", 0, 0, false, "p", null);
        m.sentNanos = 1;
        StreamDecoder decoder = PROVIDERS.get(api).newDecoder(m);
        long end = FuzzReads.feed(body, cuts, 1, decoder::onBytes);
        decoder.onBodyEnd(end);
        m.finish(null, null, end + 1);
        return m;
    }

    private static byte[] bytes(dev.tokenbench.wire.ByteSink sink) {
        return sink == null ? new byte[0] : Arrays.copyOf(sink.array(), sink.length());
    }
}
