package dev.tokenbench.load;

import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.ShardSpec;

import java.util.SplittableRandom;

/**
 * When each request of an open-loop phase is meant to start, computed before the phase begins (as vLLM's bench
 * computes its arrivals up front): offsets in nanoseconds from the phase's start. A request keeps its intended
 * time whatever happens to the client, so lateness is measured, never absorbed.
 */
public final class ArrivalSchedule {
    private ArrivalSchedule() {
    }

    public static long[] of(LoadSpec.OpenLoop open, int count) {
        return LoadSpec.OpenLoop.POISSON.equals(open.arrival())
                ? poisson(open.ratePerSecond(), count, open.seed())
                : fixedRate(open.ratePerSecond(), count);
    }

    /**
     * The starts that fall within {@code durationNanos} of the phase's start, at most {@code maxCount} of them: a
     * phase bounded by time rather than (or as well as) by a number of requests.
     */
    public static long[] within(LoadSpec.OpenLoop open, int maxCount, long durationNanos) {
        // Enough draws that a Poisson schedule almost surely runs past the duration; the cut below trims them.
        double expected = open.ratePerSecond() * durationNanos / 1e9;
        long draws = Math.min(maxCount, (long) Math.ceil(expected + 6 * Math.sqrt(expected) + 16));
        long[] offsets = of(open, (int) Math.min(draws, 50_000_000));
        int n = 0;
        while (n < offsets.length && offsets[n] < durationNanos) {
            n++;
        }
        return java.util.Arrays.copyOf(offsets, n);
    }

    /**
     * Shard {@code shard.index()}'s arrivals of the whole schedule: arrivals index, index + count, … So the shards'
     * arrivals together are exactly the unsharded schedule (a Poisson schedule stays the one Poisson process, thinned
     * deterministically), and each shard keeps the offsets from the common start.
     */
    public static long[] shard(long[] whole, ShardSpec shard) {
        long[] mine = new long[shard.share(whole.length)];
        for (int k = 0; k < mine.length; k++) {
            mine[k] = whole[(int) shard.globalIndex(k)];
        }
        return mine;
    }

    /** Evenly spaced: request i at i / rate. */
    public static long[] fixedRate(double ratePerSecond, int count) {
        long[] offsets = new long[count];
        double gapNanos = 1e9 / ratePerSecond;
        for (int i = 0; i < count; i++) {
            offsets[i] = Math.round(i * gapNanos);
        }
        return offsets;
    }

    /**
     * A Poisson process: exponentially distributed gaps with mean 1 / rate, the first request at 0. Seeded, so a
     * benchmark replays the same arrivals.
     */
    public static long[] poisson(double ratePerSecond, int count, long seed) {
        long[] offsets = new long[count];
        SplittableRandom random = new SplittableRandom(seed);
        double meanGapNanos = 1e9 / ratePerSecond;
        double at = 0;
        for (int i = 0; i < count; i++) {
            offsets[i] = Math.round(at);
            // 1 - nextDouble() is in (0, 1], so the log is finite.
            at += -Math.log(1 - random.nextDouble()) * meanGapNanos;
        }
        return offsets;
    }
}
