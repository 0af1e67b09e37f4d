package dev.tokenbench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.measure.Metric;
import dev.tokenbench.provider.ProviderRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code report DIR} rebuilds run.json from plan.json and requests.jsonl through the live run's own aggregation:
 * with the live run.json present the rebuild is identical to it; without it (the run was killed) it differs only
 * in what no record carries: status, end, wall and CPU time, and inter-token latency.
 */
class RunRebuildTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BENCHMARK = """
            name: rebuild
            targets:
              - {name: chat, api: openai-chat, base-url: 'sim://fast/v1', model: m1, labels: {region: eu, tier: b},
                 pricing: {input-per-1m: 1.5, output-per-1m: 6}}
              - {name: claude, api: anthropic, base-url: 'sim://bumpy', model: m2}
              - {name: dead, api: openai-chat, base-url: 'http://127.0.0.1:1/v1', model: m3}
            prompts:
              synthetic: {count: 3, input-tokens: 40, output-tokens: 30}
            load: {mode: closed, concurrency: 2, requests: 12, warmup: 2, timeout: 10s, stall-timeout: 5s}
            slo: {ttft: 45ms, stream-tps: 100}
            simulator:
              scenarios:
                fast: {ttft: 20ms, tokens-per-second: 400}
                bumpy: {ttft: 30ms, tokens-per-second: 300, slow-share: 0.3, slow-ttft: 60ms, seed: 7}
            """;
    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    }

    @AfterAll
    static void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void rebuildsTheLiveRunJsonExactly(@TempDir Path dir) throws Exception {
        RunResult live = run(dir);
        ObjectNode liveJson = RunJson.toJson(live, "9.9.9");
        RunJson.write(dir.resolve("run.json"), liveJson);
        assertEquals(3, live.targets().size());
        assertTrue(live.targets().get(2).failed() == 12, "the dead target fails every request");
        assertTrue(live.targets().get(0).metric(Metric.ITL_MS).count() > 0, "the live run measured ITL");

        RunRebuild.Rebuilt rebuilt = RunRebuild.rebuild(dir, w -> {
            throw new AssertionError("no warning expected: " + w);
        });
        assertEquals(3 * 14, rebuilt.records());
        assertEquals("9.9.9", rebuilt.version());
        assertEquals(liveJson, RunJson.toJson(rebuilt.result(), rebuilt.version()));
    }

    @Test
    void withoutRunJsonOnlyWhatNoRecordCarriesDiffers(@TempDir Path dir) throws Exception {
        RunResult live = run(dir);
        ObjectNode liveJson = RunJson.toJson(live, "9.9.9");
        // A line cut short by kill -9 in the middle of a write is skipped with a warning.
        Files.writeString(dir.resolve("requests.jsonl"), "{\"request_id\":\"tb-cut", java.nio.file.StandardOpenOption.APPEND);
        List<String> warnings = new ArrayList<>();

        RunRebuild.Rebuilt rebuilt = RunRebuild.rebuild(dir, warnings::add);
        ObjectNode rebuiltJson = RunJson.toJson(rebuilt.result(), rebuilt.version());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("line 43"), warnings.toString());
        assertFalse(rebuilt.fromRunJson());
        assertEquals("interrupted", rebuiltJson.path("status").asText());
        assertTrue(rebuiltJson.path("client_cpu_seconds").isNull());
        assertTrue(liveJson.path("client").isObject() && rebuiltJson.path("client").isMissingNode(),
                "the client's health is measured live; no record holds it");
        double wall = rebuiltJson.path("wall_seconds").asDouble();
        assertTrue(wall > 0 && wall <= liveJson.path("wall_seconds").asDouble(), "ends at the last record: " + wall);
        assertTrue(rebuiltJson.path("ended_at").asText().compareTo(rebuiltJson.path("started_at").asText()) > 0);

        for (ObjectNode json : List.of(liveJson, rebuiltJson)) {
            json.remove(List.of("status", "ended_at", "wall_seconds", "client_cpu_seconds", "client"));
            for (JsonNode t : json.path("targets")) {
                ((ObjectNode) t.path("metrics")).remove(Metric.ITL_MS.key());
                ((ObjectNode) t.path("histograms")).remove(Metric.ITL_MS.key());
                // The event gaps are the ITL histogram's; the verdict, tokens per event and pauses are the records'.
                // The charted requests' gaps are kept in run.json only, never in requests.jsonl.
                ((ObjectNode) t.path("stream_shape")).remove(List.of("event_gap_ms_p50", "event_gap_ms_p99",
                        "examples"));
                ((ObjectNode) t.path("dialects").path("vllm")).remove("itl_ms");
            }
        }
        assertEquals(liveJson, rebuiltJson);
    }

    @Test
    void aDirectoryThatIsNoRunDirectoryIsBadInput(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunRebuild.rebuild(dir, w -> { }));
        assertTrue(e.getMessage().contains("neither plan.json nor run.json"), e.getMessage());
    }

    @Test
    void thePlanSurvivesPlanJson(@TempDir Path dir) throws Exception {
        RunPlan plan = plan(dir);
        ObjectNode manifest = RunManifest.toJson(plan, "id", java.time.Instant.parse("2026-01-02T03:04:05Z"), 42, "v");
        RunManifest.Manifest back = RunManifest.read(JSON.readTree(JSON.writeValueAsString(manifest)));
        assertEquals(manifest, RunManifest.toJson(back.plan(), back.runId(), back.startedAt(), back.startNanos(),
                back.version()));
        assertEquals(plan.targets().get(0).pricing(), back.plan().targets().get(0).pricing());
        assertEquals(plan.targets().get(0).tokenizer(), back.plan().targets().get(0).tokenizer());
    }

    private static RunPlan plan(Path dir) throws Exception {
        ProviderRegistry providers = ProviderRegistry.defaults();
        return new BenchmarkLoader(name -> null, dir, providers).load("rebuild.yaml", BENCHMARK, dir);
    }

    private static RunResult run(Path dir) throws Exception {
        RunPlan plan = plan(dir);
        RunEngine.Handle handle = new RunEngine(vertx, ProviderRegistry.defaults())
                .start(plan, "rebuild", dir, "9.9.9", RunObserver.NONE);
        RunResult result = handle.await();
        assertTrue(Files.exists(dir.resolve(RunManifest.FILE)));
        return result;
    }
}
