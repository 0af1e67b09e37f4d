package dev.tokenbench.output;

import java.time.Duration;
import java.time.Instant;

/**
 * How long the history store keeps runs, applied after each stored run.
 *
 * @param maxAge  runs older than this are deleted; null: no age limit
 * @param maxRuns only the newest this many are kept; 0: no limit
 */
public record Retention(Duration maxAge, int maxRuns) {
    /** Keep everything (the CLI's runs: retention is the service's job). */
    public static final Retention NONE = new Retention(null, 0);

    boolean prunes() {
        return maxAge != null || maxRuns > 0;
    }

    Instant cutOff(Instant now) {
        return maxAge == null ? null : now.minus(maxAge);
    }
}
