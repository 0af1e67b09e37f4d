package dev.tokenbench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged CLI, run against its built-in simulator inside a CPU cgroup made for the test (cgroup v1 or v2,
 * under this process's own cgroup): with a quota of a quarter of a core its run.json's {@code client} block reports
 * the throttling and a verdict that is not good; with no quota and a large CPU weight (so that the other processes
 * of a shared 2-core host do not starve it) the same run is judged good. Skipped with a message where cgroups
 * cannot be made (not root, no cpu controller, a v2 parent that cannot delegate cpu). The cgroups are removed.
 */
@Timeout(600)
class ClientHealthIT {
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BENCHMARK = """
            name: client-health
            targets:
              - {name: sim, api: openai-chat, base-url: 'sim://steady/v1', model: m1}
            prompts: {synthetic: {count: 4, input-tokens: 40, output-tokens: 120}}
            load: {mode: closed, concurrency: 4, requests: 40, warmup: 2, timeout: 60s, stall-timeout: 30s}
            simulator:
              scenarios:
                steady: {ttft: 30ms, tokens-per-second: 400}
            """;

    @Test
    void aQuotaThatThrottlesTheClientIsReportedAndAGenerousCgroupIsGood(@TempDir Path dir) throws Exception {
        CgroupCpu own = CgroupCpu.find();
        Assumptions.assumeTrue(own != null, "skipped: this process is in no cgroup with a cpu controller");
        Path benchmark = dir.resolve("health.yaml");
        Files.writeString(benchmark, BENCHMARK);

        Path throttled = own.dir().resolve("tokenbench-throttled-" + ProcessHandle.current().pid());
        Path generous = own.dir().resolve("tokenbench-generous-" + ProcessHandle.current().pid());
        try {
            String why = make(own.version(), throttled, true);
            Assumptions.assumeTrue(why == null, () -> "skipped: cannot make a CPU cgroup here (" + why + ")");
            String whyGenerous = make(own.version(), generous, false);
            Assumptions.assumeTrue(whyGenerous == null, () -> "skipped: cannot make a CPU cgroup (" + whyGenerous + ")");

            JsonNode slow = run(dir, benchmark, throttled, "throttled");
            JsonNode client = slow.path("client");
            System.out.println("ClientHealthIT throttled (quota 0.25 cores): " + client);
            assertTrue(client.path("cpu_throttled_ms").asDouble() > 0, client.toString());
            assertEquals(0.25, client.path("cores_available").asDouble(), 1e-9, "the quota, read from inside");
            assertNotEquals("good", client.path("verdict").asText(), client.toString());
            assertTrue(client.path("reasons").toString().contains("throttled by its cgroup"), client.toString());

            JsonNode clean = run(dir, benchmark, generous, "generous");
            JsonNode cleanClient = clean.path("client");
            System.out.println("ClientHealthIT generous (no quota, high weight): " + cleanClient);
            assertEquals(0.0, cleanClient.path("cpu_throttled_ms").asDouble(), cleanClient.toString());
            assertEquals("good", cleanClient.path("verdict").asText(), cleanClient.toString());
            assertEquals(0, cleanClient.path("reasons").size(), cleanClient.toString());
        } finally {
            remove(throttled);
            remove(generous);
        }
    }

    /** Makes the cgroup: a quarter-core quota, or none and a large weight. Null when made, else why not. */
    private static String make(int version, Path cgroup, boolean quota) {
        try {
            if (version == 2) {
                Path parentControl = cgroup.getParent().resolve("cgroup.subtree_control");
                if (!Files.readString(parentControl).contains("cpu")) {
                    Files.writeString(parentControl, "+cpu");
                }
            }
            Files.createDirectory(cgroup);
            if (version == 2) {
                Files.writeString(cgroup.resolve("cpu.max"), quota ? "25000 100000" : "max 100000");
                if (!quota) {
                    Files.writeString(cgroup.resolve("cpu.weight"), "10000");
                }
            } else if (quota) {
                Files.writeString(cgroup.resolve("cpu.cfs_period_us"), "100000");
                Files.writeString(cgroup.resolve("cpu.cfs_quota_us"), "25000");
            } else {
                Files.writeString(cgroup.resolve("cpu.shares"), "262144");
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** Runs the CLI in the cgroup (a shell puts itself in, then becomes java) and reads its run.json. */
    private static JsonNode run(Path dir, Path benchmark, Path cgroup, String name) throws Exception {
        Path out = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$0\" && exec \"$@\"",
                cgroup.resolve("cgroup.procs").toString()));
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar",
                JAR.toString(), "run", benchmark.toString(), "-q", "--no-history", "--out", out.toString()));
        Path log = dir.resolve(name + ".log");
        Process process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(240, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(name + " run did not finish within 240 s:\n" + Files.readString(log));
        }
        assertEquals(0, process.exitValue(), Files.readString(log));
        return JSON.readTree(out.resolve("run.json").toFile());
    }

    private static void remove(Path cgroup) {
        try {
            Files.deleteIfExists(cgroup);
        } catch (IOException e) {
            System.out.println("ClientHealthIT: could not remove " + cgroup + ": " + e.getMessage());
        }
    }
}
