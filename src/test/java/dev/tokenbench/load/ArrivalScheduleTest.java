package dev.tokenbench.load;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArrivalScheduleTest {
    @Test
    void poissonGapsHaveTheExponentialsMeanAndVariance() {
        double rate = 20;
        int n = 20_000;
        long[] offsets = ArrivalSchedule.poisson(rate, n, 42);
        double sum = 0;
        double sumSquares = 0;
        for (int i = 1; i < n; i++) {
            double gapSeconds = (offsets[i] - offsets[i - 1]) / 1e9;
            sum += gapSeconds;
            sumSquares += gapSeconds * gapSeconds;
        }
        double mean = sum / (n - 1);
        double variance = sumSquares / (n - 1) - mean * mean;
        // Exponential(rate): mean 1/rate = 50 ms, variance 1/rate^2 = 0.0025 s^2; 20,000 gaps put the sample mean
        // within ~1 % (3 sigma ≈ 2.1 %) and the variance within ~5 %.
        assertEquals(0.05, mean, 0.05 * 0.03, "mean gap");
        assertEquals(0.0025, variance, 0.0025 * 0.08, "gap variance");
        assertEquals(0, offsets[0]);
    }

    @Test
    void theSameSeedGivesTheSameArrivalsAndAnotherSeedOthers() {
        assertArrayEquals(ArrivalSchedule.poisson(5, 100, 7), ArrivalSchedule.poisson(5, 100, 7));
        assertTrue(ArrivalSchedule.poisson(5, 100, 7)[50] != ArrivalSchedule.poisson(5, 100, 8)[50]);
    }

    @Test
    void fixedRateIsEvenlySpaced() {
        assertArrayEquals(new long[] {0, 250_000_000, 500_000_000, 750_000_000}, ArrivalSchedule.fixedRate(4, 4));
    }
}
