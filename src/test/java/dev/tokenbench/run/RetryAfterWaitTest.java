package dev.tokenbench.run;

import dev.tokenbench.config.LoadSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The wait before a retry: the provider's ask is honoured up to max-backoff, never beyond it. */
class RetryAfterWaitTest {
    private static final LoadSpec.Retries HONOURED =
            new LoadSpec.Retries(2, Duration.ofMillis(50), Duration.ofMillis(200), true);

    @Test
    void aRetryAfterOfAnHourWaitsMaxBackoff() {
        long asked = RetryAfter.millis(null, "3600", 0);
        assertEquals(3_600_000, asked);
        assertEquals(200, RetryAfter.waitMillis(HONOURED, asked, 1, 0.5));
        LoadSpec.Retries longer = new LoadSpec.Retries(2, Duration.ofSeconds(1), Duration.ofMinutes(20), true);
        assertEquals(1_200_000, RetryAfter.waitMillis(longer, asked, 1, 0.5), "no hidden cap under max-backoff");
    }

    @Test
    void anAskWithinMaxBackoffIsWaitedExactly() {
        assertEquals(80, RetryAfter.waitMillis(HONOURED, RetryAfter.millis("80", null, 0), 1, 0.99));
        assertEquals(0, RetryAfter.waitMillis(HONOURED, 0, 3, 0.99));
    }

    @Test
    void withoutAnAskOrWhenNotHonouredTheBackoffIsJitteredUnderItsCeiling() {
        assertEquals(25, RetryAfter.waitMillis(HONOURED, -1, 1, 0.5), "0.5 x 50 ms");
        assertEquals(50, RetryAfter.waitMillis(HONOURED, -1, 2, 0.5), "0.5 x 100 ms");
        assertEquals(100, RetryAfter.waitMillis(HONOURED, -1, 5, 0.5), "0.5 x max-backoff 200 ms");
        LoadSpec.Retries ignoring = new LoadSpec.Retries(2, Duration.ofMillis(50), Duration.ofMillis(200), false);
        assertEquals(25, RetryAfter.waitMillis(ignoring, 3_600_000, 1, 0.5), "retry-after: false ignores the ask");
    }
}
