package dev.tokenbench.measure;

import java.util.Locale;

/**
 * Whether a {@link Comparison} reflects a real difference or could be noise: a seeded bootstrap 95 % confidence
 * interval of the same ratio the comparison states ("how many times slower"), and, for means, the Mann-Whitney U
 * p-value of the two targets' per-request values.
 *
 * <p>A difference is called significant only when both targets have at least {@value #MIN_SAMPLES} successful
 * requests, the interval excludes 1 (no difference), and, for a mean, p &lt; {@value #ALPHA}. The worst-10 % cut is
 * judged by its interval alone: the U test compares whole distributions, not their tails; and only when each
 * target's worst-10 % tail holds at least {@value #MIN_TAIL} requests (41 successful requests), since an interval
 * drawn from a tail of two says nothing ({@link Kind#SMALL_TAIL}).
 *
 * @param ciLow  lower end of the interval of the slowdown factor (NaN when not computed)
 * @param pValue NaN when not computed
 */
public record Significance(Kind kind, int targetSamples, int baselineSamples, double ciLow, double ciHigh,
        double pValue) {

    public static final int MIN_SAMPLES = 10;
    /** The fewest requests a worst-10 % tail may hold for a claim about it. */
    public static final int MIN_TAIL = 5;
    public static final double ALPHA = 0.05;

    public enum Kind {
        SIGNIFICANT("significant"),
        NOT_SIGNIFICANT("not significant"),
        TOO_FEW_SAMPLES("too few samples"),
        /** A worst-10 % figure whose tail holds fewer than {@link #MIN_TAIL} requests on one side. */
        SMALL_TAIL("tail too small"),
        NOT_APPLICABLE("n/a");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * @param target   the target's per-request values of the comparison's metric (NaN entries ignored)
     * @param baseline the baseline's
     */
    public static Significance of(Comparison comparison, double[] target, double[] baseline) {
        return of(comparison, target, baseline, Bootstrap.DEFAULT_RESAMPLES, Bootstrap.DEFAULT_SEED);
    }

    public static Significance of(Comparison comparison, double[] target, double[] baseline, int resamples,
            long seed) {
        double[] t = MannWhitney.finite(target);
        double[] b = MannWhitney.finite(baseline);
        if (t.length < MIN_SAMPLES || b.length < MIN_SAMPLES) {
            return new Significance(Kind.TOO_FEW_SAMPLES, t.length, b.length, Double.NaN, Double.NaN, Double.NaN);
        }
        Bootstrap.Statistic statistic = Bootstrap.Statistic.ofStat(comparison.stat());
        if (statistic != Bootstrap.Statistic.MEAN && (MetricSummary.tailSize(t.length) < MIN_TAIL
                || MetricSummary.tailSize(b.length) < MIN_TAIL)) {
            return new Significance(Kind.SMALL_TAIL, t.length, b.length, Double.NaN, Double.NaN, Double.NaN);
        }
        boolean higherIsBetter = comparison.metric().higherIsBetter();
        // The slowdown factor: target over baseline for a latency, baseline over target for a rate.
        Bootstrap.Interval ci = higherIsBetter
                ? Bootstrap.ratio(b, t, statistic, true, resamples, seed)
                : Bootstrap.ratio(t, b, statistic, false, resamples, seed);
        double p = statistic == Bootstrap.Statistic.MEAN ? MannWhitney.test(t, b).pValue() : Double.NaN;
        if (!ci.defined()) {
            return new Significance(Kind.NOT_APPLICABLE, t.length, b.length, Double.NaN, Double.NaN, p);
        }
        boolean significant = !ci.contains(1.0) && (Double.isNaN(p) || p < ALPHA);
        return new Significance(significant ? Kind.SIGNIFICANT : Kind.NOT_SIGNIFICANT, t.length, b.length,
                ci.low(), ci.high(), p);
    }

    public boolean significant() {
        return kind == Kind.SIGNIFICANT;
    }

    /** "95% CI 2.91–4.02x slower, p < 0.001"; for too few samples, how many there are. */
    public String evidence() {
        return switch (kind) {
            case TOO_FEW_SAMPLES -> targetSamples + " vs " + baselineSamples + " successful requests; "
                    + MIN_SAMPLES + " each needed";
            case SMALL_TAIL -> "worst-10% tails of " + requests(MetricSummary.tailSize(targetSamples)) + " vs "
                    + MetricSummary.tailSize(baselineSamples) + "; " + MIN_TAIL + " each needed";
            case NOT_APPLICABLE -> "no confidence interval: a figure is zero or missing";
            default -> "95% CI " + range(ciLow, ciHigh) + (Double.isNaN(pValue) ? "" : ", " + pText(pValue));
        };
    }

    private static String requests(int n) {
        return n == 1 ? "1 request" : n + " requests";
    }

    /** A slowdown interval in words: "2.91–4.02x slower", "1.50–2.10x faster", "1.20x faster to 1.31x slower". */
    public static String range(double low, double high) {
        // An end within half a hundredth of 1 prints as 1.00 either way: "1.00x faster to 1.00x slower" says
        // nothing, so such an end joins the other side of the interval.
        boolean lowIsOne = low >= 1 || twoDecimals(1 / low).equals("1.00");
        boolean highIsOne = high <= 1 || twoDecimals(high).equals("1.00");
        if (lowIsOne && highIsOne) {
            return "1.00x (no difference at this precision)";
        }
        if (lowIsOne) {
            return twoDecimals(Math.max(1, low)) + "–" + twoDecimals(high) + "x slower";
        }
        if (highIsOne) {
            return twoDecimals(1 / Math.min(1, high)) + "–" + twoDecimals(1 / low) + "x faster";
        }
        return twoDecimals(1 / low) + "x faster to " + twoDecimals(high) + "x slower";
    }

    private static String twoDecimals(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** "p < 0.001" or "p = 0.042". */
    public static String pText(double p) {
        if (Double.isNaN(p)) {
            return "p n/a";
        }
        return p < 0.001 ? "p < 0.001" : String.format(Locale.ROOT, "p = %.3f", p);
    }
}
