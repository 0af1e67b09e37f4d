package dev.tokenbench.sim;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.tokenbench.sim.SimTestSupport.await;
import static dev.tokenbench.sim.SimTestSupport.awaitLogged;
import static dev.tokenbench.sim.SimTestSupport.chatBody;
import static dev.tokenbench.sim.SimTestSupport.millis;
import static dev.tokenbench.sim.SimTestSupport.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The degraded tail: which requests are slow is a function of seed and request number, not of timing. */
class SimSlowShareTest {

    private static final int REQUESTS = 12;

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        await(vertx.close());
    }

    @Test
    void slowChoiceHitsTheShareAndRepeatsWithTheSeed() {
        int draws = 100_000;
        int slow = 0;
        for (int i = 0; i < draws; i++) {
            boolean first = Simulator.isSlow(Simulator.requestRandom(42, i), 0.2);
            assertEquals(first, Simulator.isSlow(Simulator.requestRandom(42, i), 0.2), "same seed, same choice");
            slow += first ? 1 : 0;
        }
        assertEquals(0.2, slow / (double) draws, 0.01);
        assertEquals(slowFlags(7, 0.5, 64), slowFlags(7, 0.5, 64));
        assertNotEquals(slowFlags(7, 0.5, 64), slowFlags(8, 0.5, 64));
        assertEquals(List.of(), slowFlags(7, 0, 64).stream().filter(s -> s).toList());
        assertEquals(List.of(), slowFlags(7, 1, 64).stream().filter(s -> !s).toList());
    }

    @Test
    void twoSimulatorsWithOneSeedServeTheSameSlowRequestsAtTheSlowTtft() {
        SimScenario tail = SimScenario.builder()
                .name("tail")
                .headersDelay(Duration.ZERO)
                .ttft(Duration.ofMillis(5))
                .tokensPerSecond(1_000)
                .jitter(0)
                .tokensPerChunk(1)
                .outputTokens(2)
                .includeUsage(true)
                .slowShare(0.5)
                .slowTtft(Duration.ofMillis(100))
                .slowTokensPerSecond(1_000)
                .seed(1234)
                .build();
        List<Boolean> expected = slowFlags(1234, 0.5, REQUESTS);
        assertTrue(expected.contains(true) && expected.contains(false), "the seed should give a mix: " + expected);

        for (int run = 0; run < 2; run++) {
            Simulator simulator = SimTestSupport.startSimulator(vertx, tail);
            try {
                List<Boolean> served = new ArrayList<>();
                for (int i = 0; i < REQUESTS; i++) {
                    String requestId = "tail-" + run + "-" + i;
                    post(simulator.port(), "/tail/v1/chat/completions", chatBody(""), requestId);
                    SimRequestLog log = awaitLogged(simulator.log(), requestId);
                    served.add(log.slow());
                    // Which path served it, not how precisely (SimulatorScheduleIT checks that): a slow request
                    // is never early for the slow ttft, a fast one is far below it unless the OS stalls us 95 ms.
                    if (log.slow()) {
                        assertTrue(log.ttftNanos() >= 100_000_000 - SimStream.DUE_SLACK_NANOS,
                                requestId + " slow, ttft " + millis(log.ttftNanos()) + " ms");
                    } else {
                        assertTrue(log.ttftNanos() < 100_000_000,
                                requestId + " fast, ttft " + millis(log.ttftNanos()) + " ms");
                    }
                }
                assertEquals(expected, served, "run " + run);
            } finally {
                await(simulator.close());
            }
        }
    }

    private static List<Boolean> slowFlags(long seed, double share, int requests) {
        List<Boolean> flags = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            flags.add(Simulator.isSlow(Simulator.requestRandom(seed, i), share));
        }
        return flags;
    }
}
