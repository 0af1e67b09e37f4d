package dev.tokenbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The bundled demo in a 512 Mi pod: the launcher ./tokenbench, its own JVM settings, and -XX:MaxRAM=512m, which
 * sizes the JVM as a 512 Mi cgroup limit does. It used to die loading the tokenizer's vocabulary (a heap of a
 * quarter of the limit, and the vocabulary loaded twice). Exit 0, every request ok, peak RSS under the limit.
 */
class SmallPodIT {
    private static final Path LAUNCHER = Path.of("tokenbench").toAbsolutePath();
    private static final long LIMIT_KB = 512 * 1024;

    @Test
    void theDemoFinishesUnderA512MiLimitWithTheLaunchersSettings(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        ProcessBuilder pb = new ProcessBuilder(List.of(LAUNCHER.toString(), "run", "--out", out.toString(), "-q",
                "--no-history")).directory(dir.toFile())
                .redirectOutput(dir.resolve("run.out").toFile())
                .redirectError(dir.resolve("run.err").toFile());
        pb.environment().put("TOKENBENCH_JAVA_OPTS", "-XX:MaxRAM=512m");
        Process run = pb.start();
        // The launcher execs java: the same process, whose VmHWM is the JVM's peak RSS.
        Path status = Path.of("/proc", Long.toString(run.pid()), "status");
        long peakKb = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (run.isAlive() && System.nanoTime() < deadline) {
            peakKb = Math.max(peakKb, highWaterMarkKb(status));
            run.waitFor(100, TimeUnit.MILLISECONDS);
        }
        if (run.isAlive()) {
            run.destroyForcibly();
            throw new AssertionError("the demo did not finish within 300 s; " + tail(dir.resolve("run.err")));
        }
        assertEquals(0, run.exitValue(), "the demo finished: " + tail(dir.resolve("run.err"))
                + tail(dir.resolve("run.out")));
        JsonNode runJson = new ObjectMapper().readTree(out.resolve("run.json").toFile());
        assertEquals(3, runJson.path("targets").size(), runJson.path("targets").toString());
        for (JsonNode target : runJson.path("targets")) {
            JsonNode requests = target.path("requests");
            assertTrue(requests.path("measured").asInt() > 0, target.toString());
            assertEquals(requests.path("measured").asInt(), requests.path("ok").asInt(),
                    target.path("name").asText() + ": every request ok");
        }
        if (Files.isReadable(Path.of("/proc/self/status"))) {
            assertTrue(peakKb > 0, "the peak RSS was read");
            assertTrue(peakKb < LIMIT_KB, "peak RSS " + peakKb / 1024 + " MiB, under 512 MiB");
        }
    }

    /** VmHWM in kB, or 0 once the process is gone (or before it is readable). */
    private static long highWaterMarkKb(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            // ended between the check and the read
        }
        return 0;
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    }
}
