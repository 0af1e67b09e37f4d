package dev.tokenbench.measure;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BootstrapTest {

    @Test
    void constantSamplesGiveTheExactRatio() {
        double[] two = new double[15];
        double[] eight = new double[12];
        Arrays.fill(two, 2.0);
        Arrays.fill(eight, 8.0);
        for (Bootstrap.Statistic s : Bootstrap.Statistic.values()) {
            Bootstrap.Interval ci = Bootstrap.ratio(eight, two, s, false);
            assertEquals(4.0, ci.low(), 1e-12, s.name());
            assertEquals(4.0, ci.high(), 1e-12, s.name());
        }
    }

    @Test
    void sameSeedSameInterval() {
        double[] a = lognormal(40, 1, 300, 0.4);
        double[] b = lognormal(40, 2, 250, 0.4);
        Bootstrap.Interval first = Bootstrap.ratio(a, b, Bootstrap.Statistic.MEAN, false, 2000, 7);
        Bootstrap.Interval again = Bootstrap.ratio(a.clone(), b.clone(), Bootstrap.Statistic.MEAN, false, 2000, 7);
        assertEquals(first, again);
        assertNotEquals(first, Bootstrap.ratio(a, b, Bootstrap.Statistic.MEAN, false, 2000, 8),
                "another seed draws other resamples");
        assertEquals(Bootstrap.ratio(a, b, Bootstrap.Statistic.MEAN, false, Bootstrap.DEFAULT_RESAMPLES,
                Bootstrap.DEFAULT_SEED), Bootstrap.ratio(a, b, Bootstrap.Statistic.MEAN, false), "seeded by default");
    }

    /**
     * For large samples the bootstrap interval of a ratio of means approaches the delta method's
     * r ± 1.96·r·sqrt(s_x²/(n_x·m_x²) + s_y²/(n_y·m_y²)): a known value to check against.
     */
    @Test
    void ratioOfMeansMatchesTheDeltaMethodForLargeSamples() {
        double[] x = lognormal(2000, 3, 600, 0.5);
        double[] y = lognormal(2000, 4, 300, 0.5);
        double mx = mean(x);
        double my = mean(y);
        double r = mx / my;
        double se = r * Math.sqrt(variance(x) / (x.length * mx * mx) + variance(y) / (y.length * my * my));
        Bootstrap.Interval ci = Bootstrap.ratio(x, y, Bootstrap.Statistic.MEAN, false, 4000, 11);
        assertEquals(r - 1.96 * se, ci.low(), 0.1 * 1.96 * se, ci.toString());
        assertEquals(r + 1.96 * se, ci.high(), 0.1 * 1.96 * se, ci.toString());
        assertTrue(ci.contains(r));
        assertFalse(ci.contains(1.0));
    }

    @Test
    void intervalNarrowsAsSamplesGrow() {
        Bootstrap.Interval small = Bootstrap.ratio(lognormal(20, 5, 500, 0.5), lognormal(20, 6, 400, 0.5),
                Bootstrap.Statistic.MEAN, false);
        Bootstrap.Interval large = Bootstrap.ratio(lognormal(2000, 5, 500, 0.5), lognormal(2000, 6, 400, 0.5),
                Bootstrap.Statistic.MEAN, false);
        assertTrue(large.high() - large.low() < (small.high() - small.low()) / 5, small + " vs " + large);
    }

    @Test
    void statisticsAgreeWithMetricSummary() {
        double[] values = lognormal(37, 9, 50, 0.6);
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        for (boolean higherIsBetter : new boolean[] {true, false}) {
            MetricSummary s = MetricSummary.ofValues(values, values.length, higherIsBetter);
            assertEquals(s.mean(), Bootstrap.Statistic.MEAN.of(sorted, higherIsBetter), 1e-9);
            assertEquals(s.worst10(), Bootstrap.Statistic.WORST10.of(sorted, higherIsBetter));
            assertEquals(s.worst10Mean(), Bootstrap.Statistic.WORST10_MEAN.of(sorted, higherIsBetter), 1e-9);
        }
    }

    @Test
    void worst10MeansOfRatesComeFromTheLowEnd() {
        // 20 values: the tail is 2. Rates 1..20: worst-10% mean = (1 + 2) / 2 and of the other (2 + 4) / 2.
        double[] a = new double[20];
        double[] b = new double[20];
        for (int i = 0; i < 20; i++) {
            a[i] = i + 1;
            b[i] = 2 * (i + 1);
        }
        Bootstrap.Interval ci = Bootstrap.ratio(b, a, Bootstrap.Statistic.WORST10_MEAN, true, 1000, 3);
        assertTrue(ci.contains(2.0), ci.toString());
        assertEquals(1.5, Bootstrap.Statistic.WORST10_MEAN.of(a, true));
        assertEquals(19.5, Bootstrap.Statistic.WORST10_MEAN.of(a, false));
    }

    @Test
    void undefinedWhenASampleIsEmptyOrTheDenominatorIsZero() {
        assertFalse(Bootstrap.ratio(new double[0], new double[] {1}, Bootstrap.Statistic.MEAN, false).defined());
        assertFalse(Bootstrap.ratio(new double[] {1, 2}, new double[] {0, 0}, Bootstrap.Statistic.MEAN, false)
                .defined());
    }

    @Test
    void quantileInterpolatesLikeNumpy() {
        double[] sorted = {1, 2, 3, 4};
        assertEquals(1.075, Bootstrap.quantile(sorted, 0.025), 1e-12);
        assertEquals(3.925, Bootstrap.quantile(sorted, 0.975), 1e-12);
    }

    static double[] lognormal(int n, long seed, double median, double sigma) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller: a standard normal from two uniforms.
            double z = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
            v[i] = median * Math.exp(sigma * z);
        }
        return v;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElseThrow();
    }

    private static double variance(double[] v) {
        double m = mean(v);
        return Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1);
    }
}
