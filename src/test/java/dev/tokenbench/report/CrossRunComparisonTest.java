package dev.tokenbench.report;

import dev.tokenbench.measure.HeadlineComparison;
import dev.tokenbench.measure.Metric;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.Significance;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.run.RunJson;
import dev.tokenbench.run.RunResult;
import dev.tokenbench.run.SavedRun;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrossRunComparisonTest {
    private static final String THIRD = "bedrock";

    @TempDir
    Path dir;

    /** Two saved runs of the same benchmark: in "a" the third target fails throughout, in "b" it succeeds. */
    private List<SavedRun> twoRuns(boolean withRequests) throws Exception {
        RunResult a = ReportFixtures.at(ReportFixtures.run(THIRD, true), dir.resolve("runs/a"),
                Instant.parse("2025-05-01T10:00:00Z"));
        RunResult b = ReportFixtures.at(ReportFixtures.run(THIRD, false), dir.resolve("runs/b"),
                Instant.parse("2025-05-02T10:00:00Z"));
        ReportFixtures.writeRunDirectory(a, ReportFixtures.records(THIRD, true), withRequests);
        ReportFixtures.writeRunDirectory(b, ReportFixtures.records(THIRD, false), withRequests);
        return List.of(SavedRun.load(a.runDir()), SavedRun.load(b.runDir()));
    }

    @Test
    void collidingNamesArePrefixedWithTheRunAndTheFirstRunsBaselineLeads() throws Exception {
        RunResult combined = CrossRunComparison.of(twoRuns(true), null, false, dir.resolve("out"), "cmp").run();
        assertEquals(List.of("a/openai", "a/azure-eastus2", "a/bedrock", "b/openai", "b/azure-eastus2", "b/bedrock"),
                combined.targets().stream().map(TargetSummary::target).toList());
        assertEquals("a/openai", combined.plan().baseline());
        // Per-request values and times came back from requests.jsonl.
        TargetSummary slow = combined.targets().get(1);
        assertEquals(18, slow.samples().values(Metric.TTFT_MS).length);
        assertNotNull(slow.samples().timeline());
        assertEquals(20, slow.samples().timeline().size());
        List<HeadlineComparison> headline = RunJson.headlineOf(combined);
        assertEquals(5 * HeadlineComparison.FIGURES.size(), headline.size());
        assertEquals(Significance.Kind.SIGNIFICANT, headline.get(0).significance().kind(), headline.get(0).sentence());
    }

    @Test
    void mergedTargetsAddTheirHistogramsExactly() throws Exception {
        List<SavedRun> runs = twoRuns(true);
        RunResult merged = CrossRunComparison.of(runs, "openai", true, dir.resolve("out"), "cmp").run();
        assertEquals(List.of("openai", "azure-eastus2", "bedrock"),
                merged.targets().stream().map(TargetSummary::target).toList());
        TargetSummary third = merged.targets().get(2);
        assertEquals(2 * ReportFixtures.MEASURED, third.requests());
        assertEquals(ReportFixtures.MEASURED, third.ok());
        assertEquals(ReportFixtures.MEASURED, third.outcomes().get("http_5xx"));

        // Differential: the merged histogram equals one recorded from every request of both runs.
        Histogram expected = new Histogram(3);
        for (boolean thirdFails : new boolean[] {true, false}) {
            for (RequestRecord r : ReportFixtures.records(THIRD, thirdFails)) {
                if (!r.warmup() && r.ok() && r.target().equals(ReportFixtures.SLOW)) {
                    expected.recordValue(Math.round(r.ttftMs() * 1000));
                }
            }
        }
        Histogram actual = merged.targets().get(1).histograms().get(Metric.TTFT_MS);
        assertEquals(expected.getTotalCount(), actual.getTotalCount());
        for (double p : new double[] {50, 90, 99, 100}) {
            assertEquals(expected.getValueAtPercentile(p), actual.getValueAtPercentile(p), "p" + p);
        }
        assertEquals(expected.getMean() / 1000, merged.targets().get(1).metric(Metric.TTFT_MS).mean(), 1e-9);
        assertEquals(36, merged.targets().get(1).samples().values(Metric.TTFT_MS).length, "values pooled");
        assertNull(merged.targets().get(1).samples().timeline(), "two runs' clocks cannot share a timeline");
    }

    @Test
    void withoutRequestsJsonlValuesComeFromTheHistograms() throws Exception {
        List<SavedRun> runs = twoRuns(false);
        assertFalse(runs.get(0).fromRequests());
        TargetSummary openai = runs.get(0).targets().get(0).summary();
        assertEquals(ReportFixtures.MEASURED, openai.samples().values(Metric.TTFT_MS).length);
        assertNull(openai.samples().timeline());
        assertTrue(openai.failures().isEmpty(), "openai had no failure");
        assertEquals(2, runs.get(0).targets().get(1).summary().failures().size(), "failures from run.json");
        String html = HtmlReport.renderComparison(
                CrossRunComparison.of(runs, null, false, dir.resolve("out"), "cmp").run(), RunOrigin.UNKNOWN);
        assertTrue(html.contains("No per-request times"), "no timeline without requests.jsonl");
    }

    @Test
    void anUnknownBaselineIsRejectedWithTheNamesThereAre() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CrossRunComparison.of(twoRuns(true), "openai", false, dir.resolve("out"), "cmp"));
        assertTrue(e.getMessage().contains("--baseline openai names no target"), e.getMessage());
        assertTrue(e.getMessage().contains("a/openai, a/azure-eastus2"), e.getMessage());
    }

    @Test
    void theComparisonReportNamesEveryRunAndTarget() throws Exception {
        CrossRunComparison.Result result = CrossRunComparison.of(twoRuns(true), "b/openai", false,
                dir.resolve("out"), "cmp");
        String html = HtmlReport.renderComparison(result.run(), result.origin());
        for (TargetSummary t : result.run().targets()) {
            assertTrue(html.contains(">" + t.target() + "<"), t.target());
        }
        assertTrue(html.contains("<dt>Run a</dt>") && html.contains("<dt>Run b</dt>"), "both runs in the context");
        assertTrue(html.contains("A comparison across runs has no history of its own."));
        assertTrue(html.contains("a/azure-eastus2 is "), "headline against b/openai");
        String md = MarkdownReport.render(result.run(), result.origin());
        assertTrue(md.contains("## Headline (vs baseline b/openai)"), md);
    }

    @Test
    void directoriesThatAreNotRunsSayWhy() throws IOException {
        SavedRun.NotARunException missing = assertThrows(SavedRun.NotARunException.class,
                () -> SavedRun.load(dir.resolve("nowhere")));
        assertTrue(missing.getMessage().endsWith("nowhere: no such directory"), missing.getMessage());

        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertTrue(assertThrows(SavedRun.NotARunException.class, () -> SavedRun.load(empty)).getMessage()
                .contains("has no run.json"));

        Path broken = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(broken.resolve("run.json"), "{\"schema_version\": 1,\n \"name\": ");
        assertTrue(assertThrows(SavedRun.NotARunException.class, () -> SavedRun.load(broken)).getMessage()
                .contains("run.json: not valid JSON (line 2)"));

        Path future = Files.createDirectories(dir.resolve("future"));
        Files.writeString(future.resolve("run.json"), "{\"schema_version\": 9, \"name\": \"x\"}");
        assertTrue(assertThrows(SavedRun.NotARunException.class, () -> SavedRun.load(future)).getMessage()
                .contains("schema_version 9 is not 1"));
    }

    /** A run as the history store or a service gives it: run.json's text and the records' lines. */
    private static SavedRun stored(String id, String probe, boolean thirdFails, boolean withRecords)
            throws Exception {
        RunResult run = ReportFixtures.run(THIRD, thirdFails);
        List<String> lines = new java.util.ArrayList<>();
        if (withRecords) {
            for (RequestRecord r : ReportFixtures.records(THIRD, thirdFails)) {
                java.io.StringWriter w = new java.io.StringWriter();
                try (var g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(w)) {
                    dev.tokenbench.run.RequestRecordJson.write(g, r);
                }
                lines.add(w.toString());
            }
        }
        return SavedRun.stored(id, "history", RunJson.toJson(run, "test").toString(), lines, probe, "");
    }

    @Test
    void byProbeAddsSameNamedTargetsPerProbeExactly() throws Exception {
        // us-east: one run with records, one from run.json alone; eu-west: one run. The histograms add up either way.
        List<SavedRun> runs = List.of(stored("r1", "us-east", true, true), stored("r2", "eu-west", false, true),
                stored("r3", "us-east", false, false));
        assertTrue(runs.get(0).fromRequests());
        assertFalse(runs.get(2).fromRequests());
        RunResult byProbe = CrossRunComparison.of(runs, null, CrossRunComparison.Grouping.PROBE, dir.resolve("out"),
                "cmp").run();
        assertEquals(List.of("openai@us-east", "azure-eastus2@us-east", "bedrock@us-east", "openai@eu-west",
                "azure-eastus2@eu-west", "bedrock@eu-west"),
                byProbe.targets().stream().map(TargetSummary::target).toList());
        assertEquals("openai@us-east", byProbe.plan().baseline());
        TargetSummary thirdUs = byProbe.targets().get(2);
        assertEquals(2 * ReportFixtures.MEASURED, thirdUs.requests());
        assertEquals(ReportFixtures.MEASURED, thirdUs.ok(), "one us-east run's third target failed throughout");
        assertEquals(ReportFixtures.MEASURED, byProbe.targets().get(5).requests());

        Histogram expected = new Histogram(3);
        for (int run = 0; run < 2; run++) {
            for (RequestRecord r : ReportFixtures.records(THIRD, run == 0)) {
                if (!r.warmup() && r.ok() && r.target().equals(ReportFixtures.SLOW)) {
                    expected.recordValue(Math.round(r.ttftMs() * 1000));
                }
            }
        }
        Histogram actual = byProbe.targets().get(1).histograms().get(Metric.TTFT_MS);
        assertEquals(expected.getTotalCount(), actual.getTotalCount());
        for (double p : new double[] {50, 90, 99, 100}) {
            assertEquals(expected.getValueAtPercentile(p), actual.getValueAtPercentile(p), "p" + p);
        }
    }

    @Test
    void aStoredRunThatIsNotARunSaysWhich() {
        SavedRun.NotARunException e = assertThrows(SavedRun.NotARunException.class,
                () -> SavedRun.stored("x1", "history", "{\"schema_version\": 1, \"name\": \"n\"}", List.of(),
                        null, ""));
        assertTrue(e.getMessage().contains("history run x1: run.json: field started_at is missing"),
                e.getMessage());
    }
}
