package dev.tokenbench.sim;

/**
 * Prompt processing in a scenario: how TTFT grows with the prompt, and whether a prompt prefix seen before is
 * served from a cache.
 *
 * @param tokensPerSecond prefill rate: each uncached prompt token adds 1 / rate seconds to ttft; 0: the prompt's
 *                        length does not change ttft
 * @param prefixCache     count the part of a prompt already sent by an earlier request of this scenario (whole
 *                        messages from the start: system, then the turns) as cached: reported as cached tokens in
 *                        the API's usage, and left out of the prefill time
 */
public record SimPrefill(double tokensPerSecond, boolean prefixCache) {
    /** No prefill time, no cache: the scenario's ttft whatever the prompt. */
    public static final SimPrefill NONE = new SimPrefill(0, false);

    /** Whether requests must have their prompt counted before their schedule is made. */
    public boolean active() {
        return tokensPerSecond > 0 || prefixCache;
    }

    /** The prefill time of {@code uncachedTokens}. */
    public long prefillNanos(int uncachedTokens) {
        return tokensPerSecond > 0 ? (long) (uncachedTokens * 1e9 / tokensPerSecond) : 0;
    }
}
