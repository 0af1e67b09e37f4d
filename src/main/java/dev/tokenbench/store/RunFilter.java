package dev.tokenbench.store;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

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

    /**
     * A {@code since} filter as the API and {@code compare} take it: an ISO-8601 instant, or a range back from now
     * like 30m, 4h, 1d, 7d.
     *
     * @throws IllegalArgumentException naming the forms it takes
     */
    public static Instant parseSince(String since, Instant now) {
        try {
            return Instant.parse(since.strip());
        } catch (DateTimeParseException e) {
            try {
                return now.minus(parseRange(since));
            } catch (RuntimeException bad) {
                throw new IllegalArgumentException("since must be an ISO-8601 instant (2025-05-01T10:00:00Z) or "
                        + "a range like 4h, 1d, 7d; found '" + since + "'");
            }
        }
    }

    /** A range like 30m, 4h, 1d, 7d. */
    public static Duration parseRange(String range) {
        String r = range.strip().toLowerCase(Locale.ROOT);
        if (r.length() < 2) {
            throw new IllegalArgumentException("range '" + range + "'");
        }
        long n = Long.parseLong(r.substring(0, r.length() - 1));
        if (n < 0) {
            throw new IllegalArgumentException("range '" + range + "'");
        }
        return switch (r.charAt(r.length() - 1)) {
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("range '" + range + "'");
        };
    }
}
