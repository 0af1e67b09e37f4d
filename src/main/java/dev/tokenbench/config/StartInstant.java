package dev.tokenbench.config;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * {@code --start-at}: the wall-clock instant at which every shard of a run starts its first measured request, as
 * RFC 3339 ({@code 2026-12-06T18:00:00Z}, {@code 2026-12-06T19:00:00.250+01:00}) or milliseconds since the epoch.
 */
public final class StartInstant {
    /** An instant further ahead than this is a typo (seconds for milliseconds, a wrong year), not a plan. */
    public static final Duration MAX_AHEAD = Duration.ofHours(24);

    private StartInstant() {
    }

    /**
     * @param now the wall clock now, to refuse an instant more than {@link #MAX_AHEAD} ahead
     * @throws IllegalArgumentException naming the option, what was found and the forms it takes
     */
    public static Instant parse(String text, Instant now) {
        String value = text.strip();
        Instant instant;
        if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
            if (value.length() > 15) {
                throw new IllegalArgumentException(problem(text, "too many digits for milliseconds since the epoch"));
            }
            instant = Instant.ofEpochMilli(Long.parseLong(value));
        } else {
            try {
                instant = OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(problem(text, "neither RFC 3339 nor milliseconds since the epoch"));
            }
        }
        if (instant.isAfter(now.plus(MAX_AHEAD))) {
            throw new IllegalArgumentException(problem(text, "more than " + MAX_AHEAD.toHours()
                    + " hours ahead (" + instant + ")"));
        }
        return instant;
    }

    private static String problem(String text, String why) {
        return "--start-at must be an instant as RFC 3339 (e.g. 2026-12-06T18:00:00Z) or milliseconds since the "
                + "epoch (e.g. 1796580000000); '" + text + "' is " + why;
    }
}
