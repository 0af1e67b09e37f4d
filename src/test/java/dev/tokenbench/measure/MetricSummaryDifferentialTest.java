package dev.tokenbench.measure;

import dev.tokenbench.config.SloSpec;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MetricSummary} and {@link TargetAggregate} against HdrHistogram's own answers and against a plain sorted
 * array read by nearest rank (the contract of {@link MetricSummary#ofValues}), on seeded random inputs of many
 * sizes and shapes, the empty, single-value and all-equal cases included.
 */
class MetricSummaryDifferentialTest {
    private static final long SEED = 20261206L;
    private static final int[] SIZES = {0, 1, 2, 3, 9, 10, 11, 99, 100, 1_000, 4_321};
    private static final double SCALE = 1000;

    /** Value sets: uniform, heavy-tailed (lognormal), integers with ties, all equal. */
    private static List<double[]> inputs() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<double[]> inputs = new ArrayList<>();
        for (int n : SIZES) {
            double[] uniform = new double[n];
            double[] lognormal = new double[n];
            double[] ties = new double[n];
            double[] equal = new double[n];
            for (int i = 0; i < n; i++) {
                uniform[i] = thousandths(random.nextDouble(0.5, 2_000));
                lognormal[i] = thousandths(Math.exp(5 + 1.5 * gaussian(random)));
                ties[i] = random.nextInt(1, 8);
                equal[i] = 352.054;
            }
            inputs.add(uniform);
            inputs.add(lognormal);
            inputs.add(ties);
            inputs.add(equal);
        }
        return inputs;
    }

    @Test
    void ofValuesIsNearestRankOnTheSortedValues() {
        for (double[] values : inputs()) {
            for (boolean higherIsBetter : new boolean[] {false, true}) {
                MetricSummary s = MetricSummary.ofValues(withNaNs(values), values.length * 2, higherIsBetter);
                if (values.length == 0) {
                    assertSame(MetricSummary.EMPTY, s);
                    continue;
                }
                double[] sorted = values.clone();
                Arrays.sort(sorted);
                int n = sorted.length;
                String what = n + " values, higherIsBetter " + higherIsBetter;
                assertEquals(n, s.count(), what);
                assertEquals(sorted[0], s.min(), what);
                assertEquals(sorted[n - 1], s.max(), what);
                assertEquals(Arrays.stream(sorted).sum() / n, s.mean(), 1e-9 * Math.abs(s.mean()), what);
                assertEquals(rank(sorted, 50), s.p50(), what);
                assertEquals(rank(sorted, 90), s.p90(), what);
                assertEquals(rank(sorted, 99), s.p99(), what);
                // The worst 10 %: ceil(n / 10) values (at least one) at the bad end; worst10 is its best one.
                int tail = Math.max(1, (n + 9) / 10);
                double[] worst = higherIsBetter ? Arrays.copyOfRange(sorted, 0, tail)
                        : Arrays.copyOfRange(sorted, n - tail, n);
                assertEquals(higherIsBetter ? worst[tail - 1] : worst[0], s.worst10(), what);
                assertEquals(Arrays.stream(worst).sum() / tail, s.worst10Mean(), 1e-9 * Math.abs(s.worst10Mean()),
                        what);
            }
        }
    }

    @Test
    void ofValuesAgreesWithHdrHistogramToItsPrecision() {
        for (double[] values : inputs()) {
            Histogram h = histogramOf(values);
            MetricSummary s = MetricSummary.ofValues(values, values.length, false);
            assertEquals(h.getTotalCount(), s.count());
            if (values.length == 0) {
                continue;
            }
            String what = values.length + " values from " + values[0];
            // HdrHistogram answers with a value of the bucket the exact answer falls in.
            assertEquivalent(h, h.getValueAtPercentile(50), s.p50(), what + ": p50");
            assertEquivalent(h, h.getValueAtPercentile(90), s.p90(), what + ": p90");
            assertEquivalent(h, h.getValueAtPercentile(99), s.p99(), what + ": p99");
            assertEquivalent(h, h.getMinValue(), s.min(), what + ": min");
            assertEquivalent(h, h.getMaxValue(), s.max(), what + ": max");
            // Three significant digits: the histogram's mean is within a part in a thousand of the exact one.
            assertEquals(s.mean(), h.getMean() / SCALE, s.mean() * 1e-3, what + ": mean");
        }
    }

    @Test
    void ofHistogramGivesHdrHistogramsOwnAnswers() {
        for (double[] values : inputs()) {
            for (boolean higherIsBetter : new boolean[] {false, true}) {
                Histogram h = histogramOf(values);
                MetricSummary s = MetricSummary.ofHistogram(h, SCALE, higherIsBetter);
                if (values.length == 0) {
                    assertSame(MetricSummary.EMPTY, s);
                    continue;
                }
                String what = values.length + " values, higherIsBetter " + higherIsBetter;
                assertEquals(h.getTotalCount(), s.count(), what);
                assertEquals(h.getMean() / SCALE, s.mean(), what);
                assertEquals(h.getMinValue() / SCALE, s.min(), what);
                assertEquals(h.getMaxValue() / SCALE, s.max(), what);
                assertEquals(h.getValueAtPercentile(50) / SCALE, s.p50(), what);
                assertEquals(h.getValueAtPercentile(90) / SCALE, s.p90(), what);
                assertEquals(h.getValueAtPercentile(99) / SCALE, s.p99(), what);
                // The tail, from the histogram's values spelled out one by one (each at its bucket's median).
                double[] expanded = expand(h);
                int n = expanded.length;
                int tail = Math.max(1, (n + 9) / 10);
                double[] worst = higherIsBetter ? Arrays.copyOfRange(expanded, 0, tail)
                        : Arrays.copyOfRange(expanded, n - tail, n);
                assertEquals(Arrays.stream(worst).sum() / tail / SCALE, s.worst10Mean(),
                        1e-9 * Math.abs(s.worst10Mean()), what);
                long worstRankValue = h.getValueAtPercentile(
                        higherIsBetter ? 100.0 * tail / n : Math.min(100.0, 100.0 * (n - tail + 1) / n));
                assertEquals(worstRankValue / SCALE, s.worst10(), what);
                assertTrue(h.valuesAreEquivalent(worstRankValue,
                        (long) (higherIsBetter ? worst[tail - 1] : worst[0])), what);
            }
        }
    }

    @Test
    void aTargetsSummaryAgreesWithHdrHistogramOnTheSameRequests() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        for (int n : SIZES) {
            TargetAggregate aggregate = new TargetAggregate("t", SloSpec.DEFAULT);
            Histogram ttft = new Histogram(3);
            Histogram tps = new Histogram(3);
            List<Double> ttfts = new ArrayList<>();
            int ok = 0;
            for (int i = 0; i < n; i++) {
                boolean isOk = random.nextInt(10) != 0;
                RequestRecord r = SinkFixtures.record(random, i, isOk, 0);
                aggregate.add(r);
                if (isOk) {
                    ok++;
                    ttft.recordValue(Math.round(r.ttftMs() * SCALE));
                    tps.recordValue(Math.round(r.streamTokensPerSecond() * SCALE));
                    ttfts.add(r.ttftMs());
                }
            }
            TargetSummary s = aggregate.summarize();
            String what = n + " requests";
            assertEquals(n, s.requests(), what);
            assertEquals(ok, s.ok(), what);
            assertEquals(ttft, s.histograms().get(Metric.TTFT_MS), what + ": the same histogram, count by count");
            assertEquals(tps, s.histograms().get(Metric.STREAM_TPS), what);
            MetricSummary t = s.metric(Metric.TTFT_MS);
            assertEquals(ttft.getTotalCount(), t.count(), what);
            if (ok > 0) {
                // The histograms are the one source of a run's figures: HdrHistogram's own answers, scaled back.
                assertEquals(ttft.getValueAtPercentile(50) / SCALE, t.p50(), what + ": ttft p50");
                assertEquals(ttft.getValueAtPercentile(99) / SCALE, t.p99(), what + ": ttft p99");
                assertEquals(ttft.getMaxValue() / SCALE, t.max(), what + ": ttft max");
                assertEquals(ttft.getMean() / SCALE, t.mean(), 1e-9, what + ": ttft mean");
                assertEquals(tps.getValueAtPercentile(90) / SCALE, s.metric(Metric.STREAM_TPS).p90(),
                        what + ": stream_tps p90");
                // ... which is the nearest rank of the exact values to HdrHistogram's 3 significant digits.
                double[] sorted = ttfts.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                assertEquivalent(ttft, Math.round(t.p90() * SCALE), rank(sorted, 90), what + ": nearest rank");
            }
        }
    }

    private static void assertEquivalent(Histogram h, long histogramAnswer, double exact, String what) {
        long scaled = Math.round(exact * SCALE);
        assertTrue(h.valuesAreEquivalent(histogramAnswer, scaled),
                what + ": HdrHistogram " + histogramAnswer + ", exact " + scaled);
    }

    /** Nearest rank, written out: the smallest value with at least p % of the values at or below it. */
    private static double rank(double[] sorted, double percentile) {
        for (int i = 0; i < sorted.length; i++) {
            if ((i + 1) * 100.0 >= percentile * sorted.length) {
                return sorted[i];
            }
        }
        return sorted[sorted.length - 1];
    }

    private static Histogram histogramOf(double[] values) {
        Histogram h = new Histogram(3);
        for (double v : values) {
            h.recordValue(Math.round(v * SCALE));
        }
        return h;
    }

    private static double[] expand(Histogram h) {
        double[] values = new double[(int) h.getTotalCount()];
        int i = 0;
        for (HistogramIterationValue v : h.recordedValues()) {
            for (long k = 0; k < v.getCountAtValueIteratedTo(); k++) {
                values[i++] = h.medianEquivalentValue(v.getValueIteratedTo());
            }
        }
        return values;
    }

    /** The values with a NaN after each (a failed request has no value): ofValues must skip them. */
    private static double[] withNaNs(double[] values) {
        double[] out = new double[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            out[2 * i] = values[i];
            out[2 * i + 1] = Double.NaN;
        }
        return out;
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static double thousandths(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
