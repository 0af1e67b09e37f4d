package dev.tokenbench.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationsTest {

    @Test
    void unitsPeopleWrite() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(60), Durations.parse("60s"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofNanos(250_000), Durations.parse("250us"));
        assertEquals(Duration.ofNanos(250_000), Durations.parse("250µs"));
        assertEquals(Duration.ofNanos(7), Durations.parse("7ns"));
        assertEquals(Duration.ZERO, Durations.parse("0s"));
        assertEquals(Duration.ofMillis(100), Durations.parse("0.1s"), "exact, no binary rounding");
    }

    @Test
    void junkSaysHowToWriteIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("10 sec"));
        assertEquals("cannot parse '10 sec' as a duration; write it like 500ms, 60s or 2m", e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Durations.parse("10")).getMessage()
                .contains("(it has no unit)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Durations.parse("-5s")).getMessage()
                .contains("(it is negative)"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("1.5ns"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("5S"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(""));
    }

    @Test
    void formatIsShortestExact() {
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
        assertEquals("2m", Durations.format(Duration.ofMinutes(2)));
        assertEquals("0s", Durations.format(Duration.ZERO));
        assertEquals("250us", Durations.format(Duration.ofNanos(250_000)));
    }
}
