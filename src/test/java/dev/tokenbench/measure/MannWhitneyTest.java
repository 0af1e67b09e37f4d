package dev.tokenbench.measure;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Against known values: U counted by hand, and p-values of scipy 1.17.1's
 * {@code mannwhitneyu(a, b, alternative="two-sided", method="asymptotic", use_continuity=True)}, the same normal
 * approximation with tie and continuity corrections.
 */
class MannWhitneyTest {

    @Test
    void uCountsThePairsWhereTheFirstSampleIsLarger() {
        // Every a is below every b: no pair has a > b, so U1 = 0 and U2 = 3 * 3.
        MannWhitney.Result r = MannWhitney.test(new double[] {1, 2, 3}, new double[] {4, 5, 6});
        assertEquals(0, r.u1());
        assertEquals(9, r.u2());
        // One tie between the samples counts a half: pairs (3 > 2), (3 = 3) -> 1.5 for a = {3}, b = {2, 3}.
        assertEquals(1.5, MannWhitney.test(new double[] {3}, new double[] {2, 3}).u1());
    }

    @Test
    void separatedLatenciesWithoutTies() {
        double[] a = {310.2, 295.1, 402.7, 388.0, 351.3, 330.9, 299.4, 420.5, 365.2, 340.0, 312.8, 377.1};
        double[] b = {450.3, 512.9, 389.5, 601.2, 470.0, 455.5, 530.1, 498.7, 610.4, 444.4, 520.0};
        MannWhitney.Result r = MannWhitney.test(a, b);
        assertEquals(2.0, r.u1());
        assertEquals(9.300369697699858e-05, r.pValue(), 9.300369697699858e-05 * 1e-5);
        // Symmetric: swapping the samples swaps U1 and U2 and keeps p.
        MannWhitney.Result swapped = MannWhitney.test(b, a);
        assertEquals(r.u2(), swapped.u1());
        assertEquals(r.pValue(), swapped.pValue(), 1e-15);
    }

    @Test
    void manyTiesUseTheTieCorrectedVariance() {
        double[] c = {1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 7};
        double[] d = {3, 3, 4, 5, 5, 5, 6, 6, 7, 7, 8, 8, 9};
        MannWhitney.Result r = MannWhitney.test(c, d);
        assertEquals(33.0, r.u1());
        assertEquals(0.014444494756031767, r.pValue(), 0.014444494756031767 * 1e-5);
    }

    @Test
    void overlappingSamplesAreNotSignificant() {
        double[] e = {10, 12, 11, 13, 14, 9, 10, 12, 15, 11};
        double[] f = {11, 13, 10, 12, 14, 10, 12, 11, 13, 12};
        MannWhitney.Result r = MannWhitney.test(e, f);
        assertEquals(46.5, r.u1());
        assertEquals(0.8175359488904447, r.pValue(), 1e-6);
    }

    @Test
    void allValuesTiedGivesPOne() {
        MannWhitney.Result r = MannWhitney.test(new double[] {5, 5, 5}, new double[] {5, 5});
        assertEquals(1.0, r.pValue());
    }

    @Test
    void nanValuesAreIgnoredAndAnEmptySampleHasNoP() {
        MannWhitney.Result r = MannWhitney.test(new double[] {1, Double.NaN, 2, 3}, new double[] {4, 5, 6});
        assertEquals(9, r.u2());
        assertTrue(Double.isNaN(MannWhitney.test(new double[] {Double.NaN}, new double[] {1}).pValue()));
    }

    @Test
    void erfcMatchesReferenceValuesToSevenDigits() {
        // scipy.special.erfc
        double[][] known = {{0.5, 0.4795001221869535}, {1.0, 0.15729920705028516}, {2.0, 0.004677734981047266},
                {3.0, 2.2090496998585445e-05}, {5.0, 1.5374597944280347e-12}, {-1.0, 1.8427007929497148}};
        for (double[] k : known) {
            assertEquals(k[1], MannWhitney.erfc(k[0]), Math.abs(k[1]) * 1.2e-7, "erfc(" + k[0] + ")");
        }
    }
}
