package dev.tokenbench.run;

import dev.tokenbench.config.LoadSpec;

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

    /**
     * The wait before a retry. The provider's ask ({@code retryAfterMs}, when it sent one and the load honours it)
     * is waited for up to {@code max-backoff}: an ask beyond it (a {@code retry-after: 3600}) waits max-backoff and
     * then retries, so one answer never holds a run for an hour. Without an ask: exponential backoff with full
     * jitter, {@code uniform} × min(max-backoff, backoff × 2^(attempt-1)).
     *
     * @param attempts the attempts made so far (1 after the first)
     * @param uniform  a random number in [0, 1)
     */
    static long waitMillis(LoadSpec.Retries retries, long retryAfterMs, int attempts, double uniform) {
        long maxBackoffMillis = retries.maxBackoff().toMillis();
        if (retries.honourRetryAfter() && retryAfterMs >= 0) {
            return Math.min(retryAfterMs, maxBackoffMillis);
        }
        double ceiling = Math.min(maxBackoffMillis, retries.backoff().toMillis() * Math.pow(2, attempts - 1));
        return (long) (uniform * ceiling);
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
