package dev.tokenbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.core.Json;
import dev.tokenbench.measure.HistogramCodec;
import dev.tokenbench.measure.Metric;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three shards of a closed-loop run against the built-in simulator, one after the other in this JVM, then merged:
 * each shard sends its share, the merged run counts them all, its percentiles are the pooled requests' and its
 * histograms exactly the sum of the shards'; the prompts the shards chose together are the unsharded run's. Shards
 * of another plan are refused, naming the directory.
 */
@QuarkusMainTest
class ShardedRunTest {
    private static final int REQUESTS = 10;

    @TempDir
    Path dir;

    private Path benchmark(String name, int concurrency) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                name: sharded
                targets:
                  - {name: a, api: openai-chat, base-url: 'sim://queue/v1', model: m}
                prompts: {synthetic: {input-tokens: 8, output-tokens: 6, count: 3}}
                load: {mode: closed, concurrency: %d, requests: %d, warmup: 0, timeout: 10s, stall-timeout: 5s}
                simulator:
                  scenarios:
                    queue: {ttft: 5ms, ttft-per-in-flight: 3ms, tokens-per-second: 800}
                """.formatted(concurrency, REQUESTS));
        return file;
    }

    @Test
    void threeShardsMergeIntoOneRunWithThePooledPercentilesAndTheUnshardedPrompts(QuarkusMainLauncher launcher)
            throws IOException {
        Path file = benchmark("sharded", 4);
        List<String> dirs = new ArrayList<>();
        int[] expectedShares = {4, 3, 3};
        List<Histogram> shardTtft = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path out = dir.resolve("s" + i);
            LaunchResult shard = launcher.launch("run", file.toString(), "--shard", i + "/3", "--out", out.toString(),
                    "-q", "--no-history", "--no-self-warm");
            assertEquals(ExitCodes.OK, shard.exitCode(), shard.getOutput() + shard.getErrorOutput());
            List<String> records = Files.readAllLines(out.resolve("requests.jsonl"));
            assertEquals(expectedShares[i], records.size(), "shard " + i + " sends floor(10/3) + (i < 10 mod 3)");
            JsonNode run = Json.MAPPER.readTree(out.resolve("run.json").toFile());
            assertTrue(run.path("run_id").asText().endsWith("-s" + i + "of3"), run.path("run_id").asText());
            assertEquals(i, run.path("shard").path("shards").path(0).path("index").asInt());
            assertEquals(3, run.path("shard").path("count").asInt());
            for (String line : records) {
                assertTrue(Json.MAPPER.readTree(line).path("request_id").asText().contains("-s" + i + "of3-"), line);
            }
            shardTtft.add(HistogramCodec.decode(run.path("targets").path(0).path("histograms")
                    .path(Metric.TTFT_MS.key()).path("data").asText()));
            dirs.add(out.toString());
        }

        Path merged = dir.resolve("merged");
        List<String> args = new ArrayList<>(List.of("merge"));
        args.addAll(dirs);
        args.addAll(List.of("--out", merged.toString()));
        LaunchResult merge = launcher.launch(args.toArray(String[]::new));
        assertEquals(ExitCodes.OK, merge.exitCode(), merge.getOutput() + merge.getErrorOutput());
        assertTrue(merge.getOutput().contains("merged 3 shards of 3 (10 records)"), merge.getOutput());

        JsonNode run = Json.MAPPER.readTree(merged.resolve("run.json").toFile());
        JsonNode target = run.path("targets").path(0);
        assertEquals(REQUESTS, target.path("requests").path("measured").asInt());
        assertEquals(REQUESTS, target.path("requests").path("ok").asInt());
        assertEquals(3, run.path("shard").path("shards").size());

        // The merged histogram is exactly the shards' added up.
        Histogram added = shardTtft.get(0).copy();
        added.add(shardTtft.get(1));
        added.add(shardTtft.get(2));
        Histogram mergedTtft = HistogramCodec.decode(target.path("histograms").path(Metric.TTFT_MS.key())
                .path("data").asText());
        assertEquals(added.getTotalCount(), mergedTtft.getTotalCount());
        for (double p : new double[] {0, 10, 50, 90, 99, 100}) {
            assertEquals(added.getValueAtPercentile(p), mergedTtft.getValueAtPercentile(p), "p" + p);
        }

        // Its percentiles are those of the pooled requests, within the histogram's three significant digits.
        List<Double> ttft = new ArrayList<>();
        Map<String, Integer> prompts = new TreeMap<>();
        for (String line : Files.readAllLines(merged.resolve("requests.jsonl"))) {
            JsonNode r = Json.MAPPER.readTree(line);
            assertTrue(r.path("shard").isInt(), line);
            ttft.add(r.path("ttft_ms").asDouble());
            prompts.merge(r.path("prompt_id").asText(), 1, Integer::sum);
        }
        ttft.sort(Double::compare);
        JsonNode figures = target.path("metrics").path(Metric.TTFT_MS.key());
        for (int p : new int[] {50, 90, 99}) {
            double pooled = ttft.get((int) Math.ceil(p / 100.0 * ttft.size()) - 1);
            double reported = figures.path("p" + p).asDouble();
            assertEquals(pooled, reported, pooled * 0.002 + 0.002, "p" + p + " of " + ttft);
        }

        // Prompt choice by global index: the shards together sent what one process would have (cycle over 3).
        Path whole = dir.resolve("whole");
        LaunchResult unsharded = launcher.launch("run", file.toString(), "--out", whole.toString(), "-q",
                "--no-history", "--no-self-warm");
        assertEquals(ExitCodes.OK, unsharded.exitCode(), unsharded.getErrorOutput());
        Map<String, Integer> wholePrompts = new TreeMap<>();
        for (String line : Files.readAllLines(whole.resolve("requests.jsonl"))) {
            wholePrompts.merge(Json.MAPPER.readTree(line).path("prompt_id").asText(), 1, Integer::sum);
        }
        assertEquals(wholePrompts, prompts);
    }

    @Test
    void shardsOfAnotherPlanOrOneShardTwiceAreRefusedNamingTheDirectory(QuarkusMainLauncher launcher)
            throws IOException {
        Path four = benchmark("four", 4);
        Path five = benchmark("five", 5);
        String s0 = run(launcher, four, "0/2", "a0");
        String s1 = run(launcher, five, "1/2", "b1");
        LaunchResult otherPlan = launcher.launch("merge", s0, s1, "--out", dir.resolve("m1").toString());
        assertEquals(ExitCodes.BAD_INPUT, otherPlan.exitCode(), otherPlan.getOutput());
        assertTrue(otherPlan.getErrorOutput().contains(s1 + " ran another plan than " + s0
                + " (its plan.json differs in load)"), otherPlan.getErrorOutput());
        assertTrue(Files.notExists(dir.resolve("m1")), "nothing is written");

        LaunchResult twice = launcher.launch("merge", s0, s0, "--out", dir.resolve("m2").toString());
        assertEquals(ExitCodes.BAD_INPUT, twice.exitCode());
        assertTrue(twice.getErrorOutput().contains(s0 + " is shard 0 again"), twice.getErrorOutput());

        LaunchResult badShard = launcher.launch("run", four.toString(), "--shard", "2/2", "-q", "--no-history");
        assertEquals(ExitCodes.BAD_INPUT, badShard.exitCode());
        assertTrue(badShard.getErrorOutput().contains("--shard: the index is 0-based"), badShard.getErrorOutput());
    }

    private String run(QuarkusMainLauncher launcher, Path file, String shard, String name) {
        Path out = dir.resolve(name);
        LaunchResult result = launcher.launch("run", file.toString(), "--shard", shard, "--out", out.toString(), "-q",
                "--no-history", "--no-self-warm");
        assertEquals(ExitCodes.OK, result.exitCode(), result.getOutput() + result.getErrorOutput());
        return out.toString();
    }
}
