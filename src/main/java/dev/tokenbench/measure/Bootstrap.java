package dev.tokenbench.measure;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile-bootstrap confidence intervals of the ratio of one statistic of two independent samples
 * ({@code stat(numerator) / stat(denominator)}): each resample draws both samples again with replacement, and the
 * interval is the 2.5th and 97.5th percentile of the resampled ratios. Seeded, so the same data always gives the
 * same interval (a report rendered twice says the same thing).
 *
 * <p>Each resample is drawn as counts over the sorted sample rather than as a new array, so the mean and the
 * worst-10 % cut of a resample are one O(n) walk, with no sort per resample.
 */
public final class Bootstrap {
    public static final int DEFAULT_RESAMPLES = 2000;
    public static final long DEFAULT_SEED = 20_250_501L;
    public static final double LEVEL = 0.95;

    private Bootstrap() {
    }

    /** What is compared: the mean, Azure Bench's worst-10 % cut, or the mean of the worst-10 % tail. */
    public enum Statistic {
        MEAN, WORST10, WORST10_MEAN;

        /** The statistic named by a report's stat key ("mean", "worst10"). */
        public static Statistic ofStat(String stat) {
            return switch (stat) {
                case "mean" -> MEAN;
                case "worst10" -> WORST10;
                case "worst10_mean" -> WORST10_MEAN;
                default -> throw new IllegalArgumentException("no bootstrap for stat " + stat);
            };
        }

        /** The statistic of a sorted sample, exactly as {@link MetricSummary#ofValues} computes it. */
        public double of(double[] sorted, boolean higherIsBetter) {
            int[] once = new int[sorted.length];
            Arrays.fill(once, 1);
            return ofCounts(sorted, once, sorted.length, higherIsBetter);
        }

        /** Of a sample given as how many times each value of {@code sorted} occurs in it ({@code n} in all). */
        double ofCounts(double[] sorted, int[] counts, int n, boolean higherIsBetter) {
            if (this == MEAN) {
                double sum = 0;
                for (int i = 0; i < sorted.length; i++) {
                    sum += counts[i] * sorted[i];
                }
                return sum / n;
            }
            int tail = MetricSummary.tailSize(n);
            int taken = 0;
            double tailSum = 0;
            double cut = Double.NaN;
            for (int k = 0; k < sorted.length && taken < tail; k++) {
                int i = higherIsBetter ? k : sorted.length - 1 - k;
                int take = Math.min(counts[i], tail - taken);
                tailSum += take * sorted[i];
                taken += take;
                cut = sorted[i];
            }
            return this == WORST10 ? cut : tailSum / tail;
        }
    }

    /** A two-sided interval; both ends NaN when it cannot be computed (an empty sample, a zero denominator). */
    public record Interval(double low, double high) {
        public static final Interval NONE = new Interval(Double.NaN, Double.NaN);

        public boolean defined() {
            return Double.isFinite(low) && Double.isFinite(high);
        }

        public boolean contains(double value) {
            return low <= value && value <= high;
        }
    }

    public static Interval ratio(double[] numerator, double[] denominator, Statistic statistic,
            boolean higherIsBetter) {
        return ratio(numerator, denominator, statistic, higherIsBetter, DEFAULT_RESAMPLES, DEFAULT_SEED);
    }

    /**
     * @param higherIsBetter which end of the samples is the worst 10 % (the low end for rates)
     */
    public static Interval ratio(double[] numerator, double[] denominator, Statistic statistic,
            boolean higherIsBetter, int resamples, long seed) {
        double[] x = MannWhitney.finite(numerator);
        double[] y = MannWhitney.finite(denominator);
        if (x.length == 0 || y.length == 0 || resamples < 1) {
            return Interval.NONE;
        }
        Arrays.sort(x);
        Arrays.sort(y);
        SplittableRandom random = new SplittableRandom(seed);
        int[] xCounts = new int[x.length];
        int[] yCounts = new int[y.length];
        double[] ratios = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            draw(random, xCounts);
            draw(random, yCounts);
            double top = statistic.ofCounts(x, xCounts, x.length, higherIsBetter);
            double bottom = statistic.ofCounts(y, yCounts, y.length, higherIsBetter);
            ratios[r] = top / bottom;
            if (!Double.isFinite(ratios[r])) {
                return Interval.NONE;
            }
        }
        Arrays.sort(ratios);
        double alpha = (1 - LEVEL) / 2;
        return new Interval(quantile(ratios, alpha), quantile(ratios, 1 - alpha));
    }

    /** A resample with replacement as counts: n draws of an index, uniformly. */
    private static void draw(SplittableRandom random, int[] counts) {
        Arrays.fill(counts, 0);
        int n = counts.length;
        for (int k = 0; k < n; k++) {
            counts[random.nextInt(n)]++;
        }
    }

    /** Linear interpolation between order statistics (type 7, the default of R and NumPy). */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        double fraction = position - below;
        return sorted[below] + fraction * (sorted[above] - sorted[below]);
    }
}
