package dev.tokenbench.report;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.run.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parts of report.html that depend on more than the run: its siblings, its origin, its config. */
class HtmlReportHistoryTest {
    @TempDir
    Path runs;

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void earlierRunsOfTheSameBenchmarkBesideThisOneBecomeHistory() throws Exception {
        RunResult base = ReportFixtures.standard();
        Instant day = Instant.parse("2025-05-01T10:00:00Z");
        for (int i = 1; i <= 3; i++) {
            RunResult earlier = ReportFixtures.at(base, runs.resolve("earlier-" + i), day.minusSeconds(86_400L * i));
            ReportFixtures.writeRunDirectory(earlier, ReportFixtures.records(ReportFixtures.HOSTILE, true), false);
        }
        // Another benchmark's run, and a later one, in the same parent: neither is this run's history.
        RunResult other = RunResult.builder()
                .runId("other")
                .plan(renamed(base.plan(), "something-else"))
                .runDir(runs.resolve("other"))
                .startedAt(day.minusSeconds(3600))
                .endedAt(day)
                .status(RunResult.DONE)
                .wallSeconds(1)
                .clientCpuSeconds(1)
                .targets(base.targets())
                .build();
        ReportFixtures.writeRunDirectory(other, ReportFixtures.records(ReportFixtures.HOSTILE, true), false);
        ReportFixtures.writeRunDirectory(ReportFixtures.at(base, runs.resolve("later"), day.plusSeconds(60)),
                ReportFixtures.records(ReportFixtures.HOSTILE, true), false);
        Files.createDirectories(runs.resolve("not-a-run"));

        String html = HtmlReport.render(ReportFixtures.at(base, runs.resolve("current"), day));
        assertTrue(html.contains("aria-label=\"mean TTFT (ms) over the last 4 runs\""), "history of TTFT");
        assertTrue(html.contains("aria-label=\"worst-10% stream TPS (tok/s) over the last 4 runs\""));
        assertTrue(html.contains("4 runs of this benchmark from the run directories beside this one"));
        assertEquals(6, count(html, "<svg"), "4 run charts + 2 history charts");
        String ttftHistory = html.substring(html.indexOf("over the last 4 runs"));
        ttftHistory = ttftHistory.substring(0, ttftHistory.indexOf("</svg>"));
        // The two targets with a TTFT have a line of 4 points each; the all-failed one has none.
        assertEquals(8, count(ttftHistory, "<circle"), ttftHistory);
        assertTrue(ttftHistory.contains("(this run)"));
    }

    @Test
    void withoutEarlierRunsTheHistorySaysSo() {
        String html = HtmlReport.render(ReportFixtures.at(ReportFixtures.standard(), runs.resolve("only"),
                Instant.parse("2025-05-01T10:00:00Z")));
        assertTrue(html.contains("No earlier run of azure-vs-openai beside this one in " + runs), html);
    }

    @Test
    void contextCarriesVersionProbeAndTheRedactedConfig() {
        RunResult base = ReportFixtures.standard();
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.put("name", "azure-vs-openai");
        config.putArray("targets").addObject().put("name", "openai").put("api-key", "***");
        RunPlan p = base.plan();
        RunPlan withConfig = RunPlan.builder()
                .name(p.name())
                .sourceFile(p.sourceFile())
                .targets(p.targets())
                .prompts(p.prompts())
                .load(p.load())
                .maxOutputTokens(p.maxOutputTokens())
                .slo(p.slo())
                .baseline(p.baseline())
                .simulator(p.simulator())
                .redactedConfig(config)
                .build();
        RunResult run = RunResult.builder()
                .runId(base.runId())
                .plan(withConfig)
                .runDir(base.runDir())
                .startedAt(base.startedAt())
                .endedAt(base.endedAt())
                .status(base.status())
                .wallSeconds(base.wallSeconds())
                .clientCpuSeconds(base.clientCpuSeconds())
                .targets(base.targets())
                .build();
        String html = HtmlReport.render(run, new RunOrigin("1.2.3", "probe-eu-west"));
        assertTrue(html.contains("<dt>tokenbench version</dt><dd>1.2.3</dd>"));
        assertTrue(html.contains("<dt>Probe</dt><dd>probe-eu-west</dd>"));
        assertTrue(html.contains("<summary>Benchmark config (secrets redacted)</summary>"));
        assertTrue(html.contains("&quot;api-key&quot; : &quot;***&quot;"), "config shown, escaped");
        String md = MarkdownReport.render(run, new RunOrigin("1.2.3", "probe-eu-west"));
        assertTrue(md.contains("- **tokenbench version:** 1.2.3"), md);
        assertTrue(md.contains("\"api-key\" : \"***\""), md);
        assertFalse(HtmlReport.render(base).contains("Benchmark config"), "no config, no section");
    }

    private static RunPlan renamed(RunPlan p, String name) {
        return RunPlan.builder()
                .name(name)
                .sourceFile(p.sourceFile())
                .targets(p.targets())
                .prompts(p.prompts())
                .load(p.load())
                .maxOutputTokens(p.maxOutputTokens())
                .slo(p.slo())
                .baseline(p.baseline())
                .simulator(p.simulator())
                .redactedConfig(p.redactedConfig())
                .build();
    }
}
