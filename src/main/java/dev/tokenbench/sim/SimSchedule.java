package dev.tokenbench.sim;

/**
 * When one response's bytes are due, as offsets from the request's receipt. Events are numbered over the whole
 * stream, streamed reasoning first: event k is due at {@link #firstEventOffsetNanos()} + k × gap, so the visible
 * answer continues the reasoning phase's cadence.
 *
 * @param gapNanos             nominal time between output events: tokensPerChunk / tokensPerSecond
 * @param jitter               0..1: each event after the first moves uniformly by up to ±jitter × gap
 * @param outputTokens         visible tokens
 * @param reasoningTokens      reasoning tokens, streamed or hidden
 * @param reasoningStreamed    true: reasoning tokens go out as reasoning events; false: they are a silent delay
 */
record SimSchedule(long headersDelayNanos, long ttftNanos, double gapNanos, double jitter, int tokensPerChunk,
        int outputTokens, int reasoningTokens, boolean reasoningStreamed) {

    int reasoningEvents() {
        return reasoningStreamed ? eventsFor(reasoningTokens) : 0;
    }

    int visibleEvents() {
        return eventsFor(outputTokens);
    }

    int events() {
        return reasoningEvents() + visibleEvents();
    }

    /**
     * Due offset of event 0: ttft, plus the hidden reasoning phase when it is not streamed. The hidden phase lasts
     * exactly reasoningTokens / rate, not whole chunks: nothing is chunked when nothing is sent.
     */
    long firstEventOffsetNanos() {
        if (reasoningStreamed || reasoningTokens == 0) {
            return ttftNanos;
        }
        return ttftNanos + (long) (reasoningTokens * gapNanos / tokensPerChunk);
    }

    private int eventsFor(int tokens) {
        return (tokens + tokensPerChunk - 1) / tokensPerChunk;
    }
}
