package dev.tokenbench.run;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * How long a provider asked the client to wait: {@code retry-after-ms} (OpenAI, Azure) wins over
 * {@code retry-after}, which is delay-seconds or an HTTP date (RFC 9110 §10.2.3).
 */
final class RetryAfter {
    private RetryAfter() {
    }

    /** Milliseconds to wait, or -1 when neither header says (or says something unreadable). */
    static long millis(String retryAfterMs, String retryAfter, long nowEpochMillis) {
        long ms = wholeNumber(retryAfterMs);
        if (ms >= 0) {
            return ms;
        }
        if (retryAfter == null || retryAfter.isBlank()) {
            return -1;
        }
        String value = retryAfter.strip();
        long seconds = wholeNumber(value);
        if (seconds >= 0) {
            return seconds > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : seconds * 1000;
        }
        try {
            double fractional = Double.parseDouble(value); // not in the RFC, but some gateways send "1.5"
            if (fractional >= 0 && !Double.isInfinite(fractional)) {
                return Math.round(fractional * 1000);
            }
        } catch (NumberFormatException notANumber) {
            // an HTTP date, below
        }
        try {
            long at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
            return Math.max(0, at - nowEpochMillis);
        } catch (DateTimeParseException unreadable) {
            return -1;
        }
    }

    private static long wholeNumber(String text) {
        if (text == null) {
            return -1;
        }
        String t = text.strip();
        if (t.isEmpty() || t.length() > 18) {
            return -1;
        }
        for (int i = 0; i < t.length(); i++) {
            if (!Character.isDigit(t.charAt(i))) {
                return -1;
            }
        }
        return Long.parseLong(t);
    }
}
