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
 * @param startSpreadMs merged runs: how far apart the shards began their schedules: with a start instant, the
 *                      latest shard's start lateness minus the earliest's (each by its own clock: their offsets are
 *                      in {@link ClockOffset}); without, the spread of their first measured sends by their wall
 *                      clocks; NaN for one shard
 */
public record Sharding(String group, int count, Instant startAt, List<Shard> shards, double startSpreadMs) {

    /**
     * @param runId          the shard's own run id
     * @param firstSendAt    when its first measured request went out, by its wall clock; null when none did
     * @param startLatenessMs its first measured send minus when it was meant to go out (an open loop's arrival on the
     *                        schedule that began at the start instant, a closed loop's start instant); NaN without
     *                        --start-at or a send
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

    /** How far apart the shards began (ms, see {@link #startSpreadMs}); NaN when fewer than two can tell. */
    public static double spreadMs(List<Shard> shards, Instant startAt) {
        double min = Double.NaN;
        double max = Double.NaN;
        int known = 0;
        for (Shard s : shards) {
            double at;
            if (startAt != null && !Double.isNaN(s.startLatenessMs())) {
                at = s.startLatenessMs();
            } else if (startAt == null && s.firstSendAt() != null) {
                at = Duration.between(Instant.EPOCH, s.firstSendAt()).toNanos() / 1e6;
            } else {
                continue;
            }
            known++;
            min = known == 1 ? at : Math.min(min, at);
            max = known == 1 ? at : Math.max(max, at);
        }
        return known < 2 ? Double.NaN : max - min;
    }
}
