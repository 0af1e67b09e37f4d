package dev.tokenbench.measure;

import java.util.Locale;

/**
 * Whether a {@link Comparison} reflects a real difference or could be noise: a seeded bootstrap 95 % confidence
 * interval of the same ratio the comparison states ("how many times slower"), and, for means, the Mann-Whitney U
 * p-value of the two targets' per-request values.
 *
 * <p>A difference is called significant only when both targets have at least {@value #MIN_SAMPLES} successful
 * requests, the interval excludes 1 (no difference), and, for a mean, p &lt; {@value #ALPHA}. The worst-10 % cut is
 * judged by its interval alone: the U test compares whole distributions, not their tails.
 *
 * @param ciLow  lower end of the interval of the slowdown factor (NaN when not computed)
 * @param pValue NaN when not computed
 */
public record Significance(Kind kind, int targetSamples, int baselineSamples, double ciLow, double ciHigh,
        double pValue) {

    public static final int MIN_SAMPLES = 10;
    public static final double ALPHA = 0.05;

    public enum Kind {
        SIGNIFICANT("significant"),
        NOT_SIGNIFICANT("not significant"),
        TOO_FEW_SAMPLES("too few samples"),
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
            case NOT_APPLICABLE -> "no confidence interval: a figure is zero or missing";
            default -> "95% CI " + range(ciLow, ciHigh) + (Double.isNaN(pValue) ? "" : ", " + pText(pValue));
        };
    }

    /** A slowdown interval in words: "2.91–4.02x slower", "1.50–2.10x faster", "1.20x faster to 1.31x slower". */
    public static String range(double low, double high) {
        if (low >= 1) {
            return String.format(Locale.ROOT, "%.2f–%.2fx slower", low, high);
        }
        if (high <= 1) {
            return String.format(Locale.ROOT, "%.2f–%.2fx faster", 1 / high, 1 / low);
        }
        return String.format(Locale.ROOT, "%.2fx faster to %.2fx slower", 1 / low, high);
    }

    /** "p < 0.001" or "p = 0.042". */
    public static String pText(double p) {
        if (Double.isNaN(p)) {
            return "p n/a";
        }
        return p < 0.001 ? "p < 0.001" : String.format(Locale.ROOT, "p = %.3f", p);
    }
}
