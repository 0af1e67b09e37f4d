package dev.tokenbench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults of the machine with the packaged CLI as a child process: a disk that fills up mid-run (a tmpfs of 1 MiB
 * the test mounts; skipped where it cannot), SIGTERM to a run whose disk is full, and a heap too small for the
 * benchmark. Each ends in bounded time with exit 3 and one line that says why, and what is on disk stays valid.
 */
class DiskFaultIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();


    @TempDir
    Path dir;

    @Test
    void aDiskThatFillsUpMidRunEndsTheRunWithExit3NamingTheFileAndLeavesOnlyWholeLines() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), "1m")) {
            Path out = dir.resolve("disk").resolve("run");
            Process run = start(benchmark("fill", Tmpfs.FILLS_A_MEGABYTE), out, List.of("-q"));
            assertTrue(run.waitFor(60, TimeUnit.SECONDS), "the run ends by itself once the disk is full");
            String err = Files.readString(dir.resolve("run.err"));
            assertEquals(3, run.exitValue(), err);
            assertTrue(err.contains("tokenbench: writing " + out.resolve("requests.jsonl")
                    + " failed: No space left on device; the run was stopped (exit 3)"), err);
            List<String> lines = Files.readAllLines(out.resolve("requests.jsonl"));
            assertTrue(lines.size() > 100, "the records written before the disk was full stay: " + lines.size());
            assertEveryLineIsWholeJson(lines);
            assertNoTmpFile(out);
        }
    }

    @Test
    void sigtermToARunWhoseDiskIsFullEndsItLongBeforeTheGracePeriod() throws Exception {
        // Requests of about a second each; SIGTERM gives those in flight a minute, the full disk ends them sooner.
        String slow = """
                name: slow
                targets: [{name: x, api: openai-chat, base-url: 'sim://steady/v1', model: m}]
                prompts: {synthetic: {input-tokens: 10, output-tokens: 5, count: 3}}
                load: {mode: closed, concurrency: 4, requests: 1000, warmup: 0}
                simulator:
                  scenarios:
                    steady: {ttft: 50ms, tokens-per-second: 25, output-tokens: 20}
                """;
        try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), "1m")) {
            Path out = dir.resolve("disk").resolve("run");
            Process run = start(benchmark("slow", slow), out, List.of("-q", "--grace", "60s"));
            awaitLines(out.resolve("requests.jsonl"), 4, run);
            disk.fill("filler");
            long termNanos = System.nanoTime();
            run.destroy(); // SIGTERM
            assertTrue(run.waitFor(30, TimeUnit.SECONDS), "ended well within the 60 s grace period");
            assertTrue(System.nanoTime() - termNanos < TimeUnit.SECONDS.toNanos(30));
            String err = Files.readString(dir.resolve("run.err"));
            assertEquals(3, run.exitValue(), "a file of the run could not be written: " + err);
            assertTrue(err.matches("(?s).*tokenbench: writing \\S+(requests\\.jsonl|run\\.json) failed: No space left "
                    + "on device; the run was stopped \\(exit 3\\).*"), err);
            assertEveryLineIsWholeJson(Files.readAllLines(out.resolve("requests.jsonl")));
            assertNoTmpFile(out);
        }
    }

    @Test
    void outOfMemoryExits3WithOneLineAndNoStackTrace() throws Exception {
        // 200 prompts of a million tokens each: gigabytes of text, against a heap of 64 MiB.
        String huge = """
                name: huge
                targets: [{name: x, api: openai-chat, base-url: 'sim://fast/v1', model: m}]
                prompts: {synthetic: {input-tokens: 1000000, output-tokens: 5, count: 200}}
                load: {mode: closed, concurrency: 2, requests: 10, warmup: 0}
                simulator:
                  scenarios:
                    fast: {ttft: 1ms, tokens-per-second: 5000, output-tokens: 5}
                """;
        Process run = start(List.of("-Xmx64m"), benchmark("huge", huge), dir.resolve("run"), List.of("-q"));
        assertTrue(run.waitFor(120, TimeUnit.SECONDS), "out of memory ends the process, it does not hang");
        String err = Files.readString(dir.resolve("run.err"));
        assertEquals(3, run.exitValue(), err);
        List<String> lines = err.strip().lines().toList();
        assertEquals(1, lines.size(), "one line, no stack trace: " + err);
        assertTrue(lines.get(0).startsWith("tokenbench: out of memory"), err);
        assertTrue(lines.get(0).contains("the run was stopped (exit 3)"), err);
    }

    private Path benchmark(String name, String yaml) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private Process start(Path benchmark, Path out, List<String> options) throws IOException {
        return start(List.of(), benchmark, out, options);
    }

    /** {@code run} of the packaged application; stdout and stderr go to run.out and run.err. */
    private Process start(List<String> jvmOptions, Path benchmark, Path out, List<String> options)
            throws IOException {
        assertTrue(Files.exists(JAR), "the packaged application (mvn package) at " + JAR);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseZGC");
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", JAR.toString(), "run", benchmark.toString(), "--out", out.toString(),
                "--no-history"));
        cmd.addAll(options);
        return new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve("run.out").toFile())
                .redirectError(dir.resolve("run.err").toFile()).start();
    }

    private static void awaitLines(Path file, int lines, Process run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!run.isAlive()) {
                throw new AssertionError("the run ended early with exit code " + run.exitValue());
            }
            if (Files.exists(file) && Files.readAllLines(file).size() >= lines) {
                return;
            }
            Thread.sleep(50);
        }
        run.destroyForcibly();
        throw new AssertionError("no " + lines + " records within 60 s");
    }

    private static void assertEveryLineIsWholeJson(List<String> lines) throws IOException {
        for (String line : lines) {
            assertTrue(JSON.readTree(line).has("request_id"), line);
        }
    }

    private static void assertNoTmpFile(Path out) throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            List<Path> tmp = files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
            assertFalse(!tmp.isEmpty(), "no .tmp left: " + tmp);
        }
    }
}
