package dev.tokenbench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.report.TerminalReport;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sweeps and searches against the simulator: per-step summaries, and a search that finds a known knee. */
class LoadStepsIT {
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static RunResult run(Path dir, String yaml) throws Exception {
        ProviderRegistry providers = ProviderRegistry.defaults();
        RunPlan plan = new BenchmarkLoader(name -> null, dir, providers).load("steps.yaml", yaml, dir);
        RunResult result = new RunEngine(vertx, providers).start(plan, "steps", dir, null).await();
        System.out.println(TerminalReport.table(result));
        return result;
    }

    /**
     * The simulator's queueing scenario answers in 20 ms + 50 ms for every request already in flight, so at
     * concurrency c a steady request waits 20 + 50 (c - 1) ms: c = 6 gives 270 ms, inside the 300 ms SLO, and c = 7
     * gives 320 ms, outside it. The search must land on 6, with 7 tried and failing.
     */
    @Test
    void aConcurrencySearchFindsTheKneeOfAnEndpointThatQueues(@TempDir Path dir) throws Exception {
        RunResult result = run(dir, """
                name: knee
                targets:
                  - {name: queueing, api: openai-chat, base-url: 'sim://queue/v1', model: m}
                prompts: {synthetic: {input-tokens: 16, output-tokens: 10, count: 4}}
                max-output-tokens: 10
                load: {mode: search, concurrency: {min: 1, max: 32}, goodput: 0.95, requests: 24, warmup: 2}
                slo: {ttft: 300ms, stream-tps: 1}
                simulator:
                  scenarios:
                    queue: {ttft: 20ms, ttft-per-in-flight: 50ms, tokens-per-second: 500}
                """);
        assertEquals(1, result.steps().size());
        TargetSteps steps = result.steps().get(0);
        List<Double> levels = steps.steps().stream().map(StepResult::level).toList();
        assertEquals(6.0, steps.knee(), "tried " + levels);
        assertEquals(7.0, steps.firstFailing(), "tried " + levels);
        assertEquals(List.of(1.0, 2.0, 4.0, 8.0, 6.0, 7.0), levels);
        for (StepResult step : steps.steps()) {
            assertEquals(24, step.summary().requests(), "each step measures its own requests");
            assertEquals(step.level() <= 6, step.passed(), "step " + step.level() + ": " + step.summary().goodput());
        }
        assertEquals(24 * 6, result.targets().get(0).requests(), "the run's summary holds every step");

        JsonNode json = new ObjectMapper().readTree(RunJson.toJson(result, "test").toString());
        JsonNode stepsJson = json.path("steps").get(0);
        assertEquals("search", stepsJson.path("kind").asText());
        assertEquals(6.0, stepsJson.path("knee").asDouble());
        assertEquals(6, stepsJson.path("steps").size());
        assertTrue(stepsJson.path("steps").get(3).path("ttft_ms").path("p50").asDouble() > 300,
                "concurrency 8 queues past the SLO: " + stepsJson.path("steps").get(3));
        String table = TerminalReport.table(result);
        assertTrue(table.contains("queueing: knee at concurrency 6 (7 fails)"), table);

        // report DIR: the steps come back from requests.jsonl, with run.json's levels, and after a crash without.
        RunRebuild.Rebuilt crashed = RunRebuild.rebuild(dir, warning -> { });
        TargetSteps fromRecords = crashed.result().steps().get(0);
        assertEquals(6, fromRecords.steps().size());
        assertEquals(steps.steps().stream().map(StepResult::passed).toList(),
                fromRecords.steps().stream().map(StepResult::passed).toList());
        RunJson.write(dir.resolve("run.json"), RunJson.toJson(result, "test"));
        TargetSteps rebuilt = RunRebuild.rebuild(dir, warning -> { }).result().steps().get(0);
        assertEquals(levels, rebuilt.steps().stream().map(StepResult::level).toList());
        assertEquals(6.0, rebuilt.knee());
        assertEquals(7.0, rebuilt.firstFailing());
        for (int i = 0; i < 6; i++) {
            assertEquals(steps.steps().get(i).summary().metric(dev.tokenbench.measure.Metric.TTFT_MS).p90(),
                    rebuilt.steps().get(i).summary().metric(dev.tokenbench.measure.Metric.TTFT_MS).p90(), 1e-9);
        }
    }

    @Test
    void aRateSweepBoundedByDurationSummarisesEachStep(@TempDir Path dir) throws Exception {
        RunResult result = run(dir, """
                name: rate-sweep
                targets:
                  - {name: fast, api: openai-chat, base-url: 'sim://fast/v1', model: m}
                prompts: {synthetic: {input-tokens: 16, output-tokens: 5, count: 3}}
                max-output-tokens: 5
                load: {mode: sweep, rate: [10, 30], arrival: fixed, duration: 1s, concurrency: 20}
                simulator:
                  scenarios:
                    fast: {ttft: 10ms, tokens-per-second: 500}
                """);
        TargetSteps steps = result.steps().get(0);
        assertEquals(2, steps.steps().size());
        // Fixed arrivals at i / rate inside one second: exactly rate starts per step.
        assertEquals(10, steps.steps().get(0).summary().requests());
        assertEquals(30, steps.steps().get(1).summary().requests());
        assertEquals(40, result.targets().get(0).ok());
        double ratio = steps.steps().get(1).requestsPerSecond() / steps.steps().get(0).requestsPerSecond();
        assertTrue(ratio > 2 && ratio < 4, "three times the rate, about three times the requests/s: " + ratio);
    }
}
