package dev.tokenbench.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * scripts/java-options.sh, the JVM options of the launcher and of the JVM image: a small pod gets G1 with half its
 * memory as heap and capped direct memory, a big one ZGC, and TOKENBENCH_JAVA_OPTS always has the last word. Run
 * with /bin/sh, as the image runs it (it has no bash).
 */
class JvmOptionsTest {
    private static final Path SCRIPT = Path.of("scripts/java-options.sh");

    @Test
    void aSmallPodGetsG1HalfTheMemoryAsHeapAndCappedDirectMemory() throws Exception {
        List<String> options = options("-XX:MaxRAM=512m");
        assertTrue(options.contains("-XX:+UseG1GC"), options.toString());
        assertTrue(options.contains("-XX:MaxRAMPercentage=50"), options.toString());
        assertTrue(options.contains("-XX:MaxDirectMemorySize=64m"), options.toString());
        assertFalse(options.contains("-XX:+UseZGC"), options.toString());
        assertEquals("-XX:MaxRAM=512m", options.get(options.size() - 1), "the user's options come last");
        assertTrue(options("-XX:MaxRAM=1048575k").contains("-XX:+UseG1GC"), "k units: just under 1 GiB");
        assertTrue(options("-XX:MaxRAM=805306368").contains("-XX:+UseG1GC"), "bytes: 768 MiB");
    }

    @Test
    void aBigOneGetsZgcWithTheJvmsOwnHeapShare() throws Exception {
        List<String> options = options("-XX:MaxRAM=2g");
        assertTrue(options.contains("-XX:+UseZGC"), options.toString());
        assertFalse(options.stream().anyMatch(o -> o.startsWith("-XX:MaxRAMPercentage")), options.toString());
    }

    @Test
    void aCollectorTheUserNamesReplacesOurs() throws Exception {
        List<String> options = options("-XX:MaxRAM=512m -XX:+UseSerialGC");
        assertFalse(options.contains("-XX:+UseG1GC"), "the JVM refuses two collectors: " + options);
        assertTrue(options.contains("-XX:+UseSerialGC"), options.toString());
        assertTrue(options.contains("-XX:MaxRAMPercentage=50"), "the sizes stay: " + options);
    }

    @Test
    void theLauncherAndTheJvmImageBothUseTheScript() throws IOException {
        String launcher = Files.readString(Path.of("tokenbench"));
        assertTrue(launcher.contains("scripts/java-options.sh") && launcher.contains("$(tokenbench_java_options)"),
                "./tokenbench takes its JVM options from the script");
        String dockerfile = Files.readString(Path.of("Dockerfile.jvm"));
        assertTrue(dockerfile.contains("COPY scripts/java-options.sh /usr/local/lib/tokenbench/java-options.sh"),
                "the JVM image holds the script");
        assertTrue(dockerfile.contains("'. /usr/local/lib/tokenbench/java-options.sh'")
                && dockerfile.contains("$(tokenbench_java_options)"), "its entrypoint uses it");
        assertFalse(dockerfile.contains("-XX:+UseZGC"), "no collector fixed in the image: the script picks it");
    }

    private static List<String> options(String userOptions) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", ". " + SCRIPT + "; tokenbench_java_options")
                .redirectErrorStream(true);
        pb.environment().put("TOKENBENCH_JAVA_OPTS", userOptions);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the script ends");
        assertEquals(0, p.exitValue(), out);
        return List.of(out.strip().split("\\s+"));
    }
}
