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
        SimFaults faults) {

    public SimScenario {
        if (faults == null) {
            faults = SimFaults.NONE;
        }
    }

    /** A scenario without faults (what every scenario was before fault injection). */
    public SimScenario(String name, Duration headersDelay, Duration ttft, double tokensPerSecond, double jitter,
            int tokensPerChunk, Integer outputTokens, boolean includeUsage, double slowShare, Duration slowTtft,
            double slowTokensPerSecond, long seed, int reasoningTokens, boolean reasoningVisible,
            Duration ttftPerInFlight, boolean allOut) {
        this(name, headersDelay, ttft, tokensPerSecond, jitter, tokensPerChunk, outputTokens, includeUsage,
                slowShare, slowTtft, slowTokensPerSecond, seed, reasoningTokens, reasoningVisible, ttftPerInFlight,
                allOut, SimFaults.NONE);
    }

    /** A scenario without a reasoning phase (what every scenario was before reasoning models). */
    public SimScenario(String name, Duration headersDelay, Duration ttft, double tokensPerSecond, double jitter,
            int tokensPerChunk, Integer outputTokens, boolean includeUsage, double slowShare, Duration slowTtft,
            double slowTokensPerSecond, long seed) {
        this(name, headersDelay, ttft, tokensPerSecond, jitter, tokensPerChunk, outputTokens, includeUsage,
                slowShare, slowTtft, slowTokensPerSecond, seed, 0, true, Duration.ZERO, false);
    }

    /** A scenario with a reasoning phase and none of the later settings. */
    public SimScenario(String name, Duration headersDelay, Duration ttft, double tokensPerSecond, double jitter,
            int tokensPerChunk, Integer outputTokens, boolean includeUsage, double slowShare, Duration slowTtft,
            double slowTokensPerSecond, long seed, int reasoningTokens, boolean reasoningVisible) {
        this(name, headersDelay, ttft, tokensPerSecond, jitter, tokensPerChunk, outputTokens, includeUsage,
                slowShare, slowTtft, slowTokensPerSecond, seed, reasoningTokens, reasoningVisible, Duration.ZERO,
                false);
    }

    /** A plain fast endpoint: used when a benchmark names a scenario-less simulator. */
    public static SimScenario defaults(String name) {
        return new SimScenario(name, Duration.ZERO, Duration.ofMillis(200), 50, 0, 1, null, true,
                0, Duration.ofMillis(200), 50, 1, 0, true, Duration.ZERO, false);
    }

    /**
     * An endpoint as quick as a client can read: first token after 1 ms, then 2,000 tokens/s, a short visible
     * reasoning phase and usage, {@code outputTokens} per response. For warming code paths, not for measuring.
     */
    public static SimScenario quick(String name, int outputTokens) {
        return new SimScenario(name, Duration.ZERO, Duration.ofMillis(1), 2_000, 0, 1, outputTokens, true, 0,
                Duration.ZERO, 2_000, 0, 2, true);
    }

    /** A copy with a reasoning phase. */
    public SimScenario withReasoning(int reasoningTokens, boolean reasoningVisible) {
        return new SimScenario(name, headersDelay, ttft, tokensPerSecond, jitter, tokensPerChunk, outputTokens,
                includeUsage, slowShare, slowTtft, slowTokensPerSecond, seed, reasoningTokens, reasoningVisible,
                ttftPerInFlight, allOut, faults);
    }

    /** A copy whose ttft grows by {@code perInFlight} for every request already in flight. */
    public SimScenario withTtftPerInFlight(Duration perInFlight) {
        return new SimScenario(name, headersDelay, ttft, tokensPerSecond, jitter, tokensPerChunk, outputTokens,
                includeUsage, slowShare, slowTtft, slowTokensPerSecond, seed, reasoningTokens, reasoningVisible,
                perInFlight, allOut, faults);
    }

    /** A copy that writes its responses all out. */
    public SimScenario withAllOut(boolean allOut) {
        return new SimScenario(name, headersDelay, ttft, tokensPerSecond, jitter, tokensPerChunk, outputTokens,
                includeUsage, slowShare, slowTtft, slowTokensPerSecond, seed, reasoningTokens, reasoningVisible,
                ttftPerInFlight, allOut, faults);
    }

    /** A copy with these fault rules. */
    public SimScenario withFaults(SimFaults faults) {
        return new SimScenario(name, headersDelay, ttft, tokensPerSecond, jitter, tokensPerChunk, outputTokens,
                includeUsage, slowShare, slowTtft, slowTokensPerSecond, seed, reasoningTokens, reasoningVisible,
                ttftPerInFlight, allOut, faults);
    }
}
