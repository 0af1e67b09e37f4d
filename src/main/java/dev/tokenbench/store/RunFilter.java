package dev.tokenbench.store;

import java.time.Instant;

/**
 * Which runs to list, newest first. Every field may be null (no filter); limit at most {@link #MAX_LIMIT}.
 *
 * @param benchmark the benchmark's name
 * @param target    runs that have a target of this name
 */
public record RunFilter(String benchmark, String target, String probe, Instant since, int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public static RunFilter all() {
        return new RunFilter(null, null, null, null, DEFAULT_LIMIT);
    }

    public RunFilter {
        limit = limit <= 0 ? DEFAULT_LIMIT : Math.min(limit, MAX_LIMIT);
    }
}
