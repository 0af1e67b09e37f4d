package dev.tokenbench.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FormatsTest {

    @Test
    void millisecondsKeepOneDecimalOnlyWhereItMatters() {
        assertEquals("12.3", Formats.ms(12.34));
        assertEquals("99.9", Formats.ms(99.94));
        assertEquals("1235", Formats.ms(1234.6));
        assertEquals("–", Formats.ms(Double.NaN));
    }

    @Test
    void ratesHaveOneDecimal() {
        assertEquals("70.0", Formats.tps(70));
        assertEquals("1.5", Formats.tps(1.46));
        assertEquals("–", Formats.tps(Double.NaN));
        assertEquals("–", Formats.tps(Double.POSITIVE_INFINITY));
    }

    @Test
    void costsKeepFourSignificantDigits() {
        assertEquals("$0.0003416", Formats.usd(0.00034159));
        assertEquals("$12.5", Formats.usd(12.5));
        assertEquals("$1235", Formats.usd(1234.5678));
        assertEquals("$0", Formats.usd(0));
        assertEquals("–", Formats.usd(Double.NaN));
    }

    @Test
    void sharesAndElapsedTimes() {
        assertEquals("40.0%", Formats.percent(0.4));
        assertEquals("–", Formats.percent(Double.NaN));
        assertEquals("4.1s", Formats.elapsed(4.06));
        assertEquals("2m05s", Formats.elapsed(125.9));
        assertEquals("1h02m", Formats.elapsed(3720));
    }
}
