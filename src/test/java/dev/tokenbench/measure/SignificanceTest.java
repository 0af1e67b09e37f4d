package dev.tokenbench.measure;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignificanceTest {

    private static Comparison ttftMean(double[] target, double[] baseline) {
        return Comparison.of("azure", "openai", Metric.TTFT_MS, "mean", mean(target), mean(baseline));
    }

    @Test
    void aClearDifferenceWithEnoughSamplesIsSignificant() {
        double[] base = BootstrapTest.lognormal(40, 1, 300, 0.2);
        double[] slow = BootstrapTest.lognormal(40, 2, 1000, 0.2);
        Comparison c = ttftMean(slow, base);
        Significance s = Significance.of(c, slow, base);
        assertEquals(Significance.Kind.SIGNIFICANT, s.kind());
        assertTrue(s.ciLow() > 1 && s.ciLow() <= c.slowdown() && c.slowdown() <= s.ciHigh(), s.toString());
        assertTrue(s.pValue() < 0.001);
        HeadlineComparison h = new HeadlineComparison(c, s);
        assertTrue(h.sentence().startsWith("azure is " + c.verdict() + " than openai on mean TTFT (significant: 95% CI "),
                h.sentence());
        assertTrue(h.sentence().endsWith("x slower, p < 0.001)"), h.sentence());
        assertEquals("slower", h.kind());
    }

    @Test
    void theIntervalFollowsTheSlowdownOfARate() {
        double[] base = BootstrapTest.lognormal(30, 3, 80, 0.1);
        double[] slow = BootstrapTest.lognormal(30, 4, 20, 0.1);
        Comparison c = Comparison.of("azure", "openai", Metric.STREAM_TPS, "mean", mean(slow), mean(base));
        Significance s = Significance.of(c, slow, base);
        assertTrue(s.ciLow() > 3 && s.ciHigh() < 5, "baseline / target is about 4: " + s);
        assertEquals(Significance.Kind.SIGNIFICANT, s.kind());
    }

    @Test
    void fewerThanTenOnEitherSideIsTooFewSamples() {
        double[] base = BootstrapTest.lognormal(40, 1, 300, 0.2);
        double[] slow = BootstrapTest.lognormal(9, 2, 3000, 0.2);
        Comparison c = ttftMean(slow, base);
        Significance s = Significance.of(c, slow, base);
        assertEquals(Significance.Kind.TOO_FEW_SAMPLES, s.kind());
        String sentence = new HeadlineComparison(c, s).sentence();
        assertTrue(sentence.contains("looks " + c.verdict() + " than openai"), sentence);
        assertTrue(sentence.contains("too few samples to tell (9 vs 40 successful requests; 10 each needed)"),
                sentence);
        assertFalse(sentence.contains(" is " + c.verdict()), "claims no winner: " + sentence);
        assertEquals("unclear", new HeadlineComparison(c, s).kind());
    }

    @Test
    void anIntervalThatContainsOneIsNotSignificant() {
        double[] a = BootstrapTest.lognormal(12, 5, 400, 0.8);
        double[] b = BootstrapTest.lognormal(12, 6, 400, 0.8);
        Comparison c = ttftMean(a, b);
        Significance s = Significance.of(c, a, b);
        assertTrue(s.ciLow() < 1 && s.ciHigh() > 1, s.toString());
        assertEquals(Significance.Kind.NOT_SIGNIFICANT, s.kind());
        HeadlineComparison h = new HeadlineComparison(c, s);
        if (!"same".equals(c.verdict())) {
            assertTrue(h.sentence().contains(", but that is not significant (95% CI "), h.sentence());
            assertTrue(h.verdictText().endsWith("(not significant)"), h.verdictText());
        }
    }

    @Test
    void worst10IsJudgedByItsIntervalWithoutAPValue() {
        double[] base = BootstrapTest.lognormal(50, 1, 300, 0.2);
        double[] slow = BootstrapTest.lognormal(50, 2, 900, 0.2);
        MetricSummary ts = MetricSummary.ofValues(slow, slow.length, false);
        MetricSummary bs = MetricSummary.ofValues(base, base.length, false);
        Comparison c = Comparison.of("azure", "openai", Metric.TTFT_MS, "worst10", ts.worst10(), bs.worst10());
        Significance s = Significance.of(c, slow, base);
        assertTrue(Double.isNaN(s.pValue()));
        assertTrue(s.ciLow() <= c.slowdown() && c.slowdown() <= s.ciHigh(), s + " vs " + c.slowdown());
        assertEquals(Significance.Kind.SIGNIFICANT, s.kind());
        assertFalse(new HeadlineComparison(c, s).sentence().contains("p "));
    }

    @Test
    void aSmallButSignificantDifferenceStaysTheSame() {
        double[] base = BootstrapTest.lognormal(400, 1, 300, 0.05);
        double[] target = BootstrapTest.lognormal(400, 2, 300 * 1.05, 0.05);
        Comparison c = ttftMean(target, base);
        Significance s = Significance.of(c, target, base);
        assertEquals("same", c.verdict());
        assertEquals(Significance.Kind.SIGNIFICANT, s.kind(), s.toString());
        HeadlineComparison h = new HeadlineComparison(c, s);
        assertTrue(h.sentence().startsWith("azure is the same as openai (within 10%) on mean TTFT, though the small "
                + "difference is significant (95% CI 1.0"), h.sentence());
        assertEquals("same", h.kind());
    }

    @Test
    void rangeIsWordedInTheDirectionOfTheDifference() {
        assertEquals("2.91–4.02x slower", Significance.range(2.91, 4.02));
        assertEquals("2.00–4.00x faster", Significance.range(0.25, 0.5));
        assertEquals("1.25x faster to 1.30x slower", Significance.range(0.8, 1.3));
        assertEquals("p < 0.001", Significance.pText(0.0004));
        assertEquals("p = 0.042", Significance.pText(0.0421));
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElseThrow();
    }

    @Test
    void anIntervalRoundingToOneOnAnEndNeverReadsOneTimesFasterToOneTimesSlower() {
        assertEquals("1.00x (no difference at this precision)", Significance.range(0.998, 1.003));
        assertEquals("1.00–1.31x slower", Significance.range(0.998, 1.31));
        assertEquals("1.00–1.25x faster", Significance.range(0.8, 1.004));
        assertEquals("1.20x faster to 1.31x slower", Significance.range(1 / 1.2, 1.31));
        assertEquals("2.91–4.02x slower", Significance.range(2.91, 4.02));
    }

    @Test
    void aWorst10TailOfFewerThanFiveRequestsMakesNoClaim() {
        double[] base = BootstrapTest.lognormal(40, 1, 300, 0.2);
        double[] slow = BootstrapTest.lognormal(40, 2, 3000, 0.2);
        MetricSummary ts = MetricSummary.ofValues(slow, slow.length, false);
        MetricSummary bs = MetricSummary.ofValues(base, base.length, false);
        Comparison c = Comparison.of("azure", "openai", Metric.TTFT_MS, "worst10", ts.worst10(), bs.worst10());
        Significance s = Significance.of(c, slow, base);
        assertEquals(Significance.Kind.SMALL_TAIL, s.kind(), "40 requests: a tail of 4");
        String sentence = new HeadlineComparison(c, s).sentence();
        assertTrue(sentence.contains("looks " + c.verdict() + " than openai on worst-10% TTFT, but the tail is too "
                + "small to tell (worst-10% tails of 4 requests vs 4; 5 each needed)"), sentence);
        assertFalse(sentence.contains("CI"), sentence);
        Comparison mean = ttftMean(slow, base);
        assertEquals(Significance.Kind.SIGNIFICANT, Significance.of(mean, slow, base).kind(), "the mean still can");
    }
}
