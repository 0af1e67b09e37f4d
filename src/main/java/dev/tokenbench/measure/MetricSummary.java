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

    public static final MetricSummary EMPTY = new MetricSummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, Double.NaN, Double.NaN);

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
        return new MetricSummary(n, sum / n, sorted[0], sorted[n - 1], nearestRank(sorted, 50),
                nearestRank(sorted, 90), nearestRank(sorted, 99), worst10, tailSum / tail);
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
        return new MetricSummary(n, h.getMean() / scale, h.getMinValue() / scale, h.getMaxValue() / scale,
                h.getValueAtPercentile(50) / scale, h.getValueAtPercentile(90) / scale,
                h.getValueAtPercentile(99) / scale, worst10, tailSum / Math.max(1, taken) / scale);
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
}
