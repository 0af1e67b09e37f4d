package dev.tokenbench.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GracefulStopTest {
    @Test
    void theFirstSignalSaysHowLongItWaitsForHowManyAndHowToStopNow() {
        assertEquals("tokenbench: stopping: waiting up to 10s for 3 in flight (Ctrl-C again to stop now)",
                GracefulStop.stoppingNotice("INT", Duration.ofSeconds(10), 3));
        assertEquals("tokenbench: stopping: waiting up to 500ms for 0 in flight (SIGTERM again to stop now)",
                GracefulStop.stoppingNotice("TERM", Duration.ofMillis(500), 0));
    }
}
