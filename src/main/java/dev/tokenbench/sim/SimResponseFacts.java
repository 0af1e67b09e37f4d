package dev.tokenbench.sim;

/**
 * What the simulator decided about a response before its first byte.
 *
 * @param responseId          an id in the provider's style is the encoder's business; this is a random base
 *                            (hex) to build it from
 * @param createdEpochSeconds wall-clock creation time, for formats that carry one
 * @param sendsUsage          true when the stream ends with usage (requested, and the scenario includes it)
 * @param visibleReasoning    true when reasoning tokens are streamed as reasoning events; false when the
 *                            reasoning phase is hidden (a silent delay, counted only in usage)
 * @param seed                the scenario's seed, for anything an encoder varies (fingerprints)
 */
public record SimResponseFacts(String responseId, long createdEpochSeconds, boolean sendsUsage,
        boolean visibleReasoning, long seed) {
}
