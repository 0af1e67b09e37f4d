package dev.tokenbench.measure;

import java.util.Locale;

/**
 * A target against the baseline on one figure, in Azure Bench's words: "3.4x slower", "1.5x faster", or "same"
 * when within 1.1x either way. The factor is always "how many times worse": target/baseline for latencies,
 * baseline/target for rates, so 3.4 means 3.4x slower whichever kind the metric is.
 */
public record Comparison(String target, String baseline, Metric metric, String stat, double targetValue,
        double baselineValue, double slowdown, String verdict) {

    public static final double SAME_WITHIN = 1.1;

    public static Comparison of(String target, String baseline, Metric metric, String stat, double targetValue,
            double baselineValue) {
        double slowdown = metric.higherIsBetter() ? baselineValue / targetValue : targetValue / baselineValue;
        return Comparison.builder()
                .target(target)
                .baseline(baseline)
                .metric(metric)
                .stat(stat)
                .targetValue(targetValue)
                .baselineValue(baselineValue)
                .slowdown(slowdown)
                .verdict(verdict(slowdown))
                .build();
    }

    public static String verdict(double slowdown) {
        if (Double.isNaN(slowdown) || Double.isInfinite(slowdown) || slowdown <= 0) {
            return "n/a";
        }
        if (slowdown <= SAME_WITHIN && slowdown >= 1 / SAME_WITHIN) {
            return "same";
        }
        return slowdown > 1
                ? String.format(Locale.ROOT, "%.1fx slower", slowdown)
                : String.format(Locale.ROOT, "%.1fx faster", 1 / slowdown);
    }

    /** E.g. "azure is 3.4x slower than openai on worst-10% stream TPS". */
    public String sentence() {
        String statLabel = "worst10".equals(stat) ? "worst-10%" : stat;
        String what = statLabel + " " + metric.label();
        if ("same".equals(verdict)) {
            return target + " is the same as " + baseline + " (within 10%) on " + what;
        }
        if ("n/a".equals(verdict)) {
            return target + " has no " + what + " to compare with " + baseline;
        }
        return target + " is " + verdict + " than " + baseline + " on " + what;
    }

    /** Comparison's fields by name, instead of one long positional call. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Comparison} field by field. Unset fields are null, 0 or false. */
    public static final class Builder {
        private String target;
        private String baseline;
        private Metric metric;
        private String stat;
        private double targetValue;
        private double baselineValue;
        private double slowdown;
        private String verdict;

        private Builder() {
        }

        public Builder target(String target) {
            this.target = target;
            return this;
        }

        public Builder baseline(String baseline) {
            this.baseline = baseline;
            return this;
        }

        public Builder metric(Metric metric) {
            this.metric = metric;
            return this;
        }

        public Builder stat(String stat) {
            this.stat = stat;
            return this;
        }

        public Builder targetValue(double targetValue) {
            this.targetValue = targetValue;
            return this;
        }

        public Builder baselineValue(double baselineValue) {
            this.baselineValue = baselineValue;
            return this;
        }

        public Builder slowdown(double slowdown) {
            this.slowdown = slowdown;
            return this;
        }

        public Builder verdict(String verdict) {
            this.verdict = verdict;
            return this;
        }

        /** The one place the canonical constructor is called. */
        public Comparison build() {
            return new Comparison(target, baseline, metric, stat, targetValue, baselineValue, slowdown, verdict);
        }
    }
}
