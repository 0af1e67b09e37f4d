package dev.tokenbench.measure;

import java.time.Duration;

/**
 * The SLO a request is judged by: usable when its ttft is at most {@link #ttft()} and its stream TPS at least
 * {@link #streamTokensPerSecond()}. The benchmark file's block (config's {@code SloSpec}) is one.
 */
public interface Slo {
    Duration ttft();

    double streamTokensPerSecond();
}
