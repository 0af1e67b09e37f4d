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
 * @param pauses               pauses between bursts of events, and a streamed reasoning phase released at once
 */
record SimSchedule(long headersDelayNanos, long ttftNanos, double gapNanos, double jitter, int tokensPerChunk,
        int outputTokens, int reasoningTokens, boolean reasoningStreamed, Pauses pauses) {

    /**
     * @param everyEvents     0: none; n: {@code pauseNanos} more before event n, 2n, ...
     * @param reasoningAtOnce a streamed reasoning phase is one event, due once the phase has been thought silently
     */
    record Pauses(int everyEvents, long pauseNanos, boolean reasoningAtOnce) {
        static final Pauses NONE = new Pauses(0, 0, false);
    }

    SimSchedule {
        if (pauses == null) {
            pauses = Pauses.NONE;
        }
    }

    private boolean reasoningAtOnce() {
        return reasoningStreamed && pauses.reasoningAtOnce() && reasoningTokens > 0;
    }

    int reasoningEvents() {
        if (!reasoningStreamed) {
            return 0;
        }
        return reasoningAtOnce() ? 1 : eventsFor(reasoningTokens);
    }

    /** The most tokens an event of this schedule carries. */
    int maxTokensPerEvent() {
        return reasoningAtOnce() ? Math.max(tokensPerChunk, reasoningTokens) : tokensPerChunk;
    }

    /** Tokens in the next event, with {@code tokensLeft} of its phase still to send. */
    int tokensInEvent(boolean reasoning, int tokensLeft) {
        return reasoning && reasoningAtOnce() ? tokensLeft : Math.min(tokensPerChunk, tokensLeft);
    }

    /** The pauses due before event {@code eventIndex}, in nanoseconds. */
    long pausesBeforeNanos(int eventIndex) {
        return pauses.everyEvents() == 0 ? 0 : (long) (eventIndex / pauses.everyEvents()) * pauses.pauseNanos();
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
        if ((reasoningStreamed && !reasoningAtOnce()) || reasoningTokens == 0) {
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
        private Pauses pauses = Pauses.NONE;

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

        public Builder pauses(Pauses pauses) {
            this.pauses = pauses;
            return this;
        }

        /** The one place the canonical constructor is called. */
        public SimSchedule build() {
            return new SimSchedule(headersDelayNanos, ttftNanos, gapNanos, jitter, tokensPerChunk, outputTokens,
                    reasoningTokens, reasoningStreamed, pauses);
        }
    }
}
