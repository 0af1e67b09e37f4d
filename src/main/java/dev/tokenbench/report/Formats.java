package dev.tokenbench.report;

import dev.tokenbench.measure.Metric;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How every report writes a number, so that the terminal, Markdown and HTML show the same figure the same way.
 * {@link Locale#ROOT} throughout: a report written on a German laptop must not say "12,5 ms".
 */
final class Formats {
    /** What a figure that does not exist (NaN: no successful request) is shown as. */
    static final String MISSING = "–";

    private static final MathContext COST_DIGITS = new MathContext(4);
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    private Formats() {
    }

    private static boolean missing(double value) {
        return Double.isNaN(value) || Double.isInfinite(value);
    }

    /** Milliseconds: one decimal below 100 ms, where a tenth still matters, none above. */
    static String ms(double value) {
        if (missing(value)) {
            return MISSING;
        }
        return String.format(Locale.ROOT, Math.abs(value) < 100 ? "%.1f" : "%.0f", value);
    }

    /** Tokens per second. */
    static String tps(double value) {
        return missing(value) ? MISSING : String.format(Locale.ROOT, "%.1f", value);
    }

    /** A figure in its metric's unit: ms, tok/s, a share, tokens per event or a token count. */
    static String metric(Metric metric, double value) {
        if (metric == Metric.TOKENS_PER_EVENT) {
            return tps(value);
        }
        return switch (metric.unit()) {
            case "ms" -> ms(value);
            case "tok/s" -> tps(value);
            case "share" -> percent(value);
            default -> missing(value) ? MISSING : String.format(Locale.ROOT, "%.0f", value);
        };
    }

    /** A share in [0, 1] as a percentage. */
    static String percent(double ratio) {
        return missing(ratio) ? MISSING : String.format(Locale.ROOT, "%.1f%%", ratio * 100);
    }

    /**
     * US dollars to four significant digits: per-request costs are fractions of a cent, so a fixed number of
     * decimals would show either "$0.00" or a dozen zeros.
     */
    static String usd(double value) {
        if (missing(value)) {
            return MISSING;
        }
        if (value == 0) {
            return "$0";
        }
        return "$" + new BigDecimal(value).round(COST_DIGITS).stripTrailingZeros().toPlainString();
    }

    /** A report's time of day, to the second in UTC: run.json keeps the instant's full precision. */
    static String timestamp(Instant instant) {
        return instant == null ? MISSING : TIMESTAMP.format(instant);
    }

    /** "1 target", "3 targets". */
    static String count(long n, String singular) {
        return n + " " + (n == 1 ? singular : singular + "s");
    }

    /** Elapsed time for a progress line: 4.1s, 2m05s, 1h02m. */
    static String elapsed(double seconds) {
        if (missing(seconds) || seconds < 0) {
            return MISSING;
        }
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        long whole = (long) seconds;
        if (whole < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", whole / 60, whole % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", whole / 3600, whole % 3600 / 60);
    }
}
