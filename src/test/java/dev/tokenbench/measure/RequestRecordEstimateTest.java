package dev.tokenbench.measure;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tokenizer count beside the usage count, and what estimate-output-tokens: without-usage leaves out. */
class RequestRecordEstimateTest {
    private static final String TEXT = "The quick brown fox jumps over the lazy dog.";
    private static final String THOUGHT = "Let me think about foxes first.";

    @Test
    void alongsideUsageBothCountsAreKept() {
        RequestRecord r = RequestRecord.of(finished(true, true), "t", null, 5, null, true);
        assertEquals(99, r.outputTokens(), "usage wins");
        assertFalse(r.tokensEstimated());
        assertEquals(count(TEXT) + count(THOUGHT), r.estimatedOutputTokens());
    }

    @Test
    void withoutUsageOnlyTheUsageCountIsKept() {
        RequestRecord r = RequestRecord.of(finished(true, true), "t", null, 5, null, false);
        assertEquals(99, r.outputTokens());
        assertEquals(7, r.reasoningTokens(), "the provider's reasoning count");
        assertEquals(-1, r.estimatedOutputTokens(), "not counted");
    }

    @Test
    void withoutUsageReportedTheTextIsCountedEitherWay() {
        for (boolean alongside : new boolean[] {true, false}) {
            RequestRecord r = RequestRecord.of(finished(false, false), "t", null, 5, null, alongside);
            assertTrue(r.tokensEstimated());
            assertEquals(count(TEXT) + count(THOUGHT), r.outputTokens());
            assertEquals(count(THOUGHT), r.reasoningTokens());
            assertEquals(r.outputTokens(), r.estimatedOutputTokens());
        }
    }

    @Test
    void usageWithoutAReasoningCountStillCountsTheReasoningText() {
        RequestMeasurement m = finished(false, false);
        m.onUsage(5, 99, -1, -1);
        RequestRecord r = RequestRecord.of(m, "t", null, 5, null, false);
        assertEquals(99, r.outputTokens());
        assertEquals(count(THOUGHT), r.reasoningTokens());
        assertEquals(-1, r.estimatedOutputTokens());
    }

    private static RequestMeasurement finished(boolean usage, boolean reasoningUsage) {
        RequestMeasurement m = new RequestMeasurement("r", 0, 0, false, "p", null);
        m.sentNanos = 1_000;
        byte[] thought = THOUGHT.getBytes(StandardCharsets.UTF_8);
        m.reasoningText().append(thought, 0, thought.length);
        m.onContentEvent(2_000_000, false);
        byte[] text = TEXT.getBytes(StandardCharsets.UTF_8);
        m.visibleText.append(text, 0, text.length);
        m.onContentEvent(3_000_000, true);
        if (usage) {
            m.onUsage(5, 99, reasoningUsage ? 7 : -1, -1);
        }
        m.onStreamEnd(4_000_000);
        m.finish(null, null, 4_000_000);
        return m;
    }

    private static long count(String text) {
        return TokenCounter.count(TokenCounter.DEFAULT_ENCODING, text);
    }
}
