package dev.tokenbench.cli;

import dev.tokenbench.report.ReportFixtures;
import dev.tokenbench.run.RunResult;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusMainTest
class CompareCommandTest {
    @TempDir
    Path dir;

    private Path savedRun(String name, Instant start) throws IOException {
        RunResult run = ReportFixtures.at(ReportFixtures.run("bedrock", false), dir.resolve(name), start);
        ReportFixtures.writeRunDirectory(run, ReportFixtures.records("bedrock", false), true);
        return run.runDir();
    }

    @Test
    void comparesTwoRunsAndWritesBothReports(QuarkusMainLauncher launcher) throws IOException {
        Path eu = savedRun("eu", Instant.parse("2025-05-01T10:00:00Z"));
        Path us = savedRun("us", Instant.parse("2025-05-01T11:00:00Z"));
        Path out = dir.resolve("cmp");
        LaunchResult result = launcher.launch("compare", eu.toString(), us.toString(), "--baseline", "us/openai",
                "--out", out.toString());
        assertEquals(ExitCodes.OK, result.exitCode(), result.getOutput() + result.getErrorOutput());
        String html = Files.readString(out.resolve("report.html"));
        for (String target : new String[] {"eu/openai", "eu/azure-eastus2", "eu/bedrock", "us/openai",
                "us/azure-eastus2", "us/bedrock"}) {
            assertTrue(html.contains(target), target);
            assertTrue(result.getOutput().contains(target), target);
        }
        assertTrue(Files.readString(out.resolve("report.md")).contains("## Headline (vs baseline us/openai)"));
        assertTrue(result.getOutput().contains("eu/azure-eastus2 is "), result.getOutput());
    }

    @Test
    void mergeAddsSameNamedTargets(QuarkusMainLauncher launcher) throws IOException {
        Path a = savedRun("a", Instant.parse("2025-05-01T10:00:00Z"));
        Path b = savedRun("b", Instant.parse("2025-05-02T10:00:00Z"));
        LaunchResult result = launcher.launch("compare", a.toString(), b.toString(), "--merge", "--out",
                dir.resolve("merged").toString());
        assertEquals(ExitCodes.OK, result.exitCode(), result.getErrorOutput());
        assertTrue(result.getOutput().lines().anyMatch(l -> l.matches("openai \\(baseline\\) +40/40 .*")),
                result.getOutput());
    }

    @Test
    void aMissingDirectoryOrOneWithoutRunJsonIsBadInput(QuarkusMainLauncher launcher) throws IOException {
        Path good = savedRun("good", Instant.parse("2025-05-01T10:00:00Z"));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        LaunchResult result = launcher.launch("compare", good.toString(), dir.resolve("gone").toString(),
                empty.toString(), "--out", dir.resolve("never").toString());
        assertEquals(ExitCodes.BAD_INPUT, result.exitCode());
        String err = result.getErrorOutput();
        assertTrue(err.contains("gone: no such directory"), err);
        assertTrue(err.contains("empty has no run.json"), err);
        assertFalse(Files.exists(dir.resolve("never")), "nothing written");
    }

    @Test
    void anUnknownBaselineIsBadInput(QuarkusMainLauncher launcher) throws IOException {
        Path good = savedRun("good", Instant.parse("2025-05-01T10:00:00Z"));
        LaunchResult result = launcher.launch("compare", good.toString(), "--baseline", "nope");
        assertEquals(ExitCodes.BAD_INPUT, result.exitCode());
        assertTrue(result.getErrorOutput().contains("--baseline nope names no target of these runs; the targets are: "
                + "openai, azure-eastus2, bedrock"), result.getErrorOutput());
    }

    @Test
    void noRunDirectoryIsAUsageError(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("compare");
        assertEquals(ExitCodes.BAD_INPUT, result.exitCode());
        assertTrue(result.getErrorOutput().contains("RUN_DIR"), result.getErrorOutput());
    }
}
