package dev.tokenbench.cli;

import dev.tokenbench.report.ReportFixtures;
import dev.tokenbench.run.RunResult;
import dev.tokenbench.store.HistoryStore;
import dev.tokenbench.store.SqliteHistoryStore;
import dev.tokenbench.store.StoredRun;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    /**
     * A history store with four runs of one benchmark from two probes: us-east 50 h and 2 h ago, eu-west 49 h and
     * 1 h ago; in us-east's older run the third target failed throughout.
     */
    private Path historyOfTwoProbes() throws IOException {
        Path data = dir.resolve("data");
        Instant now = Instant.now();
        try (HistoryStore store = SqliteHistoryStore.open(data)) {
            Object[][] runs = {{"us-east", 50, true}, {"eu-west", 49, false}, {"us-east", 2, false},
                    {"eu-west", 1, false}};
            for (Object[] r : runs) {
                String probe = (String) r[0];
                Instant start = now.minus(Duration.ofHours((Integer) r[1]));
                boolean thirdFails = (Boolean) r[2];
                String id = probe + "-" + r[1] + "h";
                RunResult run = ReportFixtures.at(ReportFixtures.run("bedrock", thirdFails), dir.resolve(id), start);
                ReportFixtures.writeRunDirectory(run, ReportFixtures.records("bedrock", thirdFails), true);
                store.save(StoredRun.fromDirectory(run.runDir(), id, probe, probe.equals("us-east") ? "us-east-1"
                        : "eu-west-1"));
            }
        }
        return data;
    }

    @Test
    void historyRunsOfTwoProbesMergePerProbe(QuarkusMainLauncher launcher) throws IOException {
        Path data = historyOfTwoProbes();
        Path out = dir.resolve("by-probe");
        LaunchResult result = launcher.launch("compare", "--data-dir", data.toString(), "--by", "probe", "--out",
                out.toString());
        assertEquals(ExitCodes.OK, result.exitCode(), result.getOutput() + result.getErrorOutput());
        String output = result.getOutput();
        assertTrue(output.contains("comparing 4 runs from history (" + data.resolve("history.db") + "), same-named "
                + "targets merged per probe"), output);
        // The oldest run's baseline leads; each probe's two runs are added together.
        assertTrue(output.lines().anyMatch(l -> l.matches("openai@us-east \\(baseline\\) +40/40 .*")), output);
        assertTrue(output.lines().anyMatch(l -> l.matches("openai@eu-west +40/40 .*")), output);
        assertTrue(output.lines().anyMatch(l -> l.matches("bedrock@us-east +20/40 .*")), output);
        assertTrue(output.lines().anyMatch(l -> l.matches("bedrock@eu-west +40/40 .*")), output);
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("## Headline (vs baseline openai@us-east)"), md);
        assertTrue(md.contains("history run us-east-50h") && md.contains("probe eu-west")
                && md.contains("region eu-west-1"), md);
    }

    /** The same target against itself across days: azure on Tuesday vs azure on Monday, per target. */
    @Test
    void byTargetComparesEachTargetWithItselfAcrossTheRuns(QuarkusMainLauncher launcher) throws IOException {
        Path data = historyOfTwoProbes();
        Path out = dir.resolve("by-target");
        LaunchResult result = launcher.launch("compare", "--data-dir", data.toString(), "--by", "target", "--out",
                out.toString());
        assertEquals(ExitCodes.OK, result.exitCode(), result.getOutput() + result.getErrorOutput());
        String output = result.getOutput();
        assertTrue(output.contains("each target against itself across the runs"), output);
        for (String target : new String[] {"openai", "azure-eastus2", "bedrock"}) {
            assertTrue(output.contains(target + " across 4 runs (baseline " + target + "@us-east-50h)"), output);
            assertTrue(Files.isRegularFile(out.resolve(target).resolve("report.html")), target);
            String md = Files.readString(out.resolve(target).resolve("report.md"));
            assertTrue(md.contains("## Headline (vs baseline " + target + "@us-east-50h)"), md);
            assertFalse(md.contains("openai@") && !target.equals("openai"), "only " + target + " in its report");
        }
        // The oldest run's bedrock failed throughout; the later ones did not.
        assertTrue(output.lines().anyMatch(l -> l.matches("bedrock@us-east-50h \\(baseline\\) +0/20 .*")), output);
        assertTrue(output.lines().anyMatch(l -> l.matches("bedrock@eu-west-1h +20/20 .*")), output);
        assertTrue(output.contains("openai@eu-west-1h is "), "a verdict against the oldest run: " + output);
        String all = Files.readString(out.resolve("report.md"));
        assertTrue(all.contains("vs baseline openai@us-east-50h") && all.contains("vs baseline bedrock@us-east-50h"));

        LaunchResult chosen = launcher.launch("compare", "--data-dir", data.toString(), "--by", "target",
                "--baseline", "eu-west-1h", "--out", dir.resolve("by-target-2").toString());
        assertEquals(ExitCodes.OK, chosen.exitCode(), chosen.getOutput() + chosen.getErrorOutput());
        assertTrue(chosen.getOutput().lines().anyMatch(l -> l.matches("openai@eu-west-1h \\(baseline\\) .*")),
                chosen.getOutput());

        LaunchResult wrong = launcher.launch("compare", "--data-dir", data.toString(), "--by", "target",
                "--baseline", "tuesday", "--out", dir.resolve("by-target-3").toString());
        assertEquals(ExitCodes.BAD_INPUT, wrong.exitCode());
        assertTrue(wrong.getErrorOutput().contains("--baseline tuesday names no run: with --by target it names the "
                + "run the others are compared with, one of: us-east-50h, eu-west-49h, us-east-2h, eu-west-1h"),
                wrong.getErrorOutput());
    }

    @Test
    void byRegionAddsSameNamedTargetsPerRegion(QuarkusMainLauncher launcher) throws IOException {
        Path data = historyOfTwoProbes();
        LaunchResult result = launcher.launch("compare", "--data-dir", data.toString(), "--by", "region", "--out",
                dir.resolve("by-region").toString());
        assertEquals(ExitCodes.OK, result.exitCode(), result.getOutput() + result.getErrorOutput());
        assertTrue(result.getOutput().contains("same-named targets merged per region"), result.getOutput());
        assertTrue(result.getOutput().lines().anyMatch(l -> l.matches("openai@us-east-1 \\(baseline\\) +40/40 .*")),
                result.getOutput());
        assertTrue(result.getOutput().lines().anyMatch(l -> l.matches("bedrock@us-east-1 +20/40 .*")),
                result.getOutput());
    }

    @Test
    void historyFiltersPickTheRuns(QuarkusMainLauncher launcher) throws IOException {
        Path data = historyOfTwoProbes();
        LaunchResult recent = launcher.launch("compare", "--history", "--data-dir", data.toString(), "--benchmark",
                "azure-vs-openai", "--since", "24h", "--merge", "--out", dir.resolve("recent").toString());
        assertEquals(ExitCodes.OK, recent.exitCode(), recent.getOutput() + recent.getErrorOutput());
        assertTrue(recent.getOutput().contains("comparing 2 runs from history"), recent.getOutput());
        assertTrue(recent.getOutput().lines().anyMatch(l -> l.matches("openai \\(baseline\\) +40/40 .*")),
                recent.getOutput());

        LaunchResult oneProbe = launcher.launch("compare", "--data-dir", data.toString(), "--probe", "eu-west",
                "--limit", "1", "--out", dir.resolve("one").toString());
        assertEquals(ExitCodes.OK, oneProbe.exitCode(), oneProbe.getErrorOutput());
        assertTrue(oneProbe.getOutput().contains("comparing 1 run from history"), oneProbe.getOutput());
        assertTrue(oneProbe.getOutput().lines().anyMatch(l -> l.matches("openai \\(baseline\\) +20/20 .*")),
                oneProbe.getOutput());
    }

    @Test
    void badHistoryFiltersAndEmptyMatchesAreBadInput(QuarkusMainLauncher launcher) throws IOException {
        Path data = historyOfTwoProbes();
        String[][] cases = {
                {"no run in the history store (embedded (SQLite ", "--data-dir", data.toString(), "--benchmark", "nope"},
                {"--since: since must be an ISO-8601 instant", "--data-dir", data.toString(), "--since", "yesterday"},
                {"--limit must be between 1 and 1000", "--data-dir", data.toString(), "--limit", "0"},
                {"--by must be run, probe, region, target or all, found 'weekday'", "--data-dir", data.toString(),
                        "--by", "weekday"},
                {"no history store at " + dir.resolve("elsewhere").resolve("history.db"), "--history", "--data-dir",
                        dir.resolve("elsewhere").toString()},
                {"--server and --history", "--history", "--server", "http://127.0.0.1:9"},
                {"--token-file is the token for --server", "--history", "--token-file", "t.txt"}};
        for (String[] c : cases) {
            String[] args = new String[c.length];
            args[0] = "compare";
            System.arraycopy(c, 1, args, 1, c.length - 1);
            LaunchResult result = launcher.launch(args);
            assertEquals(ExitCodes.BAD_INPUT, result.exitCode(), String.join(" ", args));
            assertTrue(result.getErrorOutput().contains(c[0]), c[0] + " in: " + result.getErrorOutput());
        }
        assertFalse(Files.exists(dir.resolve("elsewhere").resolve("history.db")), "reading creates no store");
    }
}
