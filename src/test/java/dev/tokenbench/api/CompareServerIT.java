package dev.tokenbench.api;

import dev.tokenbench.report.ReportFixtures;
import dev.tokenbench.run.RunResult;
import dev.tokenbench.store.HistoryStore;
import dev.tokenbench.store.SqliteHistoryStore;
import dev.tokenbench.store.StoredRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code compare --server URL} against the packaged {@code serve} on loopback, whose reads need the bearer token:
 * runs from two probes read through the API and merged per probe; a missing or wrong token, a filter that matches
 * nothing and a server that is not there are bad input (exit 2), and the token never shows.
 */
class CompareServerIT {
    private static final String TOKEN = "compare-token-31337";

    @TempDir
    Path dir;

    @Test
    void compareReadsAServiceHistoryWithItsToken() throws Exception {
        Path serveDir = dir.resolve("serve");
        Instant now = Instant.now();
        try (HistoryStore store = SqliteHistoryStore.open(serveDir.resolve("data"))) {
            int hoursAgo = 4;
            for (String probe : new String[] {"us-east", "eu-west", "us-east", "eu-west"}) {
                String id = probe + "-" + hoursAgo + "h";
                RunResult run = ReportFixtures.at(ReportFixtures.run("bedrock", false), dir.resolve(id),
                        now.minus(Duration.ofHours(hoursAgo--)));
                ReportFixtures.writeRunDirectory(run, ReportFixtures.records("bedrock", false), true);
                store.save(StoredRun.fromDirectory(run.runDir(), id, probe, ""));
            }
        }
        Path cli = dir.resolve("cli");
        Files.createDirectories(cli);
        Files.writeString(cli.resolve("token.txt"), TOKEN + "\n");
        Files.writeString(cli.resolve("wrong.txt"), "not-the-token-4242\n");

        try (ServiceProcess serve = ServiceProcess.serve(serveDir, Map.of("tokenbench.serve.read-requires-token",
                "true"), Map.of("TOKENBENCH_API_TOKEN", TOKEN))) {
            String url = "http://127.0.0.1:" + serve.port;
            assertEquals(401, serve.client().get("/api/runs/us-east-4h/run.json", null).statusCode());
            assertEquals(200, serve.client().get("/api/runs/us-east-4h/run.json", TOKEN).statusCode());

            ServiceProcess.Result merged = ServiceProcess.cli(cli, Map.of(), Map.of(), "compare", "--server", url,
                    "--token-file", "token.txt", "--since", "1d", "--by", "probe", "--out", "cmp");
            assertEquals(0, merged.exitCode(), merged.output());
            String out = merged.output();
            assertTrue(out.contains("comparing 4 runs from " + url + "/api: since 1d"), out);
            assertTrue(out.lines().anyMatch(l -> l.matches("openai@us-east \\(baseline\\) +40/40 .*")), out);
            assertTrue(out.lines().anyMatch(l -> l.matches("openai@eu-west +40/40 .*")), out);
            assertTrue(out.lines().anyMatch(l -> l.matches("bedrock@eu-west +40/40 .*")), out);
            assertTrue(Files.readString(cli.resolve("cmp").resolve("report.md")).contains(url + "/api run eu-west-1h"));
            assertFalse(out.contains(TOKEN), "the token never shows");

            // The token from the environment works as well, and a filter narrows the runs.
            ServiceProcess.Result oneProbe = ServiceProcess.cli(cli, Map.of(), Map.of("TOKENBENCH_API_TOKEN", TOKEN),
                    "compare", "--server", url + "/api", "--probe", "eu-west", "--out", "cmp2");
            assertEquals(0, oneProbe.exitCode(), oneProbe.output());
            assertTrue(oneProbe.output().contains("comparing 2 runs from " + url + "/api: probe eu-west"),
                    oneProbe.output());

            String[][] bad = {
                    {"wants a bearer token for reads and none was given: give --token-file FILE or set "
                            + "TOKENBENCH_API_TOKEN", "compare", "--server", url},
                    {"refused the one given", "compare", "--server", url, "--token-file", "wrong.txt"},
                    {"no run stored by the service at " + url + "/api matches: benchmark nope", "compare",
                            "--server", url, "--token-file", "token.txt", "--benchmark", "nope"}};
            for (String[] c : bad) {
                String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
                ServiceProcess.Result r = ServiceProcess.cli(cli, Map.of(), Map.of(), args);
                assertEquals(2, r.exitCode(), String.join(" ", args) + ": " + r.output());
                assertTrue(r.output().contains(c[0]), c[0] + " in: " + r.output());
                assertFalse(r.output().contains("not-the-token-4242") || r.output().contains(TOKEN), r.output());
            }
        }
        String dead = "http://127.0.0.1:" + ServiceProcess.freePort();
        ServiceProcess.Result unreachable = ServiceProcess.cli(cli, Map.of(), Map.of(), "compare", "--server", dead);
        assertEquals(2, unreachable.exitCode(), unreachable.output());
        assertTrue(unreachable.output().contains("cannot reach the tokenbench service at " + dead + "/api"),
                unreachable.output());
    }
}
