package dev.tokenbench.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.serve.RunService;
import dev.tokenbench.store.SqliteHistoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The history store's faults against the packaged service as a process (on loopback, a few short runs against the
 * built-in simulator): SQLite locked by another connection for a while and past the bound, its file deleted or made
 * unopenable while serve runs, a corrupted file at start-up, and PostgreSQL stopped and started again under it. No fault fails or loses a measured run, the API
 * answers JSON (never an HTML 500), readiness says why, and the service recovers by itself.
 */
class StoreFaultsIT {
    private static final String TOKEN = "store-faults-token-3";
    private static final Map<String, String> ENV = Map.of("TOKENBENCH_API_TOKEN", TOKEN);
    private static final String QUICK_RUN = """
            name: quick
            targets:
              - {name: fast, api: openai-chat, base-url: 'sim://fast/v1', model: m1}
            prompts: {synthetic: {count: 2, input-tokens: 20, output-tokens: 20}}
            load: {mode: closed, concurrency: 2, requests: 4, warmup: 0, timeout: 30s, stall-timeout: 10s}
            simulator:
              scenarios:
                fast: {ttft: 20ms, tokens-per-second: 400, output-tokens: 20}
            """;

    @TempDir
    Path dir;

    @Test
    void aRunStoredWhileSqliteIsLockedForAWhileEndsDoneAndIsInHistoryAfterARestart() throws Exception {
        String id;
        try (ServiceProcess serve = ServiceProcess.serve(dir, Map.of(), ENV)) {
            ServiceClient c = serve.client();
            try (Connection holder = lockExclusively()) {
                id = start(c);
                awaitFile(notInHistoryMarker(id));
                // The service is storing now, and waits for the lock (tokenbench.store.busy-timeout: 10 s).
                Thread.sleep(3000);
                assertEquals("running", status(c, id), "the run is not finished before it is stored");
                holder.createStatement().execute("COMMIT");
            }
            JsonNode run = c.awaitFinished(id);
            assertEquals("done", run.path("status").asText(), run.toString());
            assertTrue(run.path("note").isMissingNode(), run.toString());
            assertTrue(listedIds(c).contains(id));
            assertFalse(Files.exists(notInHistoryMarker(id)), "stored: the marker is gone");
        }
        try (ServiceProcess restarted = ServiceProcess.serve(dir, Map.of(), ENV)) {
            JsonNode run = ServiceClient.json(restarted.client().get("/api/runs/" + id, null));
            assertEquals("done", run.path("status").asText(), run.toString());
            assertEquals(4, run.path("measured").asInt(), run.toString());
        }
    }

    @Test
    void aRunTheLockedStoreCannotTakeStaysDoneAndIsStoredAtTheNextStartOrWithTheNextRun() throws Exception {
        Map<String, String> shortBound = Map.of("tokenbench.store.busy-timeout", "1s");
        String first;
        String second;
        try (ServiceProcess serve = ServiceProcess.serve(dir, shortBound, ENV)) {
            ServiceClient c = serve.client();
            try (Connection holder = lockExclusively()) {
                first = start(c);
                JsonNode run = c.awaitFinished(first);
                assertEquals("done", run.path("status").asText(), "a store fault never fails a measured run: " + run);
                assertEquals(4, run.path("measured").asInt(), run.toString());
                assertTrue(run.path("note").asText().contains("not in the history store yet"), run.toString());
                assertTrue(listedIds(c).contains(first), "listed while the store is locked (WAL: reads go on)");
                holder.createStatement().execute("ROLLBACK");
            }
            String log = Files.readString(serve.log);
            assertTrue(log.contains("run " + first + " is done but not in history yet")
                    && log.contains("still busy after 1000 ms"), log);
            assertTrue(Files.exists(notInHistoryMarker(first)));
        }

        try (ServiceProcess restarted = ServiceProcess.serve(dir, shortBound, ENV)) {
            ServiceClient c = restarted.client();
            JsonNode run = ServiceClient.json(c.get("/api/runs/" + first, null));
            assertEquals("done", run.path("status").asText(), run.toString());
            assertTrue(run.path("note").isMissingNode(), "stored at start: " + run);
            assertEquals(4, c.get("/api/runs/" + first + "/requests", null).body().lines().count());
            assertFalse(Files.exists(notInHistoryMarker(first)));

            // Left out again, then stored with the next run, no restart.
            try (Connection holder = lockExclusively()) {
                second = start(c);
                assertTrue(c.awaitFinished(second).path("note").isTextual());
                // Not in history yet, its files are served from its directory.
                assertEquals(4, c.get("/api/runs/" + second + "/requests", null).body().lines().count());
                assertEquals(200, c.get("/api/runs/" + second + "/run.json", null).statusCode());
                holder.createStatement().execute("ROLLBACK");
            }
            String third = start(c);
            assertEquals("done", c.awaitFinished(third).path("status").asText());
            JsonNode stored = ServiceClient.json(c.get("/api/runs/" + second, null));
            assertEquals("done", stored.path("status").asText(), stored.toString());
            assertTrue(stored.path("note").isMissingNode(), "stored with the next run: " + stored);
            assertEquals(4, c.get("/api/runs/" + second + "/requests", null).body().lines().count());
        }
    }

    @Test
    void aDeletedOrUnopenableDatabaseGivesJsonErrorsAndReadinessDownThenRecovers() throws Exception {
        try (ServiceProcess serve = ServiceProcess.serve(dir, Map.of(), ENV)) {
            ServiceClient c = serve.client();
            String before = start(c);
            c.awaitFinished(before);

            // Deleted: made again on the next use, empty.
            deleteDatabase();
            HttpResponse<String> list = c.get("/api/runs", null);
            assertEquals(200, list.statusCode(), list.body());
            assertTrue(ServiceClient.json(list).path("runs").isArray(), list.body());
            assertEquals(200, c.get("/q/health/ready", null).statusCode());

            // Unopenable (a directory where the file was): 503 JSON naming the store, readiness DOWN, liveness UP.
            deleteDatabase();
            Files.createDirectory(database());
            HttpResponse<String> down = c.get("/api/runs", null);
            assertEquals(503, down.statusCode(), down.body());
            String error = ServiceClient.json(down).path("error").asText();
            assertTrue(error.contains("history store") && error.contains(database().toString()), down.body());
            assertEquals(503, c.get("/api/runs/" + before, null).statusCode());
            HttpResponse<String> ready = c.get("/q/health/ready", null);
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("DOWN") && ready.body().contains(database().toString()), ready.body());
            assertEquals(200, c.get("/q/health/live", null).statusCode());
            HttpResponse<String> page = c.get("/", null);
            assertEquals(503, page.statusCode(), page.body());
            assertTrue(page.body().startsWith("tokenbench: the history store is unavailable"), page.body());
            String log = Files.readString(serve.log);
            assertFalse(log.contains("\tat ") || log.contains("Exception"), "no stack trace: " + log);

            // Back: the next request recovers, a new run is stored and listed.
            Files.delete(database());
            assertEquals(200, c.get("/q/health/ready", null).statusCode());
            assertEquals(200, c.get("/", null).statusCode());
            String after = start(c);
            assertEquals("done", c.awaitFinished(after).path("status").asText());
            assertTrue(listedIds(c).contains(after));
            assertTrue(ServiceClient.json(c.get("/api/runs/" + after, null)).path("note").isMissingNode());
        }
    }

    @Test
    void postgresqlDownGivesJsonErrorsAndKeepsTheRunThenThePoolReconnectsWhenItIsBack() throws Exception {
        Path cluster = Files.createTempDirectory("tokenbench-pg",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"))).resolve("c");
        String port = Integer.toString(ServiceProcess.freePort());
        postgres("start", cluster.toString(), port);
        Map<String, String> settings = Map.of("tokenbench.store.kind", "postgresql",
                "quarkus.datasource.history.active", "true",
                "quarkus.datasource.history.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "quarkus.datasource.history.username", "tokenbench");
        try (ServiceProcess serve = ServiceProcess.serve(dir, settings, ENV)) {
            ServiceClient c = serve.client();
            String before = start(c);
            assertEquals("done", c.awaitFinished(before).path("status").asText());

            postgres("stop", cluster.toString());
            HttpResponse<String> down = c.get("/api/runs", null);
            assertEquals(503, down.statusCode(), down.body());
            assertTrue(ServiceClient.json(down).path("error").asText().contains("postgresql (datasource history)"),
                    down.body());
            HttpResponse<String> ready = c.get("/q/health/ready", null);
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("\"history-store\""), ready.body());
            assertEquals(200, c.get("/q/health/live", null).statusCode());
            String whileDown = start(c);
            JsonNode kept = c.awaitFinished(whileDown);
            assertEquals("done", kept.path("status").asText(), kept.toString());
            assertTrue(kept.path("note").isTextual(), kept.toString());

            postgres("restart", cluster.toString(), port);
            awaitReady(c);
            assertTrue(listedIds(c).contains(before));
            String after = start(c);
            assertEquals("done", c.awaitFinished(after).path("status").asText());
            JsonNode stored = ServiceClient.json(c.get("/api/runs/" + whileDown, null));
            assertTrue(stored.path("note").isMissingNode(), "stored with the next run: " + stored);
            assertTrue(listedIds(c).containsAll(List.of(before, whileDown, after)));
        } finally {
            postgres("stop", cluster.toString());
        }
    }

    @Test
    void aCorruptedDatabaseAtStartIsOneLineWithTheFixAndServeStartsDegradedThenRecovers() throws Exception {
        Files.createDirectories(database().getParent());
        Files.write(database(), garbage());

        int port = ServiceProcess.freePort();
        Path log = dir.resolve("serve-corrupt.log");
        ProcessBuilder pb = new ProcessBuilder(ServiceProcess.command(Map.of(), "serve", "--port",
                Integer.toString(port))).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(ENV);
        Process process = pb.start();
        try {
            ServiceClient c = new ServiceClient(URI.create("http://127.0.0.1:" + port + "/"));
            awaitLive(c, process, log);
            String fix = "the history store file " + database() + " is not a SQLite database";
            HttpResponse<String> ready = c.get("/q/health/ready", null);
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains(fix) && ready.body().contains("move it away; tokenbench creates a new "
                    + "one"), ready.body());
            HttpResponse<String> list = c.get("/api/runs", null);
            assertEquals(503, list.statusCode(), list.body());
            assertTrue(ServiceClient.json(list).path("error").asText().contains(fix), list.body());

            String output = Files.readString(log);
            List<String> lines = output.lines().filter(l -> l.contains(fix)).toList();
            assertEquals(1, lines.size(), output);
            assertTrue(lines.get(0).contains("move it away; tokenbench creates a new one"), output);
            assertFalse(output.contains("\tat ") || output.contains("Flyway") || output.contains("Exception"),
                    "one line, no stack trace: " + output);

            // The operator moves the file away: the next use makes a new store.
            Files.move(database(), dir.resolve("history.db.corrupt"));
            assertEquals(200, c.get("/q/health/ready", null).statusCode());
            String id = start(c);
            assertEquals("done", c.awaitFinished(id).path("status").asText());
            assertTrue(listedIds(c).contains(id));
        } finally {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void theCliRunWithACorruptedStoreWarnsInOneLineAndItsExitCodeStands() throws Exception {
        Path data = dir.resolve("cli").resolve("data");
        Files.createDirectories(data);
        Files.write(data.resolve(SqliteHistoryStore.FILE_NAME), garbage());
        Path benchmark = dir.resolve("quick.yaml");
        Files.writeString(benchmark, QUICK_RUN);
        Path runDir = dir.resolve("cli-run");

        ServiceProcess.Result run = ServiceProcess.cli(dir.resolve("cli"), Map.of(), Map.of(), "run",
                benchmark.toString(), "--out", runDir.toString(), "-q");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("the run was not stored in history (the history store file ")
                && run.output().contains("move it away; tokenbench creates a new one"), run.output());
        assertFalse(run.output().contains("\tat ") || run.output().contains("Flyway"), run.output());
        assertTrue(Files.exists(runDir.resolve("run.json")));
    }

    private String start(ServiceClient c) throws Exception {
        HttpResponse<String> accepted = c.post("/api/runs", TOKEN, "application/yaml", QUICK_RUN);
        assertEquals(202, accepted.statusCode(), accepted.body());
        return ServiceClient.json(accepted).path("id").asText();
    }

    private static String status(ServiceClient c, String id) throws Exception {
        return ServiceClient.json(c.get("/api/runs/" + id, null)).path("status").asText();
    }

    private static List<String> listedIds(ServiceClient c) throws Exception {
        HttpResponse<String> list = c.get("/api/runs", null);
        assertEquals(200, list.statusCode(), list.body());
        return ServiceClient.json(list).path("runs").findValuesAsText("id");
    }

    /** Not a database: what a disk fault or a copy of the wrong file leaves. */
    private static byte[] garbage() {
        byte[] bytes = new byte[16384];
        new Random(15).nextBytes(bytes);
        return bytes;
    }

    private Path database() {
        return dir.resolve("data").resolve(SqliteHistoryStore.FILE_NAME).toAbsolutePath();
    }

    private Path notInHistoryMarker(String id) {
        return dir.resolve("data").resolve("runs").resolve(id).resolve(RunService.NOT_IN_HISTORY);
    }

    private void deleteDatabase() throws Exception {
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(database() + suffix));
        }
    }

    /** Another process's connection would do the same: SQLite's write lock, held until COMMIT or ROLLBACK. */
    private Connection lockExclusively() throws Exception {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + database());
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
        }
        return c;
    }

    /** scripts/test-postgres.sh: a throw-away cluster on 127.0.0.1 (bounded: an install where it is missing). */
    private static void postgres(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of("scripts", "test-postgres.sh").toAbsolutePath().toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("scripts/test-postgres.sh " + args[0] + " did not finish");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "scripts/test-postgres.sh " + args[0] + ": " + out);
    }

    /** Waits (at most 60 s) until readiness is UP again. */
    private static void awaitReady(ServiceClient c) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> ready = c.get("/q/health/ready", null);
        while (ready.statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not ready again within 60 s: " + ready.body());
            }
            Thread.sleep(200);
            ready = c.get("/q/health/ready", null);
        }
    }

    /** Waits (at most 60 s) for the file. */
    private static void awaitFile(Path file) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(file + " did not appear within 60 s");
            }
            Thread.sleep(50);
        }
    }

    /** Waits (at most 60 s) until the service answers liveness. */
    private static void awaitLive(ServiceClient c, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("serve exited " + process.exitValue() + ": " + Files.readString(log));
            }
            try {
                if (c.get("/q/health/live", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        throw new AssertionError("serve was not live within 60 s: " + Files.readString(log));
    }
}
