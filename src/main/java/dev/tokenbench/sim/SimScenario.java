package dev.tokenbench.sim;

import java.time.Duration;

/**
 * How one simulated endpoint behaves. Times are scheduled on absolute offsets from the moment the request was
 * received, so a late timer never shifts the tokens after it (no drift).
 *
 * <p>A reasoning phase comes first: {@code reasoningTokens} at the scenario's rate, then the visible answer. When it
 * is streamed (visible, and the request asked to see it) its events start at {@code ttft} and the answer follows
 * them; when it is hidden it is a silent delay of reasoningTokens / rate between {@code ttft} and the first
 * visible token, as a reasoning model whose thinking the API does not show.
 *
 * @param headersDelay        from request received to status line and headers
 * @param ttft                from request received to the first output event (reasoning or visible); with a
 *                            hidden reasoning phase, to the start of that phase
 * @param tokensPerSecond     output tokens per second after the first output event (reasoning ones included)
 * @param jitter              0..1: each inter-token gap varies uniformly by ±jitter of its length
 * @param tokensPerChunk      tokens per streamed event
 * @param outputTokens        visible tokens per response; null: the request's max-tokens field, else 64
 * @param includeUsage        send usage when the request asks for it
 * @param slowShare           0..1: share of requests served by the slow path (a degraded tail)
 * @param slowTtft            ttft of a slow request
 * @param slowTokensPerSecond rate of a slow request
 * @param seed                seeds the choice of slow requests and the jitter; same seed, same behaviour
 * @param reasoningTokens     reasoning tokens before the visible answer; 0: no reasoning phase
 * @param reasoningVisible    stream the reasoning phase as reasoning events when the request asks for them; false:
 *                            always hidden (counted only in usage)
 * @param ttftPerInFlight     added to ttft (and slow-ttft) for every request of this scenario already in flight when
 *                            one arrives: an endpoint that queues, whose TTFT grows with concurrency (a known knee)
 * @param allOut              ignore the pacing: write the whole response, encoded once, as fast as the socket takes it
 * @param faults              the faults injected into some or all requests ({@link SimFaults#NONE}: none)
 * @param pauseEveryEvents    0: no pauses; n: a pause of {@code pause} after every n output events (a
 *                            content-filter that releases text in bursts, or a stream that stalls now and then)
 * @param pause               how long each of those pauses lasts
 * @param reasoningAtOnce     a streamed reasoning phase is thought silently, then released as one event carrying
 *                            every reasoning token (hidden reasoning arriving as one burst)
 * @param prefill             prompt processing: ttft growing with uncached prompt tokens, prefix caching
 *                            ({@link SimPrefill#NONE}: neither)
 */
public record SimScenario(
        String name,
        Duration headersDelay,
        Duration ttft,
        double tokensPerSecond,
        double jitter,
        int tokensPerChunk,
        Integer outputTokens,
        boolean includeUsage,
        double slowShare,
        Duration slowTtft,
        double slowTokensPerSecond,
        long seed,
        int reasoningTokens,
        boolean reasoningVisible,
        Duration ttftPerInFlight,
        boolean allOut,
        SimFaults faults,
        int pauseEveryEvents,
        Duration pause,
        boolean reasoningAtOnce,
        SimPrefill prefill) {

    public SimScenario {
        if (faults == null) {
            faults = SimFaults.NONE;
        }
        if (pause == null) {
            pause = Duration.ZERO;
        }
        if (prefill == null) {
            prefill = SimPrefill.NONE;
        }
    }

    /** A plain fast endpoint: used when a benchmark names a scenario-less simulator. */
    public static SimScenario defaults(String name) {
        return SimScenario.builder()
                .name(name)
                .headersDelay(Duration.ZERO)
                .ttft(Duration.ofMillis(200))
                .tokensPerSecond(50)
                .jitter(0)
                .tokensPerChunk(1)
                .outputTokens(null)
                .includeUsage(true)
                .slowShare(0)
                .slowTtft(Duration.ofMillis(200))
                .slowTokensPerSecond(50)
                .seed(1)
                .reasoningTokens(0)
                .reasoningVisible(true)
                .ttftPerInFlight(Duration.ZERO)
                .allOut(false)
                .build();
    }

    /**
     * An endpoint as quick as a client can read: first token after 1 ms, then 2,000 tokens/s, a short visible
     * reasoning phase and usage, {@code outputTokens} per response. For warming code paths, not for measuring.
     */
    public static SimScenario quick(String name, int outputTokens) {
        return SimScenario.builder()
                .name(name)
                .headersDelay(Duration.ZERO)
                .ttft(Duration.ofMillis(1))
                .tokensPerSecond(2_000)
                .jitter(0)
                .tokensPerChunk(1)
                .outputTokens(outputTokens)
                .includeUsage(true)
                .slowShare(0)
                .slowTtft(Duration.ZERO)
                .slowTokensPerSecond(2_000)
                .seed(0)
                .reasoningTokens(2)
                .reasoningVisible(true)
                .build();
    }

    /** A copy with a reasoning phase. */
    public SimScenario withReasoning(int reasoningTokens, boolean reasoningVisible) {
        return toBuilder()
                .reasoningTokens(reasoningTokens)
                .reasoningVisible(reasoningVisible)
                .build();
    }

    /** A copy whose ttft grows by {@code perInFlight} for every request already in flight. */
    public SimScenario withTtftPerInFlight(Duration perInFlight) {
        return toBuilder()
                .ttftPerInFlight(perInFlight)
                .build();
    }

    /** A copy that writes its responses all out. */
    public SimScenario withAllOut(boolean allOut) {
        return toBuilder()
                .allOut(allOut)
                .build();
    }

    /** A copy with these fault rules. */
    public SimScenario withFaults(SimFaults faults) {
        return toBuilder()
                .faults(faults)
                .build();
    }

    /** SimScenario's fields by name, instead of one long positional call. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this SimScenario's fields. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Builds a {@link SimScenario} field by field. Unset fields: reasoningTokens 0, reasoningVisible true,
     * ttftPerInFlight Duration.ZERO, allOut false, faults SimFaults.NONE, pauseEveryEvents 0, pause Duration.ZERO,
     * reasoningAtOnce false; the rest null, 0 or false.
     */
    public static final class Builder {
        private String name;
        private Duration headersDelay;
        private Duration ttft;
        private double tokensPerSecond;
        private double jitter;
        private int tokensPerChunk;
        private Integer outputTokens;
        private boolean includeUsage;
        private double slowShare;
        private Duration slowTtft;
        private double slowTokensPerSecond;
        private long seed;
        private int reasoningTokens = 0;
        private boolean reasoningVisible = true;
        private Duration ttftPerInFlight = Duration.ZERO;
        private boolean allOut = false;
        private SimFaults faults = SimFaults.NONE;
        private int pauseEveryEvents = 0;
        private Duration pause = Duration.ZERO;
        private boolean reasoningAtOnce = false;
        private SimPrefill prefill = SimPrefill.NONE;

        private Builder() {
        }

        private Builder(SimScenario from) {
            name = from.name;
            headersDelay = from.headersDelay;
            ttft = from.ttft;
            tokensPerSecond = from.tokensPerSecond;
            jitter = from.jitter;
            tokensPerChunk = from.tokensPerChunk;
            outputTokens = from.outputTokens;
            includeUsage = from.includeUsage;
            slowShare = from.slowShare;
            slowTtft = from.slowTtft;
            slowTokensPerSecond = from.slowTokensPerSecond;
            seed = from.seed;
            reasoningTokens = from.reasoningTokens;
            reasoningVisible = from.reasoningVisible;
            ttftPerInFlight = from.ttftPerInFlight;
            allOut = from.allOut;
            faults = from.faults;
            pauseEveryEvents = from.pauseEveryEvents;
            pause = from.pause;
            reasoningAtOnce = from.reasoningAtOnce;
            prefill = from.prefill;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder headersDelay(Duration headersDelay) {
            this.headersDelay = headersDelay;
            return this;
        }

        public Builder ttft(Duration ttft) {
            this.ttft = ttft;
            return this;
        }

        public Builder tokensPerSecond(double tokensPerSecond) {
            this.tokensPerSecond = tokensPerSecond;
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

        public Builder outputTokens(Integer outputTokens) {
            this.outputTokens = outputTokens;
            return this;
        }

        public Builder includeUsage(boolean includeUsage) {
            this.includeUsage = includeUsage;
            return this;
        }

        public Builder slowShare(double slowShare) {
            this.slowShare = slowShare;
            return this;
        }

        public Builder slowTtft(Duration slowTtft) {
            this.slowTtft = slowTtft;
            return this;
        }

        public Builder slowTokensPerSecond(double slowTokensPerSecond) {
            this.slowTokensPerSecond = slowTokensPerSecond;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder reasoningTokens(int reasoningTokens) {
            this.reasoningTokens = reasoningTokens;
            return this;
        }

        public Builder reasoningVisible(boolean reasoningVisible) {
            this.reasoningVisible = reasoningVisible;
            return this;
        }

        public Builder ttftPerInFlight(Duration ttftPerInFlight) {
            this.ttftPerInFlight = ttftPerInFlight;
            return this;
        }

        public Builder allOut(boolean allOut) {
            this.allOut = allOut;
            return this;
        }

        public Builder faults(SimFaults faults) {
            this.faults = faults;
            return this;
        }

        public Builder pauseEveryEvents(int pauseEveryEvents) {
            this.pauseEveryEvents = pauseEveryEvents;
            return this;
        }

        public Builder pause(Duration pause) {
            this.pause = pause;
            return this;
        }

        public Builder reasoningAtOnce(boolean reasoningAtOnce) {
            this.reasoningAtOnce = reasoningAtOnce;
            return this;
        }

        public Builder prefill(SimPrefill prefill) {
            this.prefill = prefill;
            return this;
        }

        /** The one place the canonical constructor is called. */
        public SimScenario build() {
            return new SimScenario(name, headersDelay, ttft, tokensPerSecond, jitter, tokensPerChunk, outputTokens,
                    includeUsage, slowShare, slowTtft, slowTokensPerSecond, seed, reasoningTokens, reasoningVisible,
                    ttftPerInFlight, allOut, faults, pauseEveryEvents, pause, reasoningAtOnce, prefill);
        }
    }
}
