package dev.tokenbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.core.Json;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI as shipped: every launch runs the packaged artifact (target/quarkus-app/quarkus-run.jar; the native
 * executable where one is built) as its own process, and checks the exit codes of DESIGN.md §4 and the files a
 * run writes. Benchmarks run against the built-in simulator (sim://, on 127.0.0.1), a few requests each, so
 * every launch ends by itself; the timeouts only bound a hang.
 */
@QuarkusMainIntegrationTest
@TestProfile(PackagedCliIT.Profile.class)
@Timeout(120)
class PackagedCliIT {
    static final Path DIR = Path.of("target", "packaged-cli-it").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Passed to the packaged application as system properties: history under target/, not in the work tree. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tokenbench.store.data-dir", DIR.resolve("data").toString());
        }
    }

    @BeforeAll
    static void freshDirectory() throws IOException {
        if (Files.exists(DIR)) {
            try (Stream<Path> walk = Files.walk(DIR)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(DIR);
    }

    private static Path benchmark(String name, String slo, String faults) throws IOException {
        Path file = DIR.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
                targets:
                  - {name: fast, api: openai-chat, base-url: 'sim://fast/v1', model: m1}
                  - {name: slow, api: anthropic, base-url: 'sim://slow', model: m2}
                prompts: {synthetic: {count: 2, input-tokens: 20, output-tokens: 10}}
                load: {mode: closed, concurrency: 2, requests: 4, warmup: 0, timeout: 10s, stall-timeout: 5s}
                baseline: fast
                %s
                simulator:
                  scenarios:
                    fast: {ttft: 5ms, tokens-per-second: 800, faults: [%s]}
                    slow: {ttft: 20ms, tokens-per-second: 300, faults: [%s]}
                """.formatted(name, slo, faults, faults));
        return file;
    }

    private static String all(LaunchResult result) {
        return result.getOutput() + "\n" + result.getErrorOutput();
    }

    @Test
    @Launch("--version")
    void versionNamesTheBuild(LaunchResult result) {
        // The integration-test launcher turns io.quarkus logging up to INFO: start and stop lines surround it.
        assertTrue(result.getOutput().lines().anyMatch(l -> l.matches("tokenbench \\d+\\.\\d+\\.\\d+\\S*")),
                all(result));
    }

    @Test
    @Launch("--help")
    void helpListsEveryCommandAndTheExitCodes(LaunchResult result) {
        String out = result.getOutput();
        for (String command : List.of("run", "validate", "sim", "report", "compare", "serve", "publish")) {
            assertTrue(out.contains("\n  " + command + " "), command + " in " + out);
        }
        assertTrue(out.contains("Exit codes: 0 ok, 1 SLO breached"), out);
    }

    @Test
    @Launch(value = "frobnicate", exitCode = ExitCodes.BAD_INPUT)
    void anUnknownCommandIsAUsageError(LaunchResult result) {
        assertTrue(result.getErrorOutput().contains("frobnicate"), all(result));
    }

    @Test
    void validateAcceptsAGoodFileAndNamesFileFieldAndFixOfABadOne(QuarkusMainLauncher launcher) throws IOException {
        Path good = benchmark("good", "", "");
        LaunchResult ok = launcher.launch("validate", good.toString());
        assertEquals(ExitCodes.OK, ok.exitCode(), all(ok));
        assertTrue(ok.getOutput().contains(good + ": ok — 2 targets"), ok.getOutput());

        Path bad = DIR.resolve("typo.yaml");
        Files.writeString(bad, Files.readString(good).replace("api: anthropic", "api: antropic"));
        LaunchResult error = launcher.launch("validate", bad.toString());
        assertEquals(ExitCodes.BAD_INPUT, error.exitCode(), all(error));
        String err = error.getErrorOutput();
        assertTrue(err.contains(bad + ": targets[1].api: unknown api 'antropic' (did you mean 'anthropic'?)"), err);
        assertTrue(err.contains("Nothing was sent."), err);
    }

    @Test
    void simRefusesAnUndefinedScenarioBeforeServing(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("sim", "--port", "0", "--config",
                Path.of("src/test/resources/config/bad-sim-scenario.yaml").toAbsolutePath().toString());
        assertEquals(ExitCodes.BAD_INPUT, result.exitCode(), all(result));
        assertTrue(result.getErrorOutput().contains("simulator scenario 'slwo' is not defined (did you mean 'slow'?)"),
                all(result));
    }

    @Test
    void aRunAgainstTheSimulatorWritesItsFilesAndReportRebuildsThem(QuarkusMainLauncher launcher) throws IOException {
        Path out = DIR.resolve("run");
        LaunchResult run = launcher.launch("run", benchmark("quick", "", "").toString(), "--out", out.toString(), "-q");
        assertEquals(ExitCodes.OK, run.exitCode(), all(run));
        assertTrue(run.getOutput().contains("slow"), "the comparison table: " + run.getOutput());
        for (String file : List.of("run.json", "requests.jsonl", "report.html", "report.md")) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file + " in " + out);
        }
        JsonNode runJson = JSON.readTree(out.resolve("run.json").toFile());
        assertEquals(1, runJson.path("schema_version").asInt(), runJson.toString());
        assertEquals(2, runJson.path("targets").size(), runJson.toString());
        List<String> records = Files.readAllLines(out.resolve("requests.jsonl"));
        assertEquals(8, records.size(), "2 targets x 4 requests");
        for (String line : records) {
            assertTrue(JSON.readTree(line).path("ok").asBoolean(), line);
        }
        assertTrue(Files.isDirectory(DIR.resolve("data")), "the run is stored in the history under " + DIR);

        // report DIR rebuilds run.json and the reports from requests.jsonl.
        Files.delete(out.resolve("run.json"));
        Files.delete(out.resolve("report.html"));
        LaunchResult report = launcher.launch("report", out.toString());
        assertEquals(ExitCodes.OK, report.exitCode(), all(report));
        assertTrue(report.getOutput().contains("rebuilt from 8 records"), report.getOutput());
        assertEquals(2, JSON.readTree(out.resolve("run.json").toFile()).path("targets").size());
        assertTrue(Files.readString(out.resolve("report.html")).contains("<html"), "report.html rebuilt");

        LaunchResult missing = launcher.launch("report", DIR.resolve("no-such-run").toString());
        assertEquals(ExitCodes.BAD_INPUT, missing.exitCode(), all(missing));
    }

    @Test
    void aBreachedSloExits1WithFailOnSlo(QuarkusMainLauncher launcher) throws IOException {
        Path file = benchmark("slo", "slo: {ttft: 1ms, stream-tps: 100000}", "");
        LaunchResult result = launcher.launch("run", file.toString(), "--out", DIR.resolve("slo").toString(), "-q",
                "--fail-on-slo", "--no-history");
        assertEquals(ExitCodes.SLO_BREACHED, result.exitCode(), all(result));
        assertTrue(Files.isRegularFile(DIR.resolve("slo").resolve("run.json")), "the run's files are written");
    }

    /** The packaged CLI's --json: stdout holds one JSON document and nothing else; the table and logs go to stderr. */
    @Test
    void jsonPrintsOneDocumentAndNothingElseOnStdout(QuarkusMainLauncher launcher) throws IOException {
        Path file = benchmark("json", "", "");
        LaunchResult result = launcher.launch("run", file.toString(), "--out", DIR.resolve("json").toString(),
                "--json");
        assertEquals(ExitCodes.OK, result.exitCode(), all(result));
        String stdout = result.getOutput().strip();
        assertTrue(stdout.startsWith("{") && stdout.endsWith("}") && stdout.lines().count() == 1, all(result));
        assertEquals("done", Json.MAPPER.readTree(stdout).path("status").asText());
        assertTrue(result.getErrorOutput().contains("run directory: "), result.getErrorOutput());
    }

    @Test
    void aRunWhoseEveryRequestFailedExits3(QuarkusMainLauncher launcher) throws IOException {
        Path file = benchmark("failing", "", "{kind: http-error, status: 529}");
        LaunchResult result = launcher.launch("run", file.toString(), "--out", DIR.resolve("failing").toString(), "-q",
                "--no-history");
        assertEquals(ExitCodes.RUN_FAILED, result.exitCode(), all(result));
        assertTrue(result.getOutput().contains("the run failed: all 8 measured requests of every target failed"),
                all(result));
        assertFalse(Files.readAllLines(DIR.resolve("failing").resolve("requests.jsonl")).isEmpty());
    }
}
