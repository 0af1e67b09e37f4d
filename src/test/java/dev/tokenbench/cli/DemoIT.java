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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `run` with no file, against the packaged application: the bundled demo end to end. */
@QuarkusMainIntegrationTest
class DemoIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theBundledDemoRunsAndWritesEveryOutput(QuarkusMainLauncher launcher) throws IOException {
        Path out = Path.of("target", "demo-it").toAbsolutePath();
        if (Files.exists(out)) {
            try (var files = Files.walk(out)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        long start = System.nanoTime();
        LaunchResult result = launcher.launch("run", "--out", out.toString(), "-q");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(0, result.exitCode(), result.getOutput() + result.getErrorOutput());
        assertTrue(seconds < 60, "the demo should finish in under a minute, took " + seconds);

        for (String name : List.of("requests.jsonl", "run.json", "report.md", "report.html")) {
            assertTrue(Files.size(out.resolve(name)) > 0, name);
        }
        List<String> lines = Files.readAllLines(out.resolve("requests.jsonl"));
        assertEquals(3 * (20 + 2), lines.size(), "every request, warm-ups included, has its line");

        JsonNode run = JSON.readTree(out.resolve("run.json").toFile());
        assertEquals(1, run.path("schema_version").asInt());
        assertEquals("done", run.path("status").asText());
        assertEquals(3, run.path("targets").size());
        for (JsonNode t : run.path("targets")) {
            assertEquals(20, t.path("requests").path("measured").asInt(), t.toString());
            assertFalse(t.path("histograms").path("ttft_ms").path("data").asText().isEmpty());
        }
        JsonNode degraded = run.path("targets").get(1);
        assertEquals("azure-degraded", degraded.path("name").asText());
        double worst10 = degraded.path("metrics").path("stream_tps").path("worst10").asDouble();
        assertTrue(worst10 >= 0.3 && worst10 <= 2.5, "the degraded endpoint's worst 10% crawls: " + worst10);

        String output = result.getOutput();
        assertTrue(output.contains("azure-degraded") && output.contains("slower than openai-direct"), output);
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.split("<svg", -1).length - 1 >= 4, "report.html has the CDFs, the bars and the timeline");
        assertTrue(html.contains("aria-label=\"Per-request timeline\""));
        for (String target : List.of("openai-direct", "azure-degraded", "bedrock-middle")) {
            assertTrue(html.contains("<h3>" + target), "a card names " + target);
        }
        assertTrue(html.matches("(?s).*azure-degraded (is|looks) [0-9.]+x slower than openai-direct on mean TTFT.*"),
                "report.html states the ratio");
        String lower = html.toLowerCase(java.util.Locale.ROOT);
        for (String external : List.of("http://", "https://", "url(", "@import", " src=", " href=")) {
            assertFalse(lower.contains(external), "report.html needs no network, but has " + external);
        }
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("| azure-degraded | mean TTFT (ms) |"), "report.md has the headline table");
    }
}
