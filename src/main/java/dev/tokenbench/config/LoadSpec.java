package dev.tokenbench.config;

import java.time.Duration;

/**
 * The load block. Closed loop: {@code concurrency} workers per target, {@code requests} measured requests per
 * target after {@code warmup} uncounted ones.
 */
public record LoadSpec(
        String mode,
        int concurrency,
        int requests,
        int warmup,
        Duration timeout,
        Duration stallTimeout) {
    public static final String CLOSED = "closed";
}
