package dev.tokenbench.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.tokenbench.config.ConfigFixtures.assertError;
import static dev.tokenbench.config.ConfigFixtures.loader;
import static dev.tokenbench.config.ConfigFixtures.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Each bound of {@link Limits} exceeded: a config error at the field, naming the value and the bound; each bound
 * itself (and what the bench scripts use) still loads.
 */
class BenchmarkLoaderLimitsTest {
    private static final String FILE = "limits.yaml";
    private static final String TARGET = "  - {name: t, api: openai-chat, base-url: 'http://127.0.0.1:9/v1', model: m}\n";
    private static final String PROMPTS = "prompts: {synthetic: {input-tokens: 8, output-tokens: 4, count: 1}}\n";

    @TempDir
    Path dir;

    private static String benchmark(String name, String targets, String load) {
        return "name: " + name + "\ntargets:\n" + targets + PROMPTS + "load: " + load + "\n";
    }

    private static String targets(int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            b.append("  - {name: t").append(i).append(", api: openai-chat, base-url: 'http://127.0.0.1:9/v1', model: m}\n");
        }
        return b.toString();
    }

    private RunPlan loads(String yaml) throws ConfigException {
        return loader(Map.of()).load(FILE, yaml, dir);
    }

    private ConfigException fails(String yaml) {
        return assertThrows(ConfigException.class, () -> loads(yaml));
    }

    @Test
    void aBillionConcurrentStreams() {
        ConfigException e = fails(benchmark("b", TARGET, "{mode: closed, concurrency: 1000000000, requests: 10}"));
        assertError(e, FILE, "load.concurrency", "is 1000000000", "at most 20000 streams at once on one process",
                "split the load");
        assertEquals(1, e.errors().size(), render(e));
    }

    @Test
    void streamsOfAllTargetsTogether() {
        assertError(fails(benchmark("b", targets(3), "{concurrency: 10000, requests: 10}")), FILE,
                "load.concurrency", "is 10000 per target, 30000 streams for 3 targets", "at most 20000");
        assertError(fails(benchmark("b", targets(21), "{mode: open, rate: 5, requests: 10}")), FILE,
                "load.concurrency", "is not set, so an open loop caps in-flight requests at 1000",
                "21000 streams for 21 targets");
        assertError(fails(benchmark("b", TARGET, "{mode: sweep, concurrency: [1, 50000], requests: 10}")), FILE,
                "load.concurrency[1]", "is 50000", "at most 20000 streams at once on one process");
    }

    @Test
    void tenThousandTargets() {
        ConfigException e = fails(benchmark("b", targets(10_000), "{requests: 1}"));
        assertError(e, FILE, "targets", "has 10000 targets; at most 100 in one run", "split them");
    }

    @Test
    void measuredRequestsOfTheRun() {
        assertError(fails(benchmark("b", TARGET, "{requests: 2000001}")), FILE, "load.requests",
                "plans 2000001 measured requests", "at most 2000000 in one run");
        assertError(fails(benchmark("b", targets(10), "{requests: 300000}")), FILE, "load.requests",
                "plans 3000000 measured requests (300000 per target and step, 1 step, 10 targets)");
        assertError(fails(benchmark("b", TARGET, "{mode: sweep, concurrency: [1, 2, 4], requests: 1000000}")), FILE,
                "load.requests", "plans 3000000 measured requests", "3 steps");
    }

    @Test
    void openLoopStartsPlannedFromRateAndDuration() {
        assertError(fails(benchmark("b", TARGET, "{mode: open, rate: 1000, duration: 1h, concurrency: 100}")), FILE,
                "load.duration", "plans 3600000 request starts per target (rate 1000/s × 1h)",
                "at most 1000000 per target and phase");
        assertError(fails(benchmark("b", targets(4), "{mode: open, rate: 500, duration: 20m, concurrency: 100}")),
                FILE, "load.duration", "plans 2400000 measured requests", "at most 2000000");
    }

    @Test
    void sweepLevelsWarmUpAndRetries() {
        StringBuilder levels = new StringBuilder("[1");
        for (int i = 2; i <= 101; i++) {
            levels.append(", ").append(i);
        }
        levels.append(']');
        assertError(fails(benchmark("b", TARGET, "{mode: sweep, concurrency: " + levels + ", requests: 1}")), FILE,
                "load.concurrency", "has 101 steps; at most 100");
        assertError(fails(benchmark("b", TARGET, "{mode: search, concurrency: {min: 1, max: 64}, max-steps: 500, "
                + "requests: 1}")), FILE, "load.max-steps", "has 500 steps; at most 100");
        assertError(fails(benchmark("b", TARGET, "{requests: 1, warmup: 100001}")), FILE, "load.warmup",
                "is 100001; at most 100000 warm-up requests per target");
        assertError(fails(benchmark("b", TARGET, "{requests: 1, retries: {max: 11}}")), FILE, "load.retries.max",
                "is 11; at most 10 retries");
    }

    @Test
    void namesAndLabelValues() {
        String longName = "n".repeat(300);
        assertError(fails(benchmark(longName, TARGET, "{requests: 1}")), FILE, "name",
                "is 300 bytes long; at most 200 bytes", "names the run directory");
        assertError(fails(benchmark("é".repeat(101), TARGET, "{requests: 1}")), FILE, "name", "is 202 bytes long");
        assertError(fails(benchmark("b", "  - {name: " + "t".repeat(101) + ", api: openai-chat, base-url: "
                + "'http://127.0.0.1:9/v1', model: m}\n", "{requests: 1}")), FILE, "targets[0].name",
                "is 101 characters long; at most 100");
        assertError(fails(benchmark("b", "  - {name: t, api: openai-chat, base-url: 'http://127.0.0.1:9/v1', model: m, "
                + "labels: {region: " + "r".repeat(257) + "}}\n", "{requests: 1}")), FILE, "targets[0].labels.region",
                "is 257 characters long; at most 256");
    }

    @Test
    void aPromptSetOfMoreThanAHundredThousandPrompts() throws IOException {
        StringBuilder set = new StringBuilder("name: huge\nprompts:\n");
        for (int i = 0; i <= Limits.MAX_PROMPTS; i++) {
            set.append("  - {id: p").append(i).append(", text: hi}\n");
        }
        Files.writeString(dir.resolve("huge.yaml"), set);
        ConfigException e = fails("name: b\ntargets:\n" + TARGET + "prompts: huge.yaml\nload: {requests: 1}\n");
        assertError(e, FILE, "prompts", "has 100001 prompts; at most 100000");
    }

    @Test
    void everyBoundItselfLoads() throws Exception {
        loads(benchmark("n".repeat(Limits.MAX_RUN_NAME_BYTES), "  - {name: " + "t".repeat(100)
                + ", api: openai-chat, base-url: 'http://127.0.0.1:9/v1', model: m, labels: {region: "
                + "r".repeat(256) + "}}\n", "{concurrency: 20000, requests: 2000000, warmup: 100000, "
                + "retries: {max: 10}}"));
        loads(benchmark("b", targets(100), "{concurrency: 200, requests: 20000}"));
        loads(benchmark("b", TARGET, "{mode: open, rate: 1000, duration: 1000s, concurrency: 20000}"));
        // bench/e2e.sh's largest: 1,000 streams opened at 250/s with 1,000 warm-ups.
        loads(benchmark("b", TARGET, "{mode: open, rate: 250, arrival: poisson, seed: 1, concurrency: 1000, "
                + "requests: 1000, warmup: 1000, timeout: 120s}"));
    }
}
