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

    /** SimSchedule's fields by name, instead of one long positional call. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link SimSchedule} field by field. Unset fields are null, 0 or false. */
    public static final class Builder {
        private long headersDelayNanos;
        private long ttftNanos;
        private double gapNanos;
        private double jitter;
        private int tokensPerChunk;
        private int outputTokens;
        private int reasoningTokens;
        private boolean reasoningStreamed;

        private Builder() {
        }

        public Builder headersDelayNanos(long headersDelayNanos) {
            this.headersDelayNanos = headersDelayNanos;
            return this;
        }

        public Builder ttftNanos(long ttftNanos) {
            this.ttftNanos = ttftNanos;
            return this;
        }

        public Builder gapNanos(double gapNanos) {
            this.gapNanos = gapNanos;
            return this;
        }

        public Builder jitter(double jitter) {
            this.jitter = jitter;
            return this;
        }

        public Builder tokensPerChunk(int tokensPerChunk) {
            this.tokensPerChunk = tokensPerChunk;
            return this;
        }

        public Builder outputTokens(int outputTokens) {
            this.outputTokens = outputTokens;
            return this;
        }

        public Builder reasoningTokens(int reasoningTokens) {
            this.reasoningTokens = reasoningTokens;
            return this;
        }

        public Builder reasoningStreamed(boolean reasoningStreamed) {
            this.reasoningStreamed = reasoningStreamed;
            return this;
        }

        /** The one place the canonical constructor is called. */
        public SimSchedule build() {
            return new SimSchedule(headersDelayNanos, ttftNanos, gapNanos, jitter, tokensPerChunk, outputTokens,
                    reasoningTokens, reasoningStreamed);
        }
    }
}
