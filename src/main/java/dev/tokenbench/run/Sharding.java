package dev.tokenbench.run;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How a run was sharded: for one shard's run, its own facts; for a run merged from shards ({@link ShardMerge}), every
 * shard's, and how far apart their first requests went out.
 *
 * @param group         the id the shards share; null when none was given
 * @param count         how many shards the run was split into
 * @param startAt       the instant every shard was told to start at ({@code --start-at}); null when none was
 * @param shards        this shard (one), or in a merged run every shard merged, by index
 * @param startSpreadMs merged runs: the latest shard's first measured send minus the earliest's, by the shards' wall
 *                      clocks (so it includes their clocks' offsets); NaN for one shard
 */
public record Sharding(String group, int count, Instant startAt, List<Shard> shards, double startSpreadMs) {

    /**
     * @param runId          the shard's own run id
     * @param firstSendAt    when its first measured request went out, by its wall clock; null when none did
     * @param startLatenessMs its first measured send minus the start instant (NaN without --start-at or a send)
     * @param clock          its wall clock's offset from the central service, as far as it could tell
     */
    public record Shard(int index, String runId, Instant firstSendAt, double startLatenessMs, ClockOffset clock) {
    }

    /**
     * @param offsetMs      this machine's wall clock minus the reference's (NaN: unknown)
     * @param uncertaintyMs half the round trip the estimate was made in (NaN: unknown)
     * @param source        what it was measured against: the central service's URL, or {@code none}
     */
    public record ClockOffset(double offsetMs, double uncertaintyMs, String source) {
        public static final ClockOffset UNKNOWN = new ClockOffset(Double.NaN, Double.NaN, "none");
    }

    /** The spread of the shards' first sends (ms), NaN when fewer than two sent anything. */
    public static double spreadMs(List<Shard> shards) {
        Instant first = null;
        Instant last = null;
        int known = 0;
        for (Shard s : shards) {
            if (s.firstSendAt() == null) {
                continue;
            }
            known++;
            first = first == null || s.firstSendAt().isBefore(first) ? s.firstSendAt() : first;
            last = last == null || s.firstSendAt().isAfter(last) ? s.firstSendAt() : last;
        }
        return known < 2 ? Double.NaN : Duration.between(first, last).toNanos() / 1e6;
    }
}
