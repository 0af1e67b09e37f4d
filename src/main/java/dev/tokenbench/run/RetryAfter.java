package dev.tokenbench.run;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** How long a provider asked the client to wait before trying again, from the response headers it kept. */
final class RetryAfter {
    private RetryAfter() {
    }

    /**
     * Azure's {@code retry-after-ms}, else {@code retry-after} as seconds or as an HTTP date (RFC 9110 §10.2.3).
     *
     * @return milliseconds to wait, or -1 when the provider said nothing usable
     */
    static long millis(Map<String, String> headers, long nowEpochMillis) {
        String ms = headers.get("retry-after-ms");
        if (ms != null) {
            try {
                return Math.max(0, (long) Double.parseDouble(ms.strip()));
            } catch (NumberFormatException ignored) {
                // fall through to retry-after
            }
        }
        String value = headers.get("retry-after");
        if (value == null || value.isBlank()) {
            return -1;
        }
        String v = value.strip();
        try {
            return Math.max(0, Math.round(Double.parseDouble(v) * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
                return Math.max(0, at - nowEpochMillis);
            } catch (DateTimeParseException notADate) {
                return -1;
            }
        }
    }
}
