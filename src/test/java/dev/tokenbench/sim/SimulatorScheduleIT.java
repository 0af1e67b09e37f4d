package dev.tokenbench.sim;

import dev.tokenbench.provider.ProviderRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.tokenbench.sim.SimTestSupport.assertNotEarly;
import static dev.tokenbench.sim.SimTestSupport.await;
import static dev.tokenbench.sim.SimTestSupport.awaitLogged;
import static dev.tokenbench.sim.SimTestSupport.chatBody;
import static dev.tokenbench.sim.SimTestSupport.lateness;
import static dev.tokenbench.sim.SimTestSupport.millis;
import static dev.tokenbench.sim.SimTestSupport.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator's own log against the schedule its scenario promises. Timer granularity is 1 ms, so the bounds are
 * ±3 ms for the first token and a few ms for the rest; these check the schedule, not anyone's speed.
 *
 * <p>Two kinds of check. Invariants hold whatever the machine does and fail at once: no event is written before
 * its due time (less the documented slack), events stay in order, counts are exact. Tolerances (late by at most a
 * few ms) can be broken by the OS alone: on a shared 2-core box the event loop thread is sometimes descheduled for
 * tens of ms. So a stream that breaks a tolerance is retried, up to {@value #ATTEMPTS} streams; a scheduling bug
 * (a wrong offset, drift) breaks every attempt, a descheduled thread rarely every time.
 */
class SimulatorScheduleIT {

    private static final long FIRST_TOKEN_TOLERANCE_NANOS = 3_000_000;
    private static final long EVENT_TOLERANCE_NANOS = 5_000_000;
    private static final int ATTEMPTS = 5;

    private static Vertx vertx;
    private static Context serverContext;
    private static Simulator simulator;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        SimScenario paced = SimScenario.builder()
                .name("paced")
                .headersDelay(Duration.ofMillis(20))
                .ttft(Duration.ofMillis(100))
                .tokensPerSecond(50)
                .jitter(0)
                .tokensPerChunk(1)
                .outputTokens(20)
                .includeUsage(true)
                .slowShare(0)
                .slowTtft(Duration.ZERO)
                .slowTokensPerSecond(1)
                .seed(1)
                .build();
        SimScenario jittery = SimScenario.builder()
                .name("jittery")
                .headersDelay(Duration.ZERO)
                .ttft(Duration.ofMillis(30))
                .tokensPerSecond(100)
                .jitter(0.5)
                .tokensPerChunk(1)
                .outputTokens(30)
                .includeUsage(true)
                .slowShare(0)
                .slowTtft(Duration.ZERO)
                .slowTokensPerSecond(1)
                .seed(2)
                .build();
        SimScenario chunked = SimScenario.builder()
                .name("chunked")
                .headersDelay(Duration.ZERO)
                .ttft(Duration.ofMillis(30))
                .tokensPerSecond(250)
                .jitter(0)
                .tokensPerChunk(5)
                .outputTokens(23)
                .includeUsage(true)
                .slowShare(0)
                .slowTtft(Duration.ZERO)
                .slowTokensPerSecond(1)
                .seed(3)
                .build();
        SimScenario steady = SimScenario.builder()
                .name("steady")
                .headersDelay(Duration.ZERO)
                .ttft(Duration.ofMillis(20))
                .tokensPerSecond(100)
                .jitter(0)
                .tokensPerChunk(1)
                .outputTokens(30)
                .includeUsage(true)
                .slowShare(0)
                .slowTtft(Duration.ZERO)
                .slowTokensPerSecond(1)
                .seed(4)
                .build();
        SimScenario endless = SimScenario.builder()
                .name("endless")
                .headersDelay(Duration.ZERO)
                .ttft(Duration.ofMillis(10))
                .tokensPerSecond(100)
                .jitter(0)
                .tokensPerChunk(1)
                .outputTokens(1_000)
                .includeUsage(true)
                .slowShare(0)
                .slowTtft(Duration.ZERO)
                .slowTokensPerSecond(1)
                .seed(5)
                .build();
        SimConfig config = new SimConfig(Map.of("paced", paced, "jittery", jittery, "chunked", chunked,
                "steady", steady, "endless", endless));
        // Started from a context of our own, so the server serves on its event loop and a test can stall that loop.
        serverContext = vertx.getOrCreateContext();
        Promise<Simulator> started = Promise.promise();
        serverContext.runOnContext(ignored ->
                Simulator.start(vertx, config, "127.0.0.1", 0, ProviderRegistry.defaults().simApis())
                        .onComplete(started));
        simulator = await(started.future());
    }

    @AfterAll
    static void stop() {
        await(simulator.close());
        await(vertx.close());
    }

    @Test
    void writesHeadersFirstTokenAndEveryLaterTokenOnTheAbsoluteSchedule() {
        SimRequestLog log = streamOnSchedule("/paced/v1/chat/completions", "paced", null, entry -> {
            long[] stamps = entry.contentEventWrittenNanos();
            assertEquals(20, stamps.length);
            assertNotEarly(20_000_000, entry.headersWrittenNanos() - entry.receivedNanos(), "headers");
            for (int k = 0; k < stamps.length; k++) {
                assertNotEarly(100_000_000 + k * 20_000_000L, stamps[k] - entry.receivedNanos(), "content event " + k);
            }
            assertTrue(entry.endWrittenNanos() >= stamps[19]);
            String late = lateness(20_000_000, entry.headersWrittenNanos() - entry.receivedNanos(),
                    FIRST_TOKEN_TOLERANCE_NANOS, "headers");
            late = late != null ? late : lateness(100_000_000, entry.ttftNanos(), FIRST_TOKEN_TOLERANCE_NANOS, "ttft");
            for (int k = 1; late == null && k < stamps.length; k++) {
                late = lateness(100_000_000 + k * 20_000_000L, stamps[k] - entry.receivedNanos(), EVENT_TOLERANCE_NANOS,
                        "content event " + k);
            }
            // the end follows the last event at once
            return late != null ? late
                    : lateness(stamps[19], entry.endWrittenNanos(), 1_000_000, "end after the last event");
        });
        // The last event at receipt + ttft + (n-1)/rate = 100 ms + 19 × 20 ms, so 20 tokens over 380 ms.
        double expectedTokensPerSecond = 20 / 0.38;
        assertEquals(expectedTokensPerSecond, log.streamTokensPerSecond(), expectedTokensPerSecond * 0.03);
    }

    @Test
    void jitterMovesEventsWithinTheirBoundsAndNeverBackwards() {
        long gapNanos = 10_000_000;
        SimRequestLog log = streamOnSchedule("/jittery/v1/chat/completions", "jittery", null, entry -> {
            long[] stamps = entry.contentEventWrittenNanos();
            assertEquals(30, stamps.length);
            assertNotEarly(30_000_000, entry.ttftNanos(), "ttft");
            for (int k = 1; k < stamps.length; k++) {
                assertTrue(stamps[k] >= stamps[k - 1], "event " + k + " written before event " + (k - 1));
                assertNotEarly(30_000_000 + k * gapNanos - gapNanos / 2, stamps[k] - entry.receivedNanos(),
                        "event " + k + " (jitter moves it by half a gap at most)");
            }
            String late = lateness(30_000_000, entry.ttftNanos(), FIRST_TOKEN_TOLERANCE_NANOS, "ttft");
            for (int k = 1; late == null && k < stamps.length; k++) {
                late = lateness(30_000_000 + k * gapNanos + gapNanos / 2, stamps[k] - entry.receivedNanos(),
                        EVENT_TOLERANCE_NANOS, "event " + k + " (jitter moves it by half a gap at most)");
            }
            return late;
        });
        boolean anyMoved = false;
        long[] stamps = log.contentEventWrittenNanos();
        for (int k = 1; k < stamps.length; k++) {
            anyMoved |= Math.abs(stamps[k] - log.receivedNanos() - (30_000_000 + k * gapNanos)) > 2_000_000;
        }
        assertTrue(anyMoved, "jitter 0.5 of a 10 ms gap should move some event by more than 2 ms");
    }

    @Test
    void chunksFollowTheScheduleOfTheirTokens() {
        SimRequestLog log = streamOnSchedule("/chunked/v1/chat/completions", "chunked", null, entry -> {
            long[] stamps = entry.contentEventWrittenNanos();
            assertEquals(5, stamps.length, "23 tokens in chunks of 5");
            assertEquals(23, entry.outputTokens());
            String late = null;
            for (int k = 0; k < stamps.length; k++) {
                // 5 tokens per chunk at 250 tokens/s: one event every 20 ms
                long dueNanos = 30_000_000 + k * 20_000_000L;
                assertNotEarly(dueNanos, stamps[k] - entry.receivedNanos(), "chunk " + k);
                late = late != null ? late : lateness(dueNanos, stamps[k] - entry.receivedNanos(),
                        k == 0 ? FIRST_TOKEN_TOLERANCE_NANOS : EVENT_TOLERANCE_NANOS, "chunk " + k);
            }
            return late;
        });
        assertEquals(23, log.outputTokens());
    }

    @Test
    void aStalledEventLoopDelaysOnlyTheEventsDueDuringTheStall() {
        // Stall the server's event loop from about 100 ms to 160 ms after the request: events 8..14 fall due in it.
        Runnable stallServerLoop = () -> vertx.setTimer(100, ignored -> serverContext.runOnContext(stall -> {
            long untilNanos = System.nanoTime() + 60_000_000;
            while (System.nanoTime() < untilNanos) {
                Thread.onSpinWait();
            }
        }));
        streamOnSchedule("/steady/v1/chat/completions", "stalled", stallServerLoop, entry -> {
            long[] stamps = entry.contentEventWrittenNanos();
            assertEquals(30, stamps.length);
            long latestLatenessNanos = 0;
            for (int k = 0; k < stamps.length; k++) {
                long dueNanos = 20_000_000 + k * 10_000_000L;
                assertNotEarly(dueNanos, stamps[k] - entry.receivedNanos(), "event " + k);
                latestLatenessNanos = Math.max(latestLatenessNanos, stamps[k] - entry.receivedNanos() - dueNanos);
            }
            assertTrue(latestLatenessNanos > 20_000_000, "the stall should have made some event late, max lateness "
                    + millis(latestLatenessNanos) + " ms");
            // No drift: once the loop is free again, the remaining events are back on the original schedule.
            return lateness(20_000_000 + 29 * 10_000_000L, stamps[29] - entry.receivedNanos(), EVENT_TOLERANCE_NANOS,
                    "last event after the stall");
        });
    }

    @Test
    void aClientThatGoesAwayIsLoggedWithWhatWasWritten() {
        HttpClient client = vertx.createHttpClient();
        try {
            Promise<Void> firstBytes = Promise.promise();
            client.request(HttpMethod.POST, simulator.port(), "127.0.0.1", "/endless/v1/chat/completions")
                    .compose(request -> request.putHeader("x-request-id", "gone-1").send(chatBody("")))
                    .onSuccess(response -> response.handler(bytes -> {
                        response.request().connection().close();
                        firstBytes.tryComplete();
                    }))
                    .onFailure(firstBytes::tryFail);
            await(firstBytes.future());
        } finally {
            await(client.close());
        }
        SimRequestLog log = awaitLogged(simulator.log(), "gone-1");
        assertFalse(log.completed());
        assertEquals(SimRequestLog.NOT_WRITTEN, log.endWrittenNanos());
        assertTrue(log.contentEvents() >= 1 && log.contentEvents() < 1_000, "events " + log.contentEvents());
        assertEquals(log.contentEvents(), log.contentEventWrittenNanos().length);
        assertTrue(Double.isNaN(log.streamTokensPerSecond()));
        assertTrue(log.ttftNanos() > 0);
    }

    /** Streams from {@code path} until a stream passes {@code check}'s tolerances (see the class comment). */
    private static SimRequestLog streamOnSchedule(String path, String requestIdPrefix, Runnable alongside,
            SimTestSupport.ScheduleCheck check) {
        return SimTestSupport.streamOnSchedule(simulator.log(), requestIdPrefix, ATTEMPTS, requestId -> {
            if (alongside == null) {
                post(simulator.port(), path, chatBody(""), requestId);
            } else {
                postWithVertx(path, requestId, alongside);
            }
        }, check);
    }

    /** Posts through a Vert.x client, running {@code alongside} right after sending (e.g. to stall the server). */
    private static void postWithVertx(String path, String requestId, Runnable alongside) {
        HttpClient client = vertx.createHttpClient();
        try {
            Future<Buffer> body = client.request(HttpMethod.POST, simulator.port(), "127.0.0.1", path)
                    .compose(request -> request.putHeader("x-request-id", requestId).send(chatBody("")))
                    .compose(HttpClientResponse::body);
            alongside.run();
            await(body);
        } finally {
            await(client.close());
        }
    }
}
