package dev.tokenbench.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Probes feeding a central service, with the packaged application on loopback: a probe service publishes each
 * run it finishes to the central one; a CLI run whose publish fails keeps its run on disk, and {@code publish
 * DIR} sends it later; a wrong token is refused at once.
 */
class PublishRoundTripIT {
    private static final String TOKEN = "round-trip-token-42";
    private static final Path BENCHMARKS = Path.of("src/test/resources/serve/benchmarks").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void aProbePublishesToTheCentralServiceAndAFailedPublishIsSentLater() throws Exception {
        Map<String, String> env = Map.of("TOKENBENCH_API_TOKEN", TOKEN);
        try (ServiceProcess central = ServiceProcess.serve(dir.resolve("central"),
                Map.of("tokenbench.probe.name", "central"), env)) {
            try (ServiceProcess probe = ServiceProcess.serve(dir.resolve("probe"), Map.of(
                    "tokenbench.probe.name", "probe-eu", "tokenbench.probe.region", "eu-west",
                    "tokenbench.serve.benchmarks-dir", BENCHMARKS.toString(),
                    "tokenbench.publish.url", central.apiUrl()), env)) {
                HttpResponse<String> accepted = probe.client().post("/api/runs", TOKEN, "application/json",
                        "{\"benchmark\": \"quick\"}");
                assertEquals(202, accepted.statusCode(), accepted.body());
                String id = ServiceClient.json(accepted).path("id").asText();
                assertEquals("done", probe.client().awaitFinished(id).path("status").asText());

                JsonNode imported = awaitRun(central.client(), "probe-eu-" + id);
                assertEquals("probe-eu", imported.path("probe").asText());
                assertEquals("eu-west", imported.path("region").asText());
                assertEquals("done", imported.path("status").asText());
                assertEquals(2, imported.path("summaries").size());
                HttpResponse<String> report = central.client().get("/api/runs/probe-eu-" + id + "/report", null);
                assertEquals(200, report.statusCode(), "the central service renders an imported run's report");
                assertTrue(report.body().contains("<html"));
                assertEquals(8, central.client().get("/api/runs/probe-eu-" + id + "/requests", null).body().lines()
                        .count());
            }

            // A CLI probe whose central service cannot be reached: the run finishes and stays on disk.
            Path runDir = dir.resolve("cli-run");
            Map<String, String> cliProbe = Map.of("tokenbench.probe.name", "cli-probe");
            String deadUrl = "http://127.0.0.1:" + ServiceProcess.freePort() + "/api";
            ServiceProcess.Result run = ServiceProcess.cli(dir.resolve("cli"), cliProbe, env, "run",
                    BENCHMARKS.resolve("quick.yaml").toString(), "--out", runDir.toString(), "-q", "--publish",
                    deadUrl);
            assertEquals(0, run.exitCode(), run.output());
            assertTrue(run.output().contains("publishing to " + deadUrl + " failed")
                    && run.output().contains("publish " + runDir), run.output());
            assertTrue(Files.exists(runDir.resolve("run.json")));
            assertTrue(central.client().get("/api/runs?probe=cli-probe", null).body().contains("\"runs\":[]"));

            // Later: publish DIR sends it; sending it again replaces it (no duplicate).
            for (int i = 0; i < 2; i++) {
                ServiceProcess.Result published = ServiceProcess.cli(dir.resolve("cli"), cliProbe, env, "publish",
                        runDir.toString(), "--to", central.apiUrl());
                assertEquals(0, published.exitCode(), published.output());
                assertTrue(published.output().contains("as cli-probe-"), published.output());
            }
            JsonNode list = ServiceClient.json(central.client().get("/api/runs?probe=cli-probe", null));
            assertEquals(1, list.path("runs").size(), list.toString());
            assertEquals("quick", list.path("runs").path(0).path("benchmark").asText());

            // A wrong token is final: no retries, and the message does not hold the token.
            ServiceProcess.Result refused = ServiceProcess.cli(dir.resolve("cli"), cliProbe,
                    Map.of("TOKENBENCH_API_TOKEN", "not-the-token"), "publish", runDir.toString(), "--to",
                    central.apiUrl());
            assertEquals(3, refused.exitCode(), refused.output());
            assertTrue(refused.output().contains("HTTP 401"), refused.output());
            assertFalse(refused.output().contains("not-the-token"), refused.output());
        }
    }

    private static JsonNode awaitRun(ServiceClient client, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = client.get("/api/runs/" + id, null);
            if (r.statusCode() == 200) {
                return ServiceClient.json(r);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the central service did not get run " + id + " within 30 s");
    }
}
