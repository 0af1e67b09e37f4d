package dev.tokenbench.config;

import dev.tokenbench.measure.TokenPrices;

/** USD per one million tokens. */
public record Pricing(double inputPer1m, double outputPer1m) implements TokenPrices {
    public static final Pricing NONE = new Pricing(0, 0);

    @Override
    public double costUsd(long inputTokens, long outputTokens) {
        return (inputTokens * inputPer1m + outputTokens * outputPer1m) / 1_000_000.0;
    }
}
