package dev.tokenbench.publish;

import dev.tokenbench.run.Sharding;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/**
 * How far this machine's wall clock is from the central service's, measured as NTP does in its simplest form: ask
 * for the service's time, take the local time halfway through the round trip, keep the sample with the shortest
 * round trip (its half is the uncertainty). Shards started at one {@code --start-at} are only as together as their
 * clocks; run.json says by how much each may be off.
 */
public final class ClockCheck {
    /** Samples taken; the shortest round trip wins. */
    public static final int SAMPLES = 5;

    /** The reference clock: its wall-clock time in microseconds since the epoch. */
    @FunctionalInterface
    public interface ReferenceClock {
        long epochMicros() throws Exception;
    }

    private ClockCheck() {
    }

    /**
     * This machine against the central service at {@code apiUrl} ({@code GET /clock}); {@link
     * Sharding.ClockOffset#UNKNOWN} when it cannot be asked (no token, unreachable: the run goes on without).
     */
    public static Sharding.ClockOffset against(URI apiUrl, String token) {
        if (token == null || token.isBlank()) {
            return Sharding.ClockOffset.UNKNOWN;
        }
        CentralApi api = CentralCalls.client(apiUrl);
        String authorization = "Bearer " + token;
        return estimate(() -> Long.parseLong(api.clock(authorization).strip()), SAMPLES, apiUrl.toString());
    }

    /**
     * @param source what run.json names as the reference (never a secret: the service's URL)
     * @return local minus reference, in ms, with half the shortest round trip as its uncertainty
     */
    public static Sharding.ClockOffset estimate(ReferenceClock reference, int samples, String source) {
        double bestRoundTripNanos = Double.MAX_VALUE;
        double bestOffsetMs = Double.NaN;
        for (int i = 0; i < samples; i++) {
            Instant sentAt = Instant.now();
            long sentNanos = System.nanoTime();
            long referenceMicros;
            try {
                referenceMicros = reference.epochMicros();
            } catch (Exception e) {
                break; // unreachable or refused: the next would wait as long again for the same answer
            }
            long roundTripNanos = System.nanoTime() - sentNanos;
            if (roundTripNanos < bestRoundTripNanos) {
                Instant midway = sentAt.plusNanos(roundTripNanos / 2);
                long localMicros = Duration.between(Instant.EPOCH, midway).toNanos() / 1_000;
                bestRoundTripNanos = roundTripNanos;
                bestOffsetMs = (localMicros - referenceMicros) / 1e3;
            }
        }
        if (Double.isNaN(bestOffsetMs)) {
            return Sharding.ClockOffset.UNKNOWN;
        }
        return new Sharding.ClockOffset(bestOffsetMs, bestRoundTripNanos / 2 / 1e6, source);
    }
}
