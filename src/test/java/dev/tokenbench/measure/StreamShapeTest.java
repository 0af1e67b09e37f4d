package dev.tokenbench.measure;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The verdict's rules at their boundaries, and the pause rule of one request. */
class StreamShapeTest {

    @Test
    void verdictRulesAtTheirBoundaries() {
        double justUnderChunked = Math.nextDown(StreamShape.CHUNKED_TOKENS_PER_EVENT);
        double justUnderPaused = Math.nextDown(StreamShape.PAUSED_SHARE);
        assertEquals(StreamShape.SMOOTH, StreamShape.verdict(1.0, 0.0));
        assertEquals(StreamShape.SMOOTH, StreamShape.verdict(justUnderChunked, justUnderPaused));
        assertEquals(StreamShape.CHUNKED, StreamShape.verdict(StreamShape.CHUNKED_TOKENS_PER_EVENT, justUnderPaused));
        assertEquals(StreamShape.STALLING, StreamShape.verdict(justUnderChunked, StreamShape.PAUSED_SHARE));
        assertEquals(StreamShape.BUFFERED, StreamShape.verdict(StreamShape.CHUNKED_TOKENS_PER_EVENT,
                StreamShape.PAUSED_SHARE));
        assertEquals(StreamShape.BUFFERED, StreamShape.verdict(40, 0.9));
        assertEquals(StreamShape.UNKNOWN, StreamShape.verdict(Double.NaN, 0.1));
        assertEquals(StreamShape.UNKNOWN, StreamShape.verdict(1.0, Double.NaN));
    }

    @Test
    void aPauseIsAGapOverTheFloorAndFiveMediansWhicheverIsLonger() {
        // Median 10 ms: the 250 ms floor rules; 249.999 ms is no pause, 250 ms and 900 ms are.
        int[] gaps = {10_000, 10_000, 249_999, 10_000, 250_000, 10_000, 900_000};
        assertEquals(1_150_000, StreamShape.pauseMicros(gaps, gaps.length));
        // A slow, steady stream (a token a second) never pauses: its threshold is 5 s.
        int[] slow = {1_000_000, 1_100_000, 900_000, 1_000_000, 4_999_999};
        assertEquals(0, StreamShape.pauseMicros(slow, slow.length));
        int[] slowWithStall = {1_000_000, 1_000_000, 5_000_000, 1_000_000};
        assertEquals(5_000_000, StreamShape.pauseMicros(slowWithStall, slowWithStall.length));
        // Only the first count gaps are the request's (a pooled buffer holds older ones after them).
        int[] pooled = {10_000, 300_000, 10_000, 999_999_999};
        assertEquals(300_000, StreamShape.pauseMicros(pooled, 3));
        assertEquals(0, StreamShape.pauseMicros(new int[4], 0));
        assertEquals(250_000, StreamShape.pauseThresholdMicros(0));
        assertEquals(500_000, StreamShape.pauseThresholdMicros(100_000));
    }

    @Test
    void aRequestsPauseShareIsItsPausedTimeOverItsStreamingTime() {
        InterTokenLatencyLane lane = new InterTokenLatencyLane();
        RequestMeasurement m = new RequestMeasurement("r", 0, 0, false, "p", lane);
        long t = 1_000_000_000L;
        m.sentNanos = t - 50_000_000;
        long[] arrivals = {t, t + 10_000_000, t + 20_000_000, t + 420_000_000, t + 430_000_000};
        for (long a : arrivals) {
            m.visibleText.append((byte) 'x');
            m.onContentEvent(a, true);
        }
        m.onUsage(5, 10, 0, 0);
        m.onStreamEnd(t + 431_000_000);
        m.finish(null, null, t + 431_000_000);
        m.recordInterTokenLatency();
        RequestRecord r = RequestRecord.of(m, "t", TokenCounter.DEFAULT_ENCODING, 5, null);
        // One 400 ms gap of 430 ms from first to last content event; 10 tokens in 5 events.
        assertEquals(0.93, r.pauseShare(), 1e-9);
        assertEquals(2.0, r.tokensPerEvent(), 1e-9);
    }
}
