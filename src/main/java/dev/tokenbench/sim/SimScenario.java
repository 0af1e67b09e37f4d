package dev.tokenbench.sim;

import java.time.Duration;

/**
 * How one simulated endpoint behaves. Times are scheduled on absolute offsets from the moment the request was
 * received, so a late timer never shifts the tokens after it (no drift).
 *
 * @param headersDelay        from request received to status line and headers
 * @param ttft                from request received to the first content token
 * @param tokensPerSecond     content tokens per second after the first token
 * @param jitter              0..1: each inter-token gap varies uniformly by ±jitter of its length
 * @param tokensPerChunk      tokens per streamed event
 * @param outputTokens        tokens per response; null: the request's max-tokens field, else 64
 * @param includeUsage        send the usage chunk when the request asks for it
 * @param slowShare           0..1: share of requests served by the slow path (a degraded tail)
 * @param slowTtft            ttft of a slow request
 * @param slowTokensPerSecond rate of a slow request
 * @param seed                seeds the choice of slow requests and the jitter; same seed, same behaviour
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
        long seed) {

    /** A plain fast endpoint: used when a benchmark names a scenario-less simulator. */
    public static SimScenario defaults(String name) {
        return new SimScenario(name, Duration.ZERO, Duration.ofMillis(200), 50, 0, 1, null, true,
                0, Duration.ofMillis(200), 50, 1);
    }
}
