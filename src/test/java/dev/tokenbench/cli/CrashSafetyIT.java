package dev.tokenbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.sim.SimRequestLog;
import dev.tokenbench.sim.Simulator;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crash safety with a real child process: the packaged application runs a benchmark against a simulator in this
 * JVM (whose log is the truth of which requests finished), and is killed mid-run. After {@code kill -9} every
 * request the simulator finished before the kill is in requests.jsonl and {@code report DIR} rebuilds run.json and
 * the reports; after SIGTERM the run stops starting requests, lets those in flight finish within the grace period,
 * records the rest as cancelled, writes run.json with status interrupted and exits 143.
 */
class CrashSafetyIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
    /** A request the simulator finished this long before the kill has surely reached the client. */
    private static final long IN_TRANSIT_NANOS = 300_000_000L;
    private static Vertx vertx;
    private static Simulator simulator;

    @BeforeAll
    static void startSimulator(@TempDir Path dir) throws Exception {
        assertTrue(Files.exists(JAR), "the packaged application (mvn package) at " + JAR);
        String yaml = """
                name: sim
                targets: [{name: x, api: openai-chat, base-url: 'sim://steady/v1', model: m}]
                prompts: {synthetic: {input-tokens: 10, output-tokens: 10}}
                simulator:
                  scenarios:
                    steady: {ttft: 40ms, tokens-per-second: 50, output-tokens: 20, jitter: 0.3, seed: 3}
                    crawl: {ttft: 40ms, tokens-per-second: 4, output-tokens: 200}
                """;
        RunPlan plan = new BenchmarkLoader(n -> null, dir, ProviderRegistry.defaults())
                .load("sim.yaml", yaml, dir);
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        simulator = Simulator.start(vertx, plan.simulator(), "127.0.0.1", 0, ProviderRegistry.defaults().simApis())
                .toCompletionStage()
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopSimulator() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void afterKill9EveryFinishedRequestIsOnDiskAndReportRebuildsTheRun(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        Process run = start(dir, out, benchmark(dir, "kill", """
                  - {name: steady, api: openai-chat, base-url: '%1$s/steady/v1', model: m}
                  - {name: steady-2, api: anthropic, base-url: '%1$s/steady', model: m}
                """, 200), "run");
        waitForRecords(out, 16, run);
        long killNanos = System.nanoTime();
        run.destroyForcibly();
        assertTrue(run.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, run.exitValue(), "killed by SIGKILL");

        assertFalse(Files.exists(out.resolve("run.json")), "a killed run writes no run.json");
        assertTrue(Files.exists(out.resolve("plan.json")), "plan.json is there from the start");
        Map<String, JsonNode> onDisk = records(out);
        int finishedBeforeKill = 0;
        for (SimRequestLog truth : simulator.log().all()) {
            if (!truth.requestId().contains("-kill-")) {
                continue;
            }
            if (truth.completed() && truth.endWrittenNanos() < killNanos - IN_TRANSIT_NANOS) {
                finishedBeforeKill++;
                JsonNode record = onDisk.get(truth.requestId());
                assertTrue(record != null, "finished before the kill but missing: " + truth.requestId());
                assertEquals("ok", record.path("outcome").asText(), record.toString());
                assertEquals(truth.outputTokens(), record.path("output_tokens").asInt(), record.toString());
            }
        }
        assertTrue(finishedBeforeKill >= 5, "requests finished before the kill: " + finishedBeforeKill);
        for (String id : onDisk.keySet()) {
            SimRequestLog truth = simulator.log().find(id);
            assertTrue(truth != null && truth.completed(), "on disk, so the simulator finished it: " + id);
        }

        Process report = start(dir, out, null, "report", out.toString());
        assertTrue(report.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, report.exitValue(), output(dir, "report"));
        JsonNode runJson = JSON.readTree(out.resolve("run.json").toFile());
        assertEquals("interrupted", runJson.path("status").asText());
        assertEquals("kill", runJson.path("name").asText());
        int measured = 0;
        for (JsonNode t : runJson.path("targets")) {
            measured += t.path("requests").path("measured").asInt();
        }
        assertEquals(onDisk.size(), measured, "every record on disk is counted");
        assertTrue(Files.readString(out.resolve("report.md")).contains("steady-2"));
        assertTrue(Files.readString(out.resolve("report.html")).contains("interrupted"));
    }

    @Test
    void sigtermLetsInFlightRequestsFinishCancelsTheRestAndWritesAnInterruptedRun(@TempDir Path dir)
            throws Exception {
        Path out = dir.resolve("run");
        Process run = start(dir, out, benchmark(dir, "term", """
                  - {name: steady, api: openai-chat, base-url: '%1$s/steady/v1', model: m}
                  - {name: crawl, api: openai-chat, base-url: '%1$s/crawl/v1', model: m}
                """, 200), "run", "--grace", "1500ms");
        waitForRecords(out, 8, run);
        run.destroy(); // SIGTERM
        long termNanos = System.nanoTime();
        assertTrue(run.waitFor(60, TimeUnit.SECONDS), "stops within the grace period and the write-up");
        assertEquals(143, run.exitValue(), output(dir, "run"));
        assertTrue(Files.readString(dir.resolve("run.err")).contains("SIGTERM"), output(dir, "run"));

        JsonNode runJson = JSON.readTree(out.resolve("run.json").toFile());
        assertEquals("interrupted", runJson.path("status").asText());
        Map<String, JsonNode> onDisk = records(out);
        List<JsonNode> cancelled = new ArrayList<>();
        for (JsonNode r : onDisk.values()) {
            if (r.path("outcome").asText().equals("cancelled")) {
                cancelled.add(r);
            }
        }
        // The crawling target's requests take 50 s: the ones in flight at SIGTERM outlive the grace period.
        Map<String, Integer> outcomes = new java.util.TreeMap<>();
        onDisk.values().forEach(r -> outcomes.merge(r.path("target").asText() + "/" + r.path("outcome").asText()
                + "/" + r.path("error").asText(), 1, Integer::sum));
        assertEquals(4, cancelled.size(), "crawl's 4 in-flight requests are cancelled: " + outcomes + "\n"
                + output(dir, "run"));
        for (JsonNode r : cancelled) {
            assertEquals("crawl", r.path("target").asText());
            assertTrue(r.path("error").asText().contains("grace period of 1500ms"), r.toString());
        }
        // Cut short by the stop, they say nothing of the endpoint: counted as cancelled, left out of goodput's base.
        JsonNode crawl = null;
        for (JsonNode t : runJson.path("targets")) {
            crawl = t.path("name").asText().equals("crawl") ? t : crawl;
        }
        assertTrue(crawl != null, runJson.toString());
        assertEquals(4, crawl.path("outcomes").path("cancelled").asInt(), crawl.toString());
        assertEquals(crawl.path("requests").path("measured").asInt() - 4, crawl.path("goodput").path("total").asInt(),
                crawl.toString());
        // Nothing the run started is lost: every request the simulator saw has its record.
        Set<String> seen = new HashSet<>();
        for (SimRequestLog truth : simulator.log().all()) {
            if (truth.requestId().contains("-term-")) {
                seen.add(truth.requestId());
            }
        }
        assertEquals(seen, onDisk.keySet(), "every request sent has its record");
        for (JsonNode r : onDisk.values()) {
            if (r.path("target").asText().equals("steady")) {
                assertEquals("ok", r.path("outcome").asText(), "steady's requests finish within the grace: " + r);
            }
        }
        assertTrue(onDisk.size() < 2 * 200, "no request started after SIGTERM, and the run was far from done");
        assertTrue(System.nanoTime() - termNanos < 60_000_000_000L);
    }

    private static Path benchmark(Path dir, String name, String targets, int requests) throws IOException {
        String base = "http://127.0.0.1:" + simulator.port();
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, "name: " + name + "\ntargets:\n" + targets.formatted(base) + """
                prompts:
                  synthetic: {count: 4, input-tokens: 30, output-tokens: 20}
                load: {mode: closed, concurrency: 4, requests: %d, timeout: 120s, stall-timeout: 60s, warmup: 0}
                """.formatted(requests));
        return file;
    }

    /** The packaged application as a child process; stdout and stderr go to files named after the command. */
    private static Process start(Path dir, Path out, Path benchmark, String command, String... more)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseZGC", "-jar", JAR.toString(), command));
        if (benchmark != null) {
            cmd.addAll(List.of(benchmark.toString(), "--out", out.toString(), "-q"));
        }
        cmd.addAll(List.of(more));
        return new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve(command + ".out").toFile())
                .redirectError(dir.resolve(command + ".err").toFile()).start();
    }

    private static void waitForRecords(Path out, int lines, Process run) throws Exception {
        Path requests = out.resolve("requests.jsonl");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!run.isAlive()) {
                throw new AssertionError("the run ended early with exit code " + run.exitValue());
            }
            if (Files.exists(requests) && Files.readAllLines(requests).size() >= lines) {
                return;
            }
            Thread.sleep(50);
        }
        run.destroyForcibly();
        throw new AssertionError("no " + lines + " records within 120 s");
    }

    private static Map<String, JsonNode> records(Path out) throws IOException {
        Map<String, JsonNode> byId = new HashMap<>();
        for (String line : Files.readAllLines(out.resolve("requests.jsonl"))) {
            JsonNode r = JSON.readTree(line);
            byId.put(r.path("request_id").asText(), r);
        }
        return byId;
    }

    private static String output(Path dir, String command) throws IOException {
        return Files.readString(dir.resolve(command + ".out")) + Files.readString(dir.resolve(command + ".err"));
    }
}
