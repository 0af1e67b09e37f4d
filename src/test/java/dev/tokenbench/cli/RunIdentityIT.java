package dev.tokenbench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.store.HistoryStore;
import dev.tokenbench.store.RunFilter;
import dev.tokenbench.store.RunInfo;
import dev.tokenbench.store.SqliteHistoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two CLI processes run the same benchmark, started together (as a cron on two probes would): each run has its
 * own id, its own run directory, its own row in the shared history and request ids of its own. Up to two pairs,
 * until one pair's ids carry the same second (on a busy machine the two JVMs may start seconds apart; the tight
 * loop of RunIdsTest covers the same second for certain).
 */
@Timeout(300)
class RunIdentityIT {
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REQUESTS = 6;

    @Test
    void twoRunsOfOneBenchmarkStartedTogetherAreTwoRunsWithDistinctRequestIds(@TempDir Path dir) throws Exception {
        Path benchmark = dir.resolve("same.yaml");
        Files.writeString(benchmark, """
                name: same-second
                targets:
                  - {name: sim, api: openai-chat, base-url: 'sim://fast/v1', model: m1}
                prompts: {synthetic: {count: 2, input-tokens: 20, output-tokens: 10}}
                load: {mode: closed, concurrency: 2, requests: %d, warmup: 1, timeout: 20s, stall-timeout: 10s}
                simulator:
                  scenarios:
                    fast: {ttft: 5ms, tokens-per-second: 800}
                """.formatted(REQUESTS));
        Path data = dir.resolve("data");
        try (HistoryStore schemaFirst = SqliteHistoryStore.open(data)) {
            assertTrue(schemaFirst.list(RunFilter.all()).isEmpty());
        }

        int runs = 0;
        boolean sameSecond = false;
        for (int pair = 0; pair < 2 && !sameSecond; pair++) {
            Process first = start(dir, benchmark, data, "a" + pair);
            Process second = start(dir, benchmark, data, "b" + pair);
            finish(first, dir, "a" + pair);
            finish(second, dir, "b" + pair);
            runs += 2;
            try (HistoryStore store = SqliteHistoryStore.open(data)) {
                List<RunInfo> stored = store.list(RunFilter.all());
                assertEquals(runs, stored.size(), "every run is stored: " + stored);
                String a = stored.get(0).id();
                String b = stored.get(1).id();
                sameSecond = a.substring(0, 15).equals(b.substring(0, 15));
            }
        }

        Set<String> requestIds = new HashSet<>();
        int lines = 0;
        List<Path> runDirs = new ArrayList<>();
        try (var listing = Files.list(dir.resolve("runs"))) {
            listing.forEach(runDirs::add);
        }
        assertEquals(runs, runDirs.size(), "one run directory per run: " + runDirs);
        for (Path runDir : runDirs) {
            for (String line : Files.readAllLines(runDir.resolve("requests.jsonl"))) {
                lines++;
                String id = JSON.readTree(line).path("request_id").asText();
                assertFalse(id.isEmpty(), line);
                assertTrue(requestIds.add(id), "request id " + id + " appears twice");
            }
        }
        assertTrue(lines >= runs * REQUESTS, lines + " records");
        System.out.println("RunIdentityIT: " + runs + " runs, " + lines + " distinct request ids; a pair in the same "
                + "second: " + sameSecond);
    }

    private static Process start(Path dir, Path benchmark, Path data, String name) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dtokenbench.store.data-dir=" + data, "-jar", JAR.toString(), "run", benchmark.toString(), "-q");
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile()).start();
    }

    private static void finish(Process run, Path dir, String name) throws Exception {
        if (!run.waitFor(120, TimeUnit.SECONDS)) {
            run.destroyForcibly();
            throw new AssertionError(name + " did not finish within 120 s");
        }
        assertEquals(0, run.exitValue(), Files.readString(dir.resolve(name + ".out")));
    }
}
