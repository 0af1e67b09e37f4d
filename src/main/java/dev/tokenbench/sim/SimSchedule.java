package dev.tokenbench.sim;

/**
 * When one response's bytes are due, as offsets from the request's receipt.
 *
 * @param gapNanos nominal time between content events: tokensPerChunk / tokensPerSecond
 * @param jitter   0..1: each event after the first moves uniformly by up to ±jitter × gap
 */
record SimSchedule(long headersDelayNanos, long ttftNanos, double gapNanos, double jitter, int tokensPerChunk,
        int outputTokens) {

    int contentEvents() {
        return (outputTokens + tokensPerChunk - 1) / tokensPerChunk;
    }
}
