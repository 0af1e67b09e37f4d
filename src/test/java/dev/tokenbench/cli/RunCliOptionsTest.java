package dev.tokenbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.core.Json;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run}'s safety and CI options against the built-in simulator: --out into a run is refused (--force
 * replaces it), --json's one document on stdout, fail-fast on 401s, --drop-lagged over the file's load.drop-lagged,
 * and a sweep's header and counter agreeing.
 */
@QuarkusMainTest
class RunCliOptionsTest {
    @TempDir
    Path dir;

    /** Target a answers with {@code faultsOfA}; b is good. */
    private Path benchmark(String name, String faultsOfA, String load) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
                targets:
                  - {name: a, api: openai-chat, base-url: 'sim://bad/v1', model: m}
                  - {name: b, api: openai-chat, base-url: 'sim://good/v1', model: m}
                prompts: {synthetic: {input-tokens: 8, output-tokens: 4, count: 1}}
                load: %s
                simulator:
                  scenarios:
                    bad: {ttft: 5ms, tokens-per-second: 1000, faults: [%s]}
                    good: {ttft: 5ms, tokens-per-second: 1000}
                """.formatted(name, load, faultsOfA));
        return file;
    }

    private Path small(String name) throws IOException {
        return benchmark(name, "", "{mode: closed, concurrency: 1, requests: 3, warmup: 0, timeout: 10s, "
                + "stall-timeout: 5s}");
    }

    /**
     * The --json document on stdout. In this JVM the launcher shares the log handlers of every Quarkus application
     * the suite started before, so a log line may land on the captured stdout; PackagedCliIT checks that the
     * packaged CLI's stdout holds the document and nothing else. Here: exactly one line of stdout is the document.
     */
    private static JsonNode document(LaunchResult result) throws IOException {
        List<String> documents = result.getOutput().lines().filter(l -> l.startsWith("{")).toList();
        assertEquals(1, documents.size(), result.getOutput());
        assertTrue(documents.get(0).endsWith("}"), documents.get(0));
        return Json.MAPPER.readTree(documents.get(0));
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file);
    }

    @Test
    void outIntoARunIsRefusedAndForceReplacesIt(QuarkusMainLauncher launcher) throws IOException {
        Path out = dir.resolve("out");
        Path file = small("twice");
        LaunchResult first = launcher.launch("run", file.toString(), "--out", out.toString(), "-q", "--no-self-warm");
        assertEquals(ExitCodes.OK, first.exitCode(), first.getOutput() + first.getErrorOutput());
        assertEquals(6, lines(out.resolve("requests.jsonl")).size());
        String firstRunJson = Files.readString(out.resolve("run.json"));
        Files.writeString(out.resolve("notes.txt"), "mine");

        LaunchResult again = launcher.launch("run", file.toString(), "--out", out.toString(), "-q", "--no-self-warm");
        assertEquals(ExitCodes.BAD_INPUT, again.exitCode(), again.getOutput() + again.getErrorOutput());
        assertTrue(again.getErrorOutput().contains("--out " + out + " already holds a run (run.json); pass --force "
                + "to replace it, or choose another --out"), again.getErrorOutput());
        assertEquals(firstRunJson, Files.readString(out.resolve("run.json")), "nothing touched");
        assertEquals(6, lines(out.resolve("requests.jsonl")).size());

        Files.delete(out.resolve("run.json")); // a crashed run: requests.jsonl alone is a run too
        LaunchResult crashed = launcher.launch("run", file.toString(), "--out", out.toString(), "-q");
        assertEquals(ExitCodes.BAD_INPUT, crashed.exitCode());
        assertTrue(crashed.getErrorOutput().contains("already holds a run (requests.jsonl)"),
                crashed.getErrorOutput());

        LaunchResult forced = launcher.launch("run", file.toString(), "--out", out.toString(), "-q", "--force",
                "--no-self-warm");
        assertEquals(ExitCodes.OK, forced.exitCode(), forced.getOutput() + forced.getErrorOutput());
        List<String> records = lines(out.resolve("requests.jsonl"));
        assertEquals(6, records.size(), "replaced, not appended to");
        String runId = Json.MAPPER.readTree(Files.readString(out.resolve("run.json"))).path("run_id").asText();
        for (String record : records) {
            assertEquals(runId, Json.MAPPER.readTree(record).path("request_id").asText().substring(3,
                    3 + runId.length()), "every record is of the new run");
        }
        assertEquals("mine", Files.readString(out.resolve("notes.txt")), "other files are left alone");
    }

    @Test
    void jsonPrintsOneDocumentOnStdoutAndTheRestOnStderr(QuarkusMainLauncher launcher) throws IOException {
        Path out = dir.resolve("json");
        LaunchResult result = launcher.launch("run", small("json").toString(), "--out", out.toString(), "--json",
                "--no-self-warm");
        assertEquals(ExitCodes.OK, result.exitCode(), result.getErrorOutput());
        JsonNode summary = document(result);
        assertEquals("done", summary.path("status").asText());
        assertEquals(out.toString(), summary.path("run_dir").asText());
        assertEquals(0, summary.path("exit_code").asInt());
        assertEquals(2, summary.path("targets").size());
        JsonNode b = summary.path("targets").get(1);
        assertEquals(3, b.path("requests").path("ok").asInt(), b.toString());
        assertTrue(b.path("metrics").path("ttft_ms").path("p50").isNumber(), b.toString());
        assertFalse(b.has("histograms"), "no encoded histograms in the summary");
        assertTrue(result.getErrorOutput().contains("run directory: " + out), "the table went to stderr");
    }

    @Test
    void aTargetWhoseFirstRequestsAllGet401StopsSending(QuarkusMainLauncher launcher) throws IOException {
        Path out = dir.resolve("unauthorized");
        Path file = benchmark("unauthorized", "{kind: http-error, status: 401}", "{mode: closed, concurrency: 2, "
                + "requests: 200, warmup: 1, timeout: 10s, stall-timeout: 5s}");
        LaunchResult result = launcher.launch("run", file.toString(), "--out", out.toString(), "-q", "--json");
        assertEquals(ExitCodes.RUN_FAILED, result.exitCode(), result.getOutput() + result.getErrorOutput());
        assertTrue(result.getErrorOutput().contains("tokenbench: target a stopped sending: its first 5 requests all "
                + "failed with HTTP 401: check its api-key or auth"), result.getErrorOutput());
        long sentByA = lines(out.resolve("requests.jsonl")).stream().filter(l -> l.contains("\"target\":\"a\""))
                .count();
        // The fail-fast count is kept on the record writer's thread, so a loaded machine lets the two workers send a
        // few more quick 401s before the stop reaches them; what matters is that the other ~190 are never sent.
        assertTrue(sentByA >= 5 && sentByA <= 20, "a sent its first 5 and a few then under way, not 200: " + sentByA);
        long sentByB = lines(out.resolve("requests.jsonl")).stream().filter(l -> l.contains("\"target\":\"b\""))
                .count();
        assertEquals(201, sentByB, "the good target ran its load");
        JsonNode summary = document(result);
        assertTrue(summary.path("stopped_early").path("a").asText().startsWith("its first 5 requests"),
                summary.path("stopped_early").toString());
        assertEquals(3, summary.path("exit_code").asInt());
    }

    @Test
    void failFastZeroSendsEveryRequest(QuarkusMainLauncher launcher) throws IOException {
        Path out = dir.resolve("no-fail-fast");
        Path file = benchmark("nofailfast", "{kind: http-error, status: 404}", "{mode: closed, concurrency: 2, "
                + "requests: 12, warmup: 0, timeout: 10s, stall-timeout: 5s}");
        LaunchResult result = launcher.launch("run", file.toString(), "--out", out.toString(), "-q",
                "--fail-fast", "0", "--no-self-warm");
        assertEquals(ExitCodes.OK, result.exitCode(), "b succeeded: " + result.getErrorOutput());
        assertEquals(12, lines(out.resolve("requests.jsonl")).stream().filter(l -> l.contains("\"target\":\"a\""))
                .count());
    }

    @Test
    void theFilesDropLaggedAppliesAndTheFlagWinsOverIt(QuarkusMainLauncher launcher) throws IOException {
        Path file = benchmark("droplagged", "", "{mode: closed, concurrency: 1, requests: 2, warmup: 0, "
                + "timeout: 10s, stall-timeout: 5s, drop-lagged: 1m}");
        Path fromFile = dir.resolve("from-file");
        LaunchResult plain = launcher.launch("run", file.toString(), "--out", fromFile.toString(), "-q",
                "--no-self-warm");
        assertEquals(ExitCodes.OK, plain.exitCode(), plain.getErrorOutput());
        assertEquals(60_000, Json.MAPPER.readTree(fromFile.resolve("run.json").toFile()).path("client")
                .path("drop_lagged_ms").asDouble(), "the file's minute");
        Path fromFlag = dir.resolve("from-flag");
        LaunchResult flagged = launcher.launch("run", file.toString(), "--out", fromFlag.toString(), "-q",
                "--no-self-warm", "--drop-lagged", "150");
        assertEquals(ExitCodes.OK, flagged.exitCode(), flagged.getErrorOutput());
        assertEquals(150, Json.MAPPER.readTree(fromFlag.resolve("run.json").toFile()).path("client")
                .path("drop_lagged_ms").asDouble(), "the flag wins");
    }

    @Test
    void aSweepsHeaderCountsWhatTheCounterRunsTo(QuarkusMainLauncher launcher) throws IOException {
        Path out = dir.resolve("sweep");
        Path file = benchmark("sweep", "", "{mode: sweep, concurrency: [1, 2, 3], requests: 4, warmup: 0, "
                + "timeout: 10s, stall-timeout: 5s}");
        LaunchResult result = launcher.launch("run", file.toString(), "--out", out.toString(), "--no-self-warm");
        assertEquals(ExitCodes.OK, result.exitCode(), result.getErrorOutput());
        String stdout = result.getOutput();
        assertTrue(stdout.contains("2 targets x 12 requests (3 steps of 4)"), stdout);
        assertTrue(stdout.lines().anyMatch(l -> l.startsWith("a  12/12  errors 0")), "the last progress line: "
                + stdout);
    }
}
