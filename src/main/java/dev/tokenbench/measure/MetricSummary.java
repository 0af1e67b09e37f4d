package dev.tokenbench.measure;

import org.HdrHistogram.Histogram;

import java.util.Arrays;

/**
 * Count, mean, extremes and percentiles of one metric. Percentiles are nearest-rank (the smallest value with at
 * least p % of the values at or below it), the definition HdrHistogram answers. A run's summaries are taken from
 * its HdrHistograms ({@link #ofHistogram}, 3 significant digits), the same figures a rebuild from run.json or a merge
 * of runs gives; {@link #ofValues} is the exact reference they agree with to that precision (tests, bootstrap).
 *
 * <p>{@code worst10} is Azure Bench's "worst 10 %" cut: with tail = max(1, ceil(0.1·n)) values at the bad end
 * (lowest for rates, highest for latencies), the best value of that tail: the 10th percentile of a rate, and for
 * a latency the mirror, the ceil(n/10)-th highest value (in a small run above the nearest-rank p90). Every report
 * states this one definition. {@code worst10Mean} is the mean of that tail.
 */
public record MetricSummary(long count, double mean, double min, double max, double p50, double p90, double p99,
        double worst10, double worst10Mean) {

    public static final MetricSummary EMPTY = MetricSummary.builder()
            .count(0)
            .mean(Double.NaN)
            .min(Double.NaN)
            .max(Double.NaN)
            .p50(Double.NaN)
            .p90(Double.NaN)
            .p99(Double.NaN)
            .worst10(Double.NaN)
            .worst10Mean(Double.NaN)
            .build();

    public static int tailSize(long count) {
        return (int) Math.max(1, (long) Math.ceil(0.1 * count));
    }

    /** From exact values (NaN values are ignored). */
    public static MetricSummary ofValues(double[] values, int length, boolean higherIsBetter) {
        double[] sorted = new double[length];
        int n = 0;
        for (int i = 0; i < length; i++) {
            if (!Double.isNaN(values[i])) {
                sorted[n++] = values[i];
            }
        }
        if (n == 0) {
            return EMPTY;
        }
        sorted = Arrays.copyOf(sorted, n);
        Arrays.sort(sorted);
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        int tail = tailSize(n);
        double tailSum = 0;
        for (int i = 0; i < tail; i++) {
            tailSum += higherIsBetter ? sorted[i] : sorted[n - 1 - i];
        }
        double worst10 = higherIsBetter ? sorted[tail - 1] : sorted[n - tail];
        return MetricSummary.builder()
                .count(n)
                .mean(sum / n)
                .min(sorted[0])
                .max(sorted[n - 1])
                .p50(nearestRank(sorted, 50))
                .p90(nearestRank(sorted, 90))
                .p99(nearestRank(sorted, 99))
                .worst10(worst10)
                .worst10Mean(tailSum / tail)
                .build();
    }

    static double nearestRank(double[] sorted, double percentile) {
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * From a histogram holding {@code value * scale}: what merged runs and probes are summarised with. The
     * worst-10 % tail mean is walked from the histogram's recorded values.
     */
    public static MetricSummary ofHistogram(Histogram h, double scale, boolean higherIsBetter) {
        long n = h.getTotalCount();
        if (n == 0) {
            return EMPTY;
        }
        int tail = tailSize(n);
        double tailPercentile = higherIsBetter ? 100.0 * tail / n : 100.0 * (n - tail + 1) / n;
        double worst10 = h.getValueAtPercentile(Math.min(100.0, tailPercentile)) / scale;
        double tailSum = 0;
        long taken = 0;
        if (higherIsBetter) {
            for (var v : h.recordedValues()) {
                long take = Math.min(v.getCountAtValueIteratedTo(), tail - taken);
                tailSum += take * (double) h.medianEquivalentValue(v.getValueIteratedTo());
                taken += take;
                if (taken >= tail) {
                    break;
                }
            }
        } else {
            long skip = n - tail;
            for (var v : h.recordedValues()) {
                long count = v.getCountAtValueIteratedTo();
                long skipped = Math.min(count, skip);
                skip -= skipped;
                long take = count - skipped;
                tailSum += take * (double) h.medianEquivalentValue(v.getValueIteratedTo());
                taken += take;
            }
        }
        return MetricSummary.builder()
                .count(n)
                .mean(h.getMean() / scale)
                .min(h.getMinValue() / scale)
                .max(h.getMaxValue() / scale)
                .p50(h.getValueAtPercentile(50) / scale)
                .p90(h.getValueAtPercentile(90) / scale)
                .p99(h.getValueAtPercentile(99) / scale)
                .worst10(worst10)
                .worst10Mean(tailSum / Math.max(1, taken) / scale)
                .build();
    }

    /** The figure named by a report's stat key: mean, p50, p90, p99, worst10, min, max. */
    public double stat(String key) {
        return switch (key) {
            case "mean" -> mean;
            case "p50" -> p50;
            case "p90" -> p90;
            case "p99" -> p99;
            case "worst10" -> worst10;
            case "min" -> min;
            case "max" -> max;
            default -> throw new IllegalArgumentException("unknown stat " + key);
        };
    }

    /** MetricSummary's fields by name, instead of one long positional call. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link MetricSummary} field by field. Unset fields are null, 0 or false. */
    public static final class Builder {
        private long count;
        private double mean;
        private double min;
        private double max;
        private double p50;
        private double p90;
        private double p99;
        private double worst10;
        private double worst10Mean;

        private Builder() {
        }

        public Builder count(long count) {
            this.count = count;
            return this;
        }

        public Builder mean(double mean) {
            this.mean = mean;
            return this;
        }

        public Builder min(double min) {
            this.min = min;
            return this;
        }

        public Builder max(double max) {
            this.max = max;
            return this;
        }

        public Builder p50(double p50) {
            this.p50 = p50;
            return this;
        }

        public Builder p90(double p90) {
            this.p90 = p90;
            return this;
        }

        public Builder p99(double p99) {
            this.p99 = p99;
            return this;
        }

        public Builder worst10(double worst10) {
            this.worst10 = worst10;
            return this;
        }

        public Builder worst10Mean(double worst10Mean) {
            this.worst10Mean = worst10Mean;
            return this;
        }

        /** The one place the canonical constructor is called. */
        public MetricSummary build() {
            return new MetricSummary(count, mean, min, max, p50, p90, p99, worst10, worst10Mean);
        }
    }
}
