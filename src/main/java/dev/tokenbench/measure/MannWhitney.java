package dev.tokenbench.measure;

import java.util.Arrays;

/**
 * The Mann-Whitney U test (Wilcoxon rank-sum) of two independent samples: does one tend to give larger values
 * than the other? Two-sided, with the normal approximation, the tie correction of the variance and a continuity
 * correction of 0.5, the textbook large-sample form (and what {@code scipy.stats.mannwhitneyu(...,
 * method="asymptotic")} computes), sound from about ten values per side. It assumes nothing about the shape of
 * the distributions, which suits latencies with long tails.
 */
public final class MannWhitney {
    private MannWhitney() {
    }

    /**
     * @param u1     U of the first sample: the number of (a, b) pairs with a &gt; b, ties counting one half
     * @param z      the standardised statistic (0 when every value is tied)
     * @param pValue two-sided p-value, NaN when a sample is empty
     */
    public record Result(double u1, double u2, double z, double pValue) {
    }

    /** NaN values are ignored. */
    public static Result test(double[] a, double[] b) {
        double[] x = finite(a);
        double[] y = finite(b);
        int n1 = x.length;
        int n2 = y.length;
        if (n1 == 0 || n2 == 0) {
            return new Result(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        int n = n1 + n2;
        // Pool the values, remembering which sample each came from, and rank them in one sorted pass.
        double[] values = new double[n];
        boolean[] fromFirst = new boolean[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n1; i++) {
            values[i] = x[i];
            fromFirst[i] = true;
        }
        System.arraycopy(y, 0, values, n1, n2);
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (i, j) -> Double.compare(values[i], values[j]));

        double rankSumFirst = 0;
        double tieTerm = 0;
        for (int start = 0; start < n; ) {
            int end = start + 1;
            while (end < n && values[order[end]] == values[order[start]]) {
                end++;
            }
            // Positions start..end-1 hold tied values: each gets the average of ranks start+1..end.
            double averageRank = (start + 1 + end) / 2.0;
            for (int k = start; k < end; k++) {
                if (fromFirst[order[k]]) {
                    rankSumFirst += averageRank;
                }
            }
            double t = end - start;
            tieTerm += t * t * t - t;
            start = end;
        }
        double u1 = rankSumFirst - n1 * (n1 + 1) / 2.0;
        double u2 = (double) n1 * n2 - u1;
        double mean = n1 * (double) n2 / 2;
        double variance = n1 * (double) n2 / 12.0 * ((n + 1) - tieTerm / ((double) n * (n - 1)));
        if (!(variance > 0)) {
            return new Result(u1, u2, 0, 1.0);
        }
        double z = (Math.max(u1, u2) - mean - 0.5) / Math.sqrt(variance);
        double p = Math.min(1.0, 2 * normalUpperTail(z));
        return new Result(u1, u2, z, p);
    }

    /** P(Z &gt; z) for a standard normal Z. */
    static double normalUpperTail(double z) {
        return 0.5 * erfc(z / Math.sqrt(2));
    }

    /**
     * The complementary error function, by the Chebyshev fit of Press et al. (Numerical Recipes, erfcc): relative
     * error under 1.2e-7 everywhere, so even p-values far below 1e-10 keep their leading digits.
     */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277))))))));
        double result = t * Math.exp(poly);
        return x >= 0 ? result : 2 - result;
    }

    static double[] finite(double[] values) {
        int n = 0;
        double[] out = new double[values.length];
        for (double v : values) {
            if (Double.isFinite(v)) {
                out[n++] = v;
            }
        }
        return n == values.length ? out : Arrays.copyOf(out, n);
    }
}
