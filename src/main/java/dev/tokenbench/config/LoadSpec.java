package dev.tokenbench.config;

import java.time.Duration;

/**
 * The load block. Closed loop: {@code concurrency} workers per target, each sends its next request when the last
 * one ends. Open loop: requests start on a schedule computed up front ({@link OpenLoop}), independent of
 * responses; {@code concurrency} is then the in-flight cap. Either way {@code requests} measured requests per
 * target follow {@code warmup} uncounted ones.
 *
 * @param open the arrival process of an open-loop run, null for closed loop
 */
public record LoadSpec(
        String mode,
        int concurrency,
        int requests,
        int warmup,
        Duration timeout,
        Duration stallTimeout,
        OpenLoop open) {
    public static final String CLOSED = "closed";
    public static final String OPEN = "open";

    public LoadSpec(String mode, int concurrency, int requests, int warmup, Duration timeout, Duration stallTimeout) {
        this(mode, concurrency, requests, warmup, timeout, stallTimeout, null);
    }

    /**
     * @param ratePerSecond mean request starts per second, per target
     * @param arrival       {@code fixed} (evenly spaced) or {@code poisson} (exponential gaps)
     * @param seed          seeds the Poisson gaps: the same seed gives the same schedule
     */
    public record OpenLoop(double ratePerSecond, String arrival, long seed) {
        public static final String FIXED = "fixed";
        public static final String POISSON = "poisson";
    }
}
