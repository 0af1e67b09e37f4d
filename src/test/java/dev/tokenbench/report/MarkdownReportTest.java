package dev.tokenbench.report;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.measure.HeadlineComparison;
import dev.tokenbench.run.RunJson;
import dev.tokenbench.run.RunResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarkdownReportTest {

    private final RunResult run = ReportFixtures.standard();
    private final String md = MarkdownReport.render(run);

    private List<String> tableLines() {
        return ReportFixtures.block(md, "| target |");
    }

    /** Cells of a GFM table line, splitting only at unescaped pipes. */
    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        for (int i = 1; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '\\' && i + 1 < line.length()) {
                cell.append(ch).append(line.charAt(++i));
            } else if (ch == '|') {
                cells.add(cell.toString().strip());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        return cells;
    }

    @Test
    void summaryTableHasAHeaderADelimiterAndOneRowPerTarget() {
        List<String> lines = tableLines();
        assertEquals(2 + run.targets().size(), lines.size(), md);
        for (String line : lines) {
            assertTrue(line.startsWith("|") && line.endsWith("|"), line);
            assertEquals(SummaryTable.COLUMNS.size(), cells(line).size(), "cells of " + line);
        }
        assertTrue(lines.get(1).matches("\\|( :?---:? \\|)+"), lines.get(1));
        assertEquals("stream TPS mean", cells(lines.get(0)).get(3));
        assertEquals("TTFT (ms) worst-10%", cells(lines.get(0)).get(6));
        assertEquals("openai (baseline)", cells(lines.get(2)).get(0));
        assertEquals("azure-eastus2", cells(lines.get(3)).get(0));
    }

    @Test
    void hostileTargetNameIsEscaped() {
        assertFalse(md.contains("<script>"), md);
        assertFalse(md.contains("</script>"), md);
        String escaped = "&lt;script>alert(1)&lt;/script> \\| x & y";
        assertTrue(md.contains(escaped), md);
        assertEquals(escaped, cells(tableLines().get(4)).get(0));
    }

    @Test
    void missingFiguresShowAsDash() {
        List<String> row = cells(tableLines().get(4));
        assertEquals(Formats.MISSING, row.get(3), "stream TPS mean of a target with no success");
        assertEquals(Formats.MISSING, row.get(6), "worst-10% TTFT of a target with no success");
        assertEquals("0/20", row.get(1));
        assertFalse(md.contains("NaN"), md);
    }

    @Test
    void headlineListsEveryComparisonAgainstTheBaseline() {
        assertTrue(md.contains("## Headline (vs baseline openai), figure by figure"), md);
        List<HeadlineComparison> comparisons = RunJson.headlineOf(run);
        assertFalse(comparisons.isEmpty());
        for (HeadlineComparison h : comparisons) {
            assertTrue(md.contains("- " + MarkdownReport.escape(h.sentence()) + "\n"), h.sentence());
        }
        assertTrue(md.contains("- azure-eastus2 is "), md);
        assertTrue(md.indexOf("## At a glance") < md.indexOf("## Headline"));
        assertTrue(md.contains("\n**azure-eastus2 (10% of its requests failed: 429 ×1, timeout ×1; the figures are of the "
                + "rest):**\n\n- azure-eastus2 "), md);
    }

    @Test
    void runContextDescribesTheRun() {
        assertTrue(md.startsWith("# tokenbench: azure-vs-openai\n"), md);
        assertTrue(md.contains("- **Benchmark:** azure-vs-openai (bench/azure-vs-openai.yaml)"), md);
        assertTrue(md.contains("- **Prompts:** azure-bench (seeds/azure-bench.yaml, 1 prompt)"), md);
        assertTrue(md.contains("- **Load:** closed loop, concurrency 4, 20 measured requests per target after 1 warm-up;"
                + " timeout 1m, stall timeout 15s"), md);
        assertTrue(md.contains("- **Started:** 2025-05-01 10:00:00 UTC"), md);
        assertTrue(md.contains("- **Ended:** 2025-05-01 10:00:42 UTC"), md);
        assertTrue(md.contains("- **Status:** done"), md);
        assertFalse(md.contains("Warning"), md);
    }

    @Test
    void interruptedRunCarriesAWarning() {
        assertTrue(MarkdownReport.render(withStatus(RunResult.INTERRUPTED)).contains("> **Warning:** the run was interrupted"));
    }

    @Test
    void anUnknownStatusFromARunJsonIsEscapedInTheWarning() {
        String text = MarkdownReport.render(withStatus("we<i>rd"));
        assertTrue(text.contains("> **Warning:** the run ended with status we&lt;i>rd."), text);
        assertFalse(text.contains("<i>"), text);
    }

    @Test
    void escapeNeutralisesMarkdownAndHtml() {
        assertEquals("a\\|b \\*c\\* \\_d\\_ \\[e\\](f) &lt;i> & \\`g\\` h i",
                MarkdownReport.escape("a|b *c* _d_ [e](f) <i> & `g` h\ni"));
        assertEquals("p < 0.001, 2 < 3 & 4 > 1, a&amp;b, &amp;\\#60;, &lt;/x &lt;\\!-- &lt;?",
                MarkdownReport.escape("p < 0.001, 2 < 3 & 4 > 1, a&b, &#60;, </x <!-- <?"),
                "only what could open markup is an entity: the source reads as written");
    }

    /** The standard run, ended with this status. */
    private RunResult withStatus(String status) {
        return RunResult.builder()
                .runId(run.runId())
                .plan(run.plan())
                .runDir(run.runDir())
                .startedAt(run.startedAt())
                .endedAt(run.endedAt())
                .status(status)
                .wallSeconds(run.wallSeconds())
                .clientCpuSeconds(run.clientCpuSeconds())
                .targets(run.targets())
                .build();
    }

    /** The standard run under another name and baseline, with this config as loaded. */
    private RunResult withPlan(String name, String baseline, ObjectNode config) {
        RunPlan p = run.plan();
        RunPlan plan = RunPlan.builder()
                .name(name)
                .sourceFile(p.sourceFile())
                .targets(p.targets())
                .prompts(p.prompts())
                .load(p.load())
                .maxOutputTokens(p.maxOutputTokens())
                .slo(p.slo())
                .baseline(baseline)
                .simulator(p.simulator())
                .redactedConfig(config)
                .build();
        return RunResult.builder()
                .runId(run.runId())
                .plan(plan)
                .runDir(run.runDir())
                .startedAt(run.startedAt())
                .endedAt(run.endedAt())
                .status(run.status())
                .wallSeconds(run.wallSeconds())
                .clientCpuSeconds(run.clientCpuSeconds())
                .targets(run.targets())
                .build();
    }

    @Test
    void aFailedRunSaysItsFiguresAreEmpty() {
        String text = MarkdownReport.render(withStatus(RunResult.FAILED));
        assertTrue(text.contains("status **failed** · started 2025-05-01 10:00:00 UTC\n\n> **Warning:** no measured "
                + "request of any target succeeded; the figures below are empty.\n\n## At a glance"), text);
    }

    @Test
    void withoutABaselineThereIsNoHeadlineAndTheReportEndsWithTheContext() {
        String text = MarkdownReport.render(withPlan(run.plan().name(), null, run.plan().redactedConfig()));
        assertFalse(text.contains("## Headline"), text);
        assertFalse(text.contains("Mann-Whitney"), text);
        assertTrue(text.contains("· started 2025-05-01 10:00:00 UTC\n\n## At a glance\n\n| target |"), text);
        assertTrue(text.contains("- **Baseline:** none\n"), text);
        assertTrue(text.endsWith("- **Status:** done\n"), "no config, nothing after the context: " + text);
    }

    @Test
    void theConfigIsShownAsWrittenInAFenceLongerThanAnyBacktickRunInIt() {
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.put("name", "x ```` <b>y</b> | z");
        config.put("api-key", "***");
        String text = MarkdownReport.render(withPlan("a|b_*c*", run.plan().baseline(), config));
        String block = "\n\n<details><summary>Benchmark config (secrets redacted)</summary>\n\n`````json\n"
                + config.toPrettyString() + "\n`````\n\n</details>\n";
        assertTrue(text.endsWith(block), text);
        assertTrue(text.contains("\"name\" : \"x ```` <b>y</b> | z\""), "inside the fence nothing is escaped");
        assertTrue(text.startsWith("# tokenbench: a\\|b\\_\\*c\\*\n"), text);
        assertTrue(text.contains("- **Benchmark:** a\\|b\\_\\*c\\* (bench/azure-vs-openai.yaml)\n"), text);
    }
}
