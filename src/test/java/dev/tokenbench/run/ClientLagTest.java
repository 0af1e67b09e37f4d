package dev.tokenbench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.measure.ClientHealth;
import dev.tokenbench.measure.Metric;
import dev.tokenbench.provider.ProviderRegistry;
import io.netty.channel.DefaultEventLoop;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worst event-loop lag a request saw while in flight: its loop's probe ring, read once when it ends; a client
 * stalled on purpose (its only event loop blocked for 300 ms mid-run) shows in the requests in flight then, and
 * {@code --drop-lagged} leaves exactly those out of the summaries while requests.jsonl keeps them, marked.
 */
class ClientLagTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long STALL_MS = 300;
    private static final double DROP_LAGGED_MS = 150;
    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setBlockedThreadCheckInterval(10_000));
    }

    @AfterAll
    static void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theRingGivesTheWorstLagSinceAStartAndTheBlocksForOlderTicks() throws Exception {
        DefaultEventLoop loop = new DefaultEventLoop();
        try {
            // A probe no loop drives: its ticks are recorded by hand.
            ClientHealthMonitor.LoopLag lag = new ClientHealthMonitor.LoopLag(loop);
            lag.tick(1, 5_000_000);
            long start = lag.ticks();
            lag.tick(2, 300_000);
            lag.tick(3, 2_000_000);
            lag.tick(4, -50_000); // early: no lag
            assertEquals(2_000, lag.maxLagMicrosSince(start, 5), "the 5 ms before the start is not its lag");
            assertEquals(5_000, lag.maxLagMicrosSince(0, 5));
            assertEquals(0, lag.maxLagMicrosSince(lag.ticks(), 5), "no tick in flight, none overdue: no lag");

            long longStart = lag.ticks();
            lag.tick(5, 42_000_000);
            for (int i = 0; i < ClientHealthMonitor.LoopLag.FINE_TICKS + 10; i++) {
                lag.tick(6, 100_000);
            }
            assertEquals(42_000, lag.maxLagMicrosSince(longStart, 7),
                    "past the fine ring, the block maxima still hold the 42 ms tick");
            assertEquals(100, lag.maxLagMicrosSince(lag.ticks() - 3, 7));
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void requestsInFlightDuringAStallCarryItAndDropLaggedLeavesThemOut(@TempDir Path dir) throws Exception {
        RunResult result = stalledRun(dir, "", DROP_LAGGED_MS);
        int leftOut = assertMarkedAsLagged(dir, DROP_LAGGED_MS);
        assertTrue(leftOut >= 1, "the stall was " + STALL_MS + " ms; a request was in flight during it");

        ClientHealth client = result.client();
        assertNotNull(client);
        assertEquals(leftOut, client.leftOutRequests());
        assertEquals(DROP_LAGGED_MS, client.dropLaggedMs());
        assertTrue(client.lagMaxMs() >= STALL_MS - 20, "the probe saw the stall: " + client);
        assertTrue(client.lagAffectedRequests() >= leftOut, client.toString());
        assertEquals(16 - leftOut, result.targets().get(0).requests(), "left out of the summary's count");
        assertEquals(16 - leftOut, result.targets().get(0).metric(Metric.TTFT_MS).count());

        ObjectNode runJson = RunJson.toJson(result, "9.9.9");
        assertEquals(leftOut, runJson.path("client").path("left_out_requests").asInt());
        RunJson.write(dir.resolve("run.json"), runJson);
        RunRebuild.Rebuilt rebuilt = RunRebuild.rebuild(dir, w -> {
            throw new AssertionError(w);
        });
        assertEquals(runJson, RunJson.toJson(rebuilt.result(), rebuilt.version()),
                "report DIR leaves the same requests out, from their marks in requests.jsonl");
    }

    @Test
    void theFilesDropLaggedIsAppliedWhenTheEngineIsGivenNone(@TempDir Path dir) throws Exception {
        RunResult result = stalledRun(dir, ", drop-lagged: 150ms", 0);
        int leftOut = assertMarkedAsLagged(dir, DROP_LAGGED_MS);
        assertTrue(leftOut >= 1, "the stall was " + STALL_MS + " ms; a request was in flight during it");
        assertEquals(leftOut, result.client().leftOutRequests());
        assertEquals(16 - leftOut, result.targets().get(0).requests(), "left out of the summary's count");
        JsonNode client = RunJson.toJson(result, "9.9.9").path("client");
        assertEquals(DROP_LAGGED_MS, client.path("drop_lagged_ms").asDouble(), "the file's threshold: " + client);
    }

    @Test
    void theEnginesDropLaggedWinsOverTheFiles(@TempDir Path dir) throws Exception {
        // The file keeps every request the stall touched (no lag comes near a minute); the flag's 150 ms applies.
        RunResult result = stalledRun(dir, ", drop-lagged: 1m", DROP_LAGGED_MS);
        int leftOut = assertMarkedAsLagged(dir, DROP_LAGGED_MS);
        assertTrue(leftOut >= 1, "the flag's threshold, not the file's minute, was applied");
        assertEquals(DROP_LAGGED_MS, result.client().dropLaggedMs());
        assertEquals(DROP_LAGGED_MS, RunJson.toJson(result, "9.9.9").path("client").path("drop_lagged_ms").asDouble());
    }

    @Test
    void theRuleOfWhichDropLaggedApplies() {
        LoadSpec none = new LoadSpec(LoadSpec.CLOSED, 1, 10, 0, Duration.ofSeconds(60), Duration.ofSeconds(15));
        LoadSpec file = none.toBuilder().dropLagged(Duration.ofMillis(20)).build();
        assertEquals(0, RunEngine.effectiveDropLaggedMs(0, none), "neither: every request kept");
        assertEquals(20, RunEngine.effectiveDropLaggedMs(0, file), "the file's, when the flag is 0");
        assertEquals(0.25, RunEngine.effectiveDropLaggedMs(0,
                none.toBuilder().dropLagged(Duration.ofNanos(250_000)).build()), "250us, exactly");
        assertEquals(50, RunEngine.effectiveDropLaggedMs(50, file), "the flag wins");
        assertEquals(50, RunEngine.effectiveDropLaggedMs(50, none));
        assertEquals(0, RunEngine.effectiveDropLaggedMs(0, none.toBuilder().dropLagged(Duration.ZERO).build()));
    }

    /**
     * Runs 16 measured requests (2 at a time) against the simulator with {@code loadExtra} added to the file's load
     * block and the engine's {@code dropLaggedMs}; mid-run, once the third measured request is written (its
     * successor and a second request are in flight), the client's only event loop is blocked for STALL_MS: the
     * requests in flight wait with it.
     */
    private static RunResult stalledRun(Path dir, String loadExtra, double engineDropLaggedMs) throws Exception {
        RunPlan plan = new BenchmarkLoader(name -> null, dir, ProviderRegistry.defaults()).load("lag.yaml", """
                name: lag
                targets:
                  - {name: chat, api: openai-chat, base-url: 'sim://steady/v1', model: m1}
                prompts:
                  synthetic: {count: 2, input-tokens: 20, output-tokens: 30}
                load: {mode: closed, concurrency: 2, requests: 16, warmup: 1, timeout: 20s, stall-timeout: 10s%s}
                simulator:
                  scenarios:
                    steady: {ttft: 40ms, tokens-per-second: 150}
                """.formatted(loadExtra), dir);
        AtomicInteger measuredRecords = new AtomicInteger();
        RunEngine.Handle handle = new RunEngine(vertx, ProviderRegistry.defaults()).dropLaggedMs(engineDropLaggedMs)
                .start(plan, "lag", dir, "9.9.9", record -> {
                    if (!record.warmup() && measuredRecords.incrementAndGet() == 3) {
                        vertx.runOnContext(v -> sleep(STALL_MS));
                    }
                });
        return handle.await();
    }

    /** Every measured request is marked left out exactly when its lag was over the threshold; returns how many. */
    private static int assertMarkedAsLagged(Path dir, double thresholdMs) throws Exception {
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("requests.jsonl"))) {
            records.add(JSON.readTree(line));
        }
        int leftOut = 0;
        int measured = 0;
        for (JsonNode r : records) {
            assertTrue(r.path("client_lag_ms").isNumber(), "every request was probed: " + r);
            boolean lagged = r.path("client_lag_ms").asDouble() > thresholdMs;
            boolean marked = RequestRecordJson.LEFT_OUT_CLIENT_LAG.equals(r.path("left_out").asText(null));
            if (r.path("warmup").asBoolean()) {
                assertFalse(marked, "a warm-up is in no summary anyway: " + r);
                continue;
            }
            measured++;
            assertEquals(lagged, marked, r.toString());
            leftOut += marked ? 1 : 0;
        }
        assertEquals(16, measured);
        return leftOut;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
