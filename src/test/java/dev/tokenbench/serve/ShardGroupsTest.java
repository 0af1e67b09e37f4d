package dev.tokenbench.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.ShardSpec;
import dev.tokenbench.core.Json;
import dev.tokenbench.measure.Metric;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.run.RunEngine;
import dev.tokenbench.run.RunJson;
import dev.tokenbench.run.RunObserver;
import dev.tokenbench.run.RunResult;
import dev.tokenbench.run.Sharding;
import dev.tokenbench.store.StoredRun;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The central service's side of sharded runs: shards published with one group id are held until the last arrives
 * and stored once, merged; a run that is no shard is stored as it comes; a shard of another plan is refused and the
 * group waits on.
 */
class ShardGroupsTest {
    private static final String BENCHMARK = """
            name: grouped
            targets:
              - {name: a, api: openai-chat, base-url: 'sim://fast/v1', model: m}
            prompts: {synthetic: {input-tokens: 8, output-tokens: 6, count: 2}}
            load: {mode: closed, concurrency: %d, requests: 9, warmup: 0, timeout: 10s, stall-timeout: 5s}
            simulator:
              scenarios:
                fast: {ttft: 5ms, tokens-per-second: 800}
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
    void theShardsOfAGroupAreStoredOnceMergedWhenTheLastArrives(@TempDir Path dir) throws Exception {
        ShardGroups groups = new ShardGroups();
        List<String> warnings = new ArrayList<>();
        StoredRun whole = shard(dir, 3, ShardSpec.WHOLE, "whole");
        ShardGroups.Outcome alone = groups.offer(whole, warnings::add);
        assertEquals(whole, alone.toStore().orElseThrow(), "a run that is no shard is stored as it is");

        List<StoredRun> shards = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            shards.add(shard(dir, 3, new ShardSpec(i, 3, "g1"), "s" + i));
        }
        assertTrue(groups.offer(shards.get(2), warnings::add).toStore().isEmpty());
        ShardGroups.Outcome waiting = groups.offer(shards.get(0), warnings::add);
        assertTrue(waiting.toStore().isEmpty());
        assertEquals(2, waiting.arrived());

        // A shard of another plan (another concurrency) claiming the group is refused; the group waits on.
        StoredRun stranger = shard(dir, 4, new ShardSpec(1, 3, "g1"), "stranger");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> groups.offer(stranger, warnings::add));
        assertTrue(refused.getMessage().contains("ran another plan") && refused.getMessage().contains("load"),
                refused.getMessage());

        ShardGroups.Outcome done = groups.offer(shards.get(1), warnings::add);
        StoredRun merged = done.toStore().orElseThrow();
        assertEquals(9, merged.measured(), "3 + 3 + 3");
        assertEquals(9, merged.records().size());
        assertTrue(merged.id().startsWith("probe-") && merged.id().endsWith("-merged"), merged.id());
        JsonNode runJson = Json.MAPPER.readTree(merged.runJson());
        assertEquals(3, runJson.path("shard").path("shards").size());
        assertEquals("g1", runJson.path("shard").path("group").asText());
        long ttftCount = 0;
        for (StoredRun s : shards) {
            ttftCount += Json.MAPPER.readTree(s.runJson()).path("targets").path(0).path("metrics")
                    .path(Metric.TTFT_MS.key()).path("count").asLong();
        }
        assertEquals(ttftCount, runJson.path("targets").path(0).path("metrics").path(Metric.TTFT_MS.key())
                .path("count").asLong());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    private static StoredRun shard(Path dir, int concurrency, ShardSpec shard, String name) throws Exception {
        Path runDir = dir.resolve(name);
        RunPlan plan = new BenchmarkLoader(n -> null, dir, ProviderRegistry.defaults())
                .load(name + ".yaml", BENCHMARK.formatted(concurrency), dir);
        RunResult result = new RunEngine(vertx, ProviderRegistry.defaults())
                .shard(shard, Sharding.ClockOffset.UNKNOWN)
                .start(plan, "run-" + name + shard.runIdSuffix(), runDir, "9.9.9", RunObserver.NONE).await();
        return StoredRun.fromRunJson(RunJson.toJson(result, "9.9.9"), StoredRun.records(runDir), null, "probe", "");
    }
}
