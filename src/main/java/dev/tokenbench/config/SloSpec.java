package dev.tokenbench.config;

import dev.tokenbench.measure.Slo;

import java.time.Duration;

/** A request is "usable" when ttft <= ttft and stream_tps >= streamTokensPerSecond. */
public record SloSpec(Duration ttft, double streamTokensPerSecond) implements Slo {
    public static final SloSpec DEFAULT = new SloSpec(Duration.ofSeconds(10), 20);
}
