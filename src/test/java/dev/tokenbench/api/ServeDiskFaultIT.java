package dev.tokenbench.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.cli.Tmpfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code serve} (the packaged application, on loopback) when the disk under its run directories fills up mid-run:
 * a tmpfs of 1 MiB the test mounts on data/runs (skipped where it cannot). The run that fills it ends
 * {@code failed} with the file and the cause as its reason; the queue goes on (the run queued behind it ends too,
 * instead of waiting forever), and once space is freed the next run is {@code done}.
 */
class ServeDiskFaultIT {
    private static final String TOKEN = "disk-fault-token-3";
    /** ~1 KiB records as fast as the simulator goes: 1 MiB is full after about 1,000. */
    private static final String SMALL = """
            name: small
            targets: [{name: x, api: openai-chat, base-url: 'sim://fast/v1', model: m}]
            prompts: {synthetic: {input-tokens: 10, output-tokens: 5, count: 3}}
            load: {mode: closed, concurrency: 2, requests: 6, warmup: 0}
            simulator:
              scenarios:
                fast: {ttft: 1ms, tokens-per-second: 5000, output-tokens: 20}
            """;

    @TempDir
    Path dir;

    @Test
    void aFullDiskFailsTheRunWithItsReasonAndTheQueueGoesOn() throws Exception {
        Path runs = dir.resolve("data").resolve("runs");
        try (Tmpfs disk = Tmpfs.mount(runs, "1m");
                ServiceProcess serve = ServiceProcess.serve(dir, Map.of(), Map.of("TOKENBENCH_API_TOKEN", TOKEN))) {
            ServiceClient c = serve.client();
            String filling = id(c.post("/api/runs", TOKEN, "application/yaml", Tmpfs.FILLS_A_MEGABYTE));
            String queued = id(c.post("/api/runs", TOKEN, "application/yaml", SMALL));

            JsonNode failed = c.awaitFinished(filling);
            assertEquals("failed", failed.path("status").asText(), failed.toString());
            assertEquals("writing data/runs/" + filling + "/requests.jsonl failed: No space left on device",
                    failed.path("error").asText(), failed.toString());
            for (String line : Files.readAllLines(runs.resolve(filling).resolve("requests.jsonl"))) {
                assertTrue(ServiceClient.JSON.readTree(line).has("request_id"), line);
            }

            // Queued behind it while the disk was full: it runs, and ends for the same reason, naming its file.
            JsonNode next = c.awaitFinished(queued);
            assertEquals("failed", next.path("status").asText(), next.toString());
            assertTrue(next.path("error").asText().matches("writing \\S+" + queued
                    + "/\\S+ failed: No space left on device"), next.toString());

            Files.delete(runs.resolve(filling).resolve("requests.jsonl")); // space is freed
            String after = id(c.post("/api/runs", TOKEN, "application/yaml", SMALL));
            JsonNode done = c.awaitFinished(after);
            assertEquals("done", done.path("status").asText(), done + "\n" + Files.readString(serve.log));
            assertEquals(6, done.path("measured").asInt(), done.toString());
        }
    }

    private static String id(HttpResponse<String> accepted) throws Exception {
        assertEquals(202, accepted.statusCode(), accepted.body());
        return ServiceClient.json(accepted).path("id").asText();
    }
}
