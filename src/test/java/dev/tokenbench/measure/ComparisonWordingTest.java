package dev.tokenbench.measure;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The ratio wording and the worst-10 % cut, as Azure Bench words and computes them. */
class ComparisonWordingTest {

    @Test
    void withinOnePointOneEitherWayIsTheSame() {
        assertEquals("same", Comparison.verdict(1.0));
        assertEquals("same", Comparison.verdict(1.1));
        assertEquals("same", Comparison.verdict(1 / 1.1));
        assertEquals("1.1x slower", Comparison.verdict(1.1001));
        assertEquals("1.1x faster", Comparison.verdict(1 / 1.1001));
        assertEquals("3.4x slower", Comparison.verdict(3.44));
        assertEquals("2.0x faster", Comparison.verdict(0.5));
        assertEquals("n/a", Comparison.verdict(Double.NaN));
        assertEquals("n/a", Comparison.verdict(Double.POSITIVE_INFINITY));
        assertEquals("n/a", Comparison.verdict(0));
    }

    @Test
    void theFactorIsHowManyTimesWorseWhicheverWayTheMetricPoints() {
        // A latency twice the baseline's, and a rate half the baseline's: both 2x slower.
        Comparison latency = Comparison.of("t", "b", Metric.TTFT_MS, "mean", 800, 400);
        Comparison rate = Comparison.of("t", "b", Metric.STREAM_TPS, "mean", 30, 60);
        assertEquals("2.0x slower", latency.verdict());
        assertEquals("2.0x slower", rate.verdict());
        assertEquals("t is 2.0x slower than b on mean stream TPS", rate.sentence());
        assertEquals("t is the same as b (within 10%) on worst-10% TTFT",
                Comparison.of("t", "b", Metric.TTFT_MS, "worst10", 105, 100).sentence());
    }

    @Test
    void worst10TailIsTheCeilingOfATenthAndAtLeastOne() {
        assertEquals(1, MetricSummary.tailSize(1));
        assertEquals(1, MetricSummary.tailSize(10));
        assertEquals(2, MetricSummary.tailSize(11));
        assertEquals(2, MetricSummary.tailSize(20));
        assertEquals(3, MetricSummary.tailSize(21));
        assertEquals(100, MetricSummary.tailSize(1000));
    }

    @Test
    void worst10IsTheLowEndOfARateAndTheHighEndOfALatency() {
        double[] values = new double[21];
        for (int i = 0; i < values.length; i++) {
            values[i] = 100 - i; // 100, 99, ..., 80: unsorted on purpose
        }
        // n = 21: tail = 3 values. Rate: 80, 81, 82 -> cut 82, mean 81. Latency: 100, 99, 98 -> cut 98, mean 99.
        MetricSummary rate = MetricSummary.ofValues(values, values.length, true);
        assertEquals(82, rate.worst10());
        assertEquals(81, rate.worst10Mean(), 1e-12);
        MetricSummary latency = MetricSummary.ofValues(values, values.length, false);
        assertEquals(98, latency.worst10());
        assertEquals(99, latency.worst10Mean(), 1e-12);
    }

    @Test
    void aSingleValueIsItsOwnWorst10() {
        MetricSummary one = MetricSummary.ofValues(new double[] {42}, 1, true);
        assertEquals(42, one.worst10());
        assertEquals(42, one.worst10Mean());
    }
}
