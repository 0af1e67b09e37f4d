package dev.tokenbench.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in benchmark files: {@code 500ms}, {@code 60s}, {@code 1.5s}, {@code 2m}. */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");
    private static final String HOW = "write it like 500ms, 60s or 2m";

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException with a message fit to show the user (what is wrong and how to write it)
     */
    public static Duration parse(String text) {
        String trimmed = text == null ? "" : text.strip();
        Matcher m = DURATION.matcher(trimmed);
        if (!m.matches()) {
            String hint = trimmed.matches("-?\\d+(\\.\\d+)?") ? " (it has no unit)"
                    : trimmed.startsWith("-") ? " (it is negative)" : "";
            throw new IllegalArgumentException("cannot parse '" + text + "' as a duration" + hint + "; " + HOW);
        }
        // BigDecimal so that 1.5s is exactly 1,500,000,000 ns, with no binary-fraction rounding.
        BigDecimal nanosPerUnit = BigDecimal.valueOf(switch (m.group(2)) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        });
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(nanosPerUnit);
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration; " + HOW);
        }
        if (nanos.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("'" + text + "' is finer than a nanosecond; " + HOW);
        }
        return Duration.ofNanos(nanos.longValueExact());
    }

    /** The shortest exact rendering in the units above, e.g. {@code 1500ms}, {@code 2m}: for messages and reports. */
    public static String format(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        long[] sizes = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};
        String[] units = {"h", "m", "s", "ms", "us", "ns"};
        for (int i = 0; i < sizes.length; i++) {
            if (nanos % sizes[i] == 0) {
                return nanos / sizes[i] + units[i];
            }
        }
        return nanos + "ns";
    }
}
