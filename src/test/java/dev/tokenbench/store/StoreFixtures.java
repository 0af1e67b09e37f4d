package dev.tokenbench.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.run.RunEngine;
import dev.tokenbench.run.RunJson;
import dev.tokenbench.run.RunObserver;
import dev.tokenbench.run.RunResult;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One real run against the built-in simulator (two targets, a few requests), made once; its run.json is then
 * varied (id, start, figures) to make the runs a history is made of.
 */
public final class StoreFixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String BENCHMARK = """
            name: store-suite
            targets:
              - {name: fast, api: openai-chat, base-url: 'sim://fast/v1', model: m1,
                 pricing: {input-per-1m: 1.5, output-per-1m: 6}}
              - {name: slow, api: anthropic, base-url: 'sim://slow', model: m2, api-key: 'sk-ant-secret-0123456789'}
            prompts:
              synthetic: {count: 2, input-tokens: 20, output-tokens: 12}
            load: {mode: closed, concurrency: 2, requests: 4, warmup: 0, timeout: 10s, stall-timeout: 5s}
            baseline: fast
            simulator:
              scenarios:
                fast: {ttft: 5ms, tokens-per-second: 800}
                slow: {ttft: 25ms, tokens-per-second: 300}
            """;

    private static Path runDir;

    private StoreFixtures() {
    }

    /** The run directory of the one real run (made on first use). */
    public static synchronized Path runDirectory() throws Exception {
        if (runDir != null) {
            return runDir;
        }
        Path dir = Files.createTempDirectory("tokenbench-store-fixture");
        Path file = dir.resolve("bench.yaml");
        Files.writeString(file, BENCHMARK, StandardCharsets.UTF_8);
        RunPlan plan = new BenchmarkLoader(name -> null, dir, ProviderRegistry.defaults()).load(file);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            Path out = dir.resolve("run");
            RunResult result = new RunEngine(vertx, ProviderRegistry.defaults())
                    .start(plan, "20250501-100000-store-suite", out, "9.9.9", RunObserver.NONE).await();
            RunJson.write(out.resolve("run.json"), RunJson.toJson(result, "9.9.9"));
            runDir = out;
            return out;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    public static ObjectNode runJson() throws Exception {
        return (ObjectNode) JSON.readTree(runDirectory().resolve("run.json").toFile());
    }

    public static List<String> records() throws Exception {
        return Files.readAllLines(runDirectory().resolve("requests.jsonl"), StandardCharsets.UTF_8);
    }

    /**
     * The real run as another run: its own id, name and start, and target fast's mean TTFT set to ttftMean
     * (so a history has something to draw).
     */
    public static StoredRun variant(String id, String name, Instant start, double ttftMean, String probe)
            throws Exception {
        ObjectNode json = runJson();
        json.put("run_id", id);
        json.put("name", name);
        json.put("started_at", start.toString());
        json.put("ended_at", start.plusSeconds(3).toString());
        for (JsonNode t : json.path("targets")) {
            if (t.path("name").asText().equals("fast")) {
                ((ObjectNode) t.path("metrics").path("ttft_ms")).put("mean", ttftMean);
            }
        }
        return StoredRun.fromRunJson(json, records(), null, probe, "eu-west");
    }

    /**
     * The real run as another run whose every figure of each named target is scaled by its factor (rates and
     * times alike), the histograms left as they are: a history whose lines move.
     */
    public static ObjectNode scaled(String id, Instant start, Map<String, Double> factors) throws Exception {
        ObjectNode json = runJson();
        json.put("run_id", id);
        json.put("started_at", start.toString());
        json.put("ended_at", start.plusSeconds(3).toString());
        for (JsonNode t : json.path("targets")) {
            Double factor = factors.get(t.path("name").asText());
            if (factor == null) {
                continue;
            }
            for (JsonNode m : t.path("metrics")) {
                for (String stat : List.of("mean", "p50", "p90", "p99", "worst10", "worst10_mean", "min", "max")) {
                    if (m.path(stat).isNumber()) {
                        ((ObjectNode) m).put(stat, m.path(stat).asDouble() * factor);
                    }
                }
            }
        }
        return json;
    }
}
