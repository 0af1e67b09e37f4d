package dev.tokenbench.load;

import dev.tokenbench.config.LoadSpec;

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
