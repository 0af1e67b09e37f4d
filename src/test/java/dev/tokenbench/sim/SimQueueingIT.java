package dev.tokenbench.sim;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.tokenbench.sim.SimTestSupport.await;
import static dev.tokenbench.sim.SimTestSupport.awaitLogged;
import static dev.tokenbench.sim.SimTestSupport.chatBody;
import static dev.tokenbench.sim.SimTestSupport.millis;
import static dev.tokenbench.sim.SimTestSupport.post;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ttft-per-in-flight: an endpoint that queues, so that load searches have a known knee to find. */
class SimQueueingIT {

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
    void ttftGrowsWithTheRequestsAlreadyInFlightAndFallsBackWhenTheyEnd() {
        // Long streams (40 tokens at 200/s = 200 ms) keep the first requests in flight while the later ones arrive.
        SimScenario queueing = SimScenario.builder()
                .name("queue")
                .headersDelay(Duration.ZERO)
                .ttft(Duration.ofMillis(20))
                .tokensPerSecond(200)
                .jitter(0)
                .tokensPerChunk(1)
                .outputTokens(40)
                .includeUsage(true)
                .slowShare(0)
                .slowTtft(Duration.ofMillis(20))
                .slowTokensPerSecond(200)
                .seed(1)
                .build().withTtftPerInFlight(Duration.ofMillis(50));
        Simulator simulator = SimTestSupport.startSimulator(vertx, queueing);
        try {
            post(simulator.port(), "/queue/v1/chat/completions", chatBody(""), "alone");
            double alone = millis(awaitLogged(simulator.log(), "alone").ttftNanos());
            // The simulator may write an event up to its due slack early (see SimStream.DUE_SLACK_NANOS).
            double slack = millis(SimStream.DUE_SLACK_NANOS);
            assertTrue(alone >= 20 - slack && alone < 60, "alone: ttft 20 ms, got " + alone);

            // Four at once: whichever arrives k-th waits k × 50 ms more, so the largest ttft is >= 170 ms.
            ExecutorService clients = Executors.newFixedThreadPool(4);
            try {
                List<CompletableFuture<Void>> sent = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    String id = "together-" + i;
                    sent.add(CompletableFuture.runAsync(
                            () -> post(simulator.port(), "/queue/v1/chat/completions", chatBody(""), id), clients));
                }
                sent.forEach(CompletableFuture::join);
            } finally {
                clients.shutdown();
            }
            double max = 0;
            double min = Double.MAX_VALUE;
            for (int i = 0; i < 4; i++) {
                double ttft = millis(awaitLogged(simulator.log(), "together-" + i).ttftNanos());
                max = Math.max(max, ttft);
                min = Math.min(min, ttft);
            }
            assertTrue(min < 100, "the first of four queues behind none: " + min);
            assertTrue(max >= 170 - slack, "the last of four queues behind three: " + max);

            post(simulator.port(), "/queue/v1/chat/completions", chatBody(""), "after");
            double after = millis(awaitLogged(simulator.log(), "after").ttftNanos());
            assertTrue(after < 60, "once the four ended nothing is in flight: " + after);
        } finally {
            await(simulator.close());
        }
    }
}
