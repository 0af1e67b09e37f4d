package dev.tokenbench.cli;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failed requests are results, not a failed run: exit 0 while any measured request succeeded; exit 3, with the
 * terminal saying why, when none of any target did. Against the built-in simulator's fault rules.
 */
@QuarkusMainTest
class RunExitCodeTest {
    @TempDir
    Path dir;

    private Path benchmark(String faults) throws IOException {
        Path file = dir.resolve("faults.yaml");
        Files.writeString(file, """
                name: exit-codes
                targets:
                  - {name: a, api: anthropic, base-url: 'sim://flaky', model: claude-sonnet-4-5}
                  - {name: b, api: openai-chat, base-url: 'sim://flaky/v1', model: m}
                prompts: {synthetic: {input-tokens: 8, output-tokens: 4, count: 1}}
                load: {mode: closed, concurrency: 1, requests: 2, warmup: 0, timeout: 10s, stall-timeout: 5s}
                simulator:
                  scenarios:
                    flaky: {ttft: 10ms, tokens-per-second: 500, faults: [%s]}
                """.formatted(faults));
        return file;
    }

    @Test
    void everyRequestFailedIsAFailedRun(QuarkusMainLauncher launcher) throws IOException {
        LaunchResult result = launcher.launch("run", benchmark("{kind: http-error, status: 529}").toString(),
                "--out", dir.resolve("all-failed").toString(), "-q");
        String out = result.getOutput();
        assertEquals(ExitCodes.RUN_FAILED, result.exitCode(), out + result.getErrorOutput());
        assertTrue(out.contains("the run failed: all 4 measured requests of every target failed (http_5xx 4); "
                + "first error: a: HTTP 529: overloaded_error: "), out);
        assertTrue(result.getErrorOutput().contains("exit code 3"), result.getErrorOutput());
        assertTrue(Files.exists(dir.resolve("all-failed").resolve("run.json")), "the run's files are written");
        assertEquals(4, Files.readAllLines(dir.resolve("all-failed").resolve("requests.jsonl")).size());
    }

    @Test
    void someRequestsFailedIsAFinishedRun(QuarkusMainLauncher launcher) throws IOException {
        LaunchResult result = launcher.launch("run", benchmark("{kind: reset, after-tokens: 1, every: 2}")
                .toString(), "--out", dir.resolve("some-failed").toString(), "-q");
        String out = result.getOutput();
        assertEquals(ExitCodes.OK, result.exitCode(), out + result.getErrorOutput());
        assertFalse(out.contains("the run failed"), out);
        String requests = Files.readString(dir.resolve("some-failed").resolve("requests.jsonl"));
        assertTrue(requests.contains("\"outcome\":\"stream_error\""), requests);
        assertTrue(requests.contains("\"outcome\":\"ok\""), requests);
    }
}
