package dev.tokenbench.measure;

/** What a request's tokens cost: the target's pricing (config's {@code Pricing} is one). */
public interface TokenPrices {
    double costUsd(long inputTokens, long outputTokens);
}
