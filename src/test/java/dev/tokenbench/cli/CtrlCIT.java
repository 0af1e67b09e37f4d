package dev.tokenbench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C on the packaged CLI: the first SIGINT is acknowledged at once (how long it waits, for how many), the
 * second stops the run now instead of after the grace period. Requests of 15 s and a grace of 60 s: without the
 * second signal the run would take far longer than the bound below.
 */
class CtrlCIT {
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
    private static final String NOTICE_START = "tokenbench: stopping: waiting up to 60s for ";
    private static final String NOTICE_END = " in flight (Ctrl-C again to stop now)";

    @Test
    void firstCtrlCIsAcknowledgedAtOnceAndTheSecondStopsNow(@TempDir Path dir) throws Exception {
        Path benchmark = dir.resolve("slow.yaml");
        Files.writeString(benchmark, """
                name: ctrl-c
                targets:
                  - {name: slow, api: openai-chat, base-url: 'sim://slow/v1', model: m}
                prompts: {synthetic: {input-tokens: 8, output-tokens: 30, count: 1}}
                load: {mode: closed, concurrency: 2, requests: 6, warmup: 0, timeout: 120s, stall-timeout: 60s}
                max-output-tokens: 30
                simulator: {scenarios: {slow: {ttft: 50ms, tokens-per-second: 2}}}
                """);
        Path out = dir.resolve("out");
        Path stdout = dir.resolve("run.out");
        Path stderr = dir.resolve("run.err");
        Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toString(), "run", benchmark.toString(), "--out", out.toString(), "--grace", "60s",
                "--no-self-warm", "--no-history").directory(dir.toFile()).redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile()).start();
        try {
            // Requests are in flight once plan.json is written and a moment has passed.
            waitFor(() -> Files.exists(out.resolve("plan.json")), run, "plan.json");
            Thread.sleep(2_000);
            long firstNanos = System.nanoTime();
            signal(run, "INT");
            waitFor(() -> Files.readString(stderr).contains(NOTICE_END), run, "the stopping notice");
            double noticeSeconds = (System.nanoTime() - firstNanos) / 1e9;
            String err = Files.readString(stderr);
            assertTrue(err.contains(NOTICE_START + "2" + NOTICE_END), err);
            assertTrue(noticeSeconds < 5, "acknowledged after " + noticeSeconds + " s");
            assertTrue(run.isAlive(), "still waiting for the requests in flight");

            long secondNanos = System.nanoTime();
            signal(run, "INT");
            assertTrue(run.waitFor(30, TimeUnit.SECONDS), "the second Ctrl-C stops the run now, not after 60 s");
            double stopSeconds = (System.nanoTime() - secondNanos) / 1e9;
            assertEquals(130, run.exitValue(), Files.readString(stderr));
            assertTrue(Files.readString(stderr).contains("tokenbench: stopping now"), Files.readString(stderr));
            List<String> records = Files.readAllLines(out.resolve("requests.jsonl"));
            assertEquals(2, records.stream().filter(r -> r.contains("\"outcome\":\"cancelled\"")).count(),
                    "the two in flight were cancelled: " + records);
            assertTrue(Files.exists(out.resolve("run.json")), "the run was written up");
            assertTrue(stopSeconds < 30, "stopped " + stopSeconds + " s after the second Ctrl-C");
        } finally {
            run.destroyForcibly();
        }
    }

    private static void signal(Process process, String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + name);
    }

    private interface Check {
        boolean holds() throws IOException;
    }

    private static void waitFor(Check check, Process run, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (check.holds()) {
                return;
            }
            if (!run.isAlive()) {
                throw new AssertionError("the run ended (exit " + run.exitValue() + ") before " + what);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + what + " within 120 s");
    }
}
