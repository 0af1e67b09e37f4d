package dev.tokenbench.publish;

import dev.tokenbench.run.Sharding;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClockCheckTest {

    private static long micros(Instant at) {
        return Duration.between(Instant.EPOCH, at).toNanos() / 1_000;
    }

    @Test
    void aReferenceThreeSecondsAheadReadsAsMinusThreeSecondsWithinHalfTheShortestRoundTrip() {
        Sharding.ClockOffset offset = ClockCheck.estimate(() -> {
            Thread.sleep(2); // a round trip
            return micros(Instant.now().plusMillis(3_000));
        }, 5, "http://127.0.0.1:1/api");
        assertEquals("http://127.0.0.1:1/api", offset.source());
        assertTrue(offset.uncertaintyMs() >= 1, "half of a round trip of 2 ms or more: " + offset.uncertaintyMs());
        // The reference was read after the sleep, so the midway estimate errs by up to half the round trip.
        assertEquals(-3_000, offset.offsetMs(), offset.uncertaintyMs() + 1, offset.toString());
    }

    @Test
    void anUnreachableReferenceIsUnknownAndTheRunGoesOn() {
        int[] calls = new int[1];
        Sharding.ClockOffset offset = ClockCheck.estimate(() -> {
            calls[0]++;
            throw new IOException("connection refused");
        }, 5, "http://127.0.0.1:1/api");
        assertEquals(Sharding.ClockOffset.UNKNOWN, offset);
        assertEquals(1, calls[0], "no second wait for the same refusal");
    }
}
