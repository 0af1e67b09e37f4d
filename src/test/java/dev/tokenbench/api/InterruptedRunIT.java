package dev.tokenbench.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code serve} stopped by SIGTERM in the middle of a run (the packaged application as a process, on loopback):
 * the running run is stored as interrupted with every request that finished, the queued one as interrupted with
 * none, and a service restarted on the same data directory serves both.
 */
class InterruptedRunIT {
    private static final String TOKEN = "interrupt-token-7";
    /** One target whose requests take about 4 s each (40 tokens at 10/s): a run of 30 lasts about 40 s. */
    private static final String LONG_RUN = """
            name: long
            targets:
              - {name: slow, api: openai-chat, base-url: 'sim://slow/v1', model: m1}
            prompts: {synthetic: {count: 2, input-tokens: 20, output-tokens: 40}}
            load: {mode: closed, concurrency: 3, requests: 30, warmup: 0, timeout: 30s, stall-timeout: 10s}
            simulator:
              scenarios:
                slow: {ttft: 50ms, tokens-per-second: 10, output-tokens: 40}
            """;

    @TempDir
    Path dir;

    @Test
    void aRunInFlightWhenServeStopsIsStoredAsInterruptedWithItsFinishedRequests() throws Exception {
        Map<String, String> properties = Map.of("tokenbench.serve.stop-grace", "500ms");
        Map<String, String> env = Map.of("TOKENBENCH_API_TOKEN", TOKEN);
        String running;
        String queued;
        long finishedBeforeStop;
        try (ServiceProcess serve = ServiceProcess.serve(dir, properties, env)) {
            ServiceClient c = serve.client();
            running = id(c.post("/api/runs", TOKEN, "application/yaml", LONG_RUN));
            queued = id(c.post("/api/runs", TOKEN, "application/yaml", LONG_RUN));
            Path records = dir.resolve("data").resolve("runs").resolve(running).resolve("requests.jsonl");
            finishedBeforeStop = awaitRecords(records, 3);
            assertEquals("queued", ServiceClient.json(c.get("/api/runs/" + queued, null)).path("status").asText());

            int exit = serve.terminate();
            assertEquals(143, exit, "serve ends as a process stopped by SIGTERM does: "
                    + Files.readString(serve.log));
            String log = Files.readString(serve.log);
            assertTrue(log.contains("run " + running + " stored as interrupted"), log);
            assertTrue(log.contains("run " + queued + " was still queued"), log);
        }

        try (ServiceProcess restarted = ServiceProcess.serve(dir, properties, env)) {
            ServiceClient c = restarted.client();
            JsonNode run = ServiceClient.json(c.get("/api/runs/" + running, null));
            assertEquals("interrupted", run.path("status").asText(), run.toString());
            int measured = run.path("measured").asInt();
            assertTrue(measured >= finishedBeforeStop && measured < 30, "kept what finished, stopped early: "
                    + measured + " measured, " + finishedBeforeStop + " finished before SIGTERM");

            List<String> lines = c.get("/api/runs/" + running + "/requests", null).body().lines().toList();
            assertEquals(measured, lines.size(), "every record stored");
            int ok = 0;
            for (String line : lines) {
                JsonNode r = ServiceClient.JSON.readTree(line);
                String outcome = r.path("outcome").asText();
                assertTrue(outcome.equals("ok") || outcome.equals("cancelled"), line);
                ok += outcome.equals("ok") ? 1 : 0;
            }
            assertTrue(ok >= finishedBeforeStop, ok + " ok records, " + finishedBeforeStop + " before SIGTERM");
            assertEquals(200, c.get("/api/runs/" + running + "/report", null).statusCode());

            JsonNode never = ServiceClient.json(c.get("/api/runs/" + queued, null));
            assertEquals("interrupted", never.path("status").asText(), never.toString());
            assertEquals(0, never.path("measured").asInt());
            assertEquals(200, c.get("/api/runs/" + queued + "/report", null).statusCode());
        }
    }

    private static String id(HttpResponse<String> accepted) throws Exception {
        assertEquals(202, accepted.statusCode(), accepted.body());
        return ServiceClient.json(accepted).path("id").asText();
    }

    /** Waits (at most 60 s) until the file holds at least n records; how many it holds then. */
    private static long awaitRecords(Path file, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                long count = Files.readAllLines(file).stream().filter(l -> l.endsWith("}")).count();
                if (count >= n) {
                    return count;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(file + " did not get " + n + " records within 60 s");
    }
}
