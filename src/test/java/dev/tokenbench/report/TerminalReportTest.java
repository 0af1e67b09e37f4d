package dev.tokenbench.report;

import dev.tokenbench.measure.HeadlineComparison;
import dev.tokenbench.measure.Metric;
import dev.tokenbench.measure.TargetAggregate;
import dev.tokenbench.run.RunJson;
import dev.tokenbench.run.RunResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TerminalReportTest {

    private final RunResult run = ReportFixtures.standard();
    private final String table = TerminalReport.table(run);

    private List<String> tableLines() {
        // From the column headings to the last target row.
        return ReportFixtures.block(table, "ok/total");
    }

    private String rowOf(String target) {
        return tableLines().stream().filter(l -> l.startsWith(target)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + target + " in\n" + table));
    }

    @Test
    void everyTargetHasARowInPlanOrder() {
        List<String> lines = tableLines();
        assertEquals(1 + 3, lines.size(), table);
        assertTrue(lines.get(1).startsWith(ReportFixtures.BASELINE + " (baseline)"), table);
        assertTrue(lines.get(2).startsWith(ReportFixtures.SLOW), table);
        assertTrue(lines.get(3).startsWith(ReportFixtures.HOSTILE), table);
    }

    @Test
    void columnsAreFixedWidth() {
        // The last column (cost) is right-aligned, so every heading and row line ends at the same place.
        List<String> lines = tableLines();
        int width = lines.get(0).length();
        for (String line : lines) {
            assertEquals(width, line.length(), "misaligned line '" + line + "' in\n" + table);
        }
        int worstEnd = lines.get(0).indexOf("worst10%") + "worst10%".length();
        for (String line : lines.subList(1, lines.size())) {
            assertTrue(line.charAt(worstEnd - 1) != ' ', "stream TPS worst-10% not right-aligned in '" + line + "'");
        }
    }

    @Test
    void rowShowsTheSummaryFigures() {
        String slow = rowOf(ReportFixtures.SLOW);
        assertTrue(slow.contains("18/20"), slow);
        assertTrue(slow.contains("429:1 timeout:1 (10%)"), "the failures and their share: " + slow);
        assertTrue(slow.contains("40.0%"), slow);
        String ttftWorst10 = Formats.ms(run.targets().get(1).metric(Metric.TTFT_MS).worst10());
        assertTrue(slow.contains(" " + ttftWorst10 + " "), "the worst-10% TTFT column: " + slow);
        String ttftMean = Formats.ms(run.targets().get(1).metric(Metric.TTFT_MS).mean());
        assertTrue(slow.contains(" " + ttftMean + " "), slow);
        assertTrue(rowOf(ReportFixtures.BASELINE).contains("20/20  0 "), rowOf(ReportFixtures.BASELINE));
    }

    @Test
    void missingFiguresShowAsDashNotNaN() {
        String failing = rowOf(ReportFixtures.HOSTILE);
        assertTrue(failing.contains("0/20"), failing);
        assertTrue(failing.contains("5xx:20"), failing);
        assertEquals(6, failing.chars().filter(c -> c == '–').count(), "mean and worst-10% of 3 figures: " + failing);
        assertFalse(table.contains("NaN"), table);
    }

    @Test
    void headlineSentencesFollowTheTable() {
        HeadlineComparison worst10Tps = RunJson.headlineOf(run).stream()
                .filter(h -> h.comparison().target().equals(ReportFixtures.SLOW)
                        && h.comparison().metric() == Metric.STREAM_TPS && h.comparison().stat().equals("worst10"))
                .findFirst().orElseThrow();
        // 18 successful requests: a worst-10% tail of 2, too few for the "20x slower, 95% CI …" claim.
        assertTrue(worst10Tps.sentence().startsWith("azure-eastus2 looks ")
                && worst10Tps.sentence().contains("x slower than openai on worst-10% stream TPS, but the tail is too "
                        + "small to tell (worst-10% tails of 2 requests vs 2; 5 each needed)"),
                worst10Tps.sentence());
        assertFalse(worst10Tps.sentence().contains("CI"), worst10Tps.sentence());
        assertTrue(table.contains("vs baseline openai, figure by figure:\n"), table);
        assertTrue(table.contains("\n    " + worst10Tps.sentence() + "\n"), table);
        assertTrue(table.indexOf(worst10Tps.sentence()) > table.indexOf(rowOf(ReportFixtures.HOSTILE)));
        assertEquals(2 * RunJson.HEADLINE.size(), RunJson.comparisonsOf(run).size());
        for (HeadlineComparison h : RunJson.headlineOf(run)) {
            assertTrue(table.contains(h.sentence()), h.sentence());
        }
    }

    @Test
    void oneSentencePerTargetNamesFailuresFirstRightUnderTheTable() {
        String slow = table.lines().filter(l -> l.startsWith("azure-eastus2: ")).findFirst()
                .orElseThrow(() -> new AssertionError(table));
        assertTrue(slow.startsWith("azure-eastus2: 10% of requests failed (429 ×1, timeout ×1); of those that "
                + "succeeded, against openai, stream TPS is "), slow);
        assertTrue(slow.contains(" on worst-10% (tail too small), TTFT is ") && slow.contains(", and E2E TPS is "),
                slow);
        assertTrue(table.contains("\nopenai (baseline): all 20 requests succeeded.\n"), table);
        assertTrue(table.contains("\n" + ReportFixtures.HOSTILE + ": every request failed (5xx ×20); nothing to "
                + "compare.\n"), table);
        assertTrue(table.indexOf(slow) > table.indexOf(rowOf(ReportFixtures.HOSTILE)), "under the table");
        assertTrue(table.indexOf(slow) < table.indexOf("figure by figure"), "before the detail");
        // The baseline's 20 successes and the slow target's 18 both make a tail of 2: one note names both.
        assertTrue(table.contains("\nnote: openai, azure-eastus2: worst-10% rests on 2 requests (fewer than 5): too "
                + "few to judge\n"), table);
    }

    @Test
    void controlCharactersInNamesCannotReachTheTerminal() {
        RunResult withEscape = ReportFixtures.run("evil\u001b[2J\rname", true);
        String out = TerminalReport.table(withEscape);
        assertFalse(out.contains("\u001b"), out);
        assertFalse(out.contains("\r"), out);
        assertTrue(out.contains("evil?[2J?name"), out);
    }

    @Test
    void progressLineMatchesTheDesignedShape() {
        assertEquals("azure-degraded    12/20  errors 1  warm-up 2/2  4.1s",
                TerminalReport.progressLine("azure-degraded", new TargetAggregate.Progress(12, 1, 2), 20, 2, 4.06));
    }

    @Test
    void progressLineAlignsCountsAndDropsAbsentWarmUp() {
        assertEquals("openai             3/20  errors 0  2m05s",
                TerminalReport.progressLine("openai", new TargetAggregate.Progress(3, 0, 0), 20, 0, 125.2));
        assertEquals("a  3/5  errors 0  warm-up 1/1  0.0s",
                TerminalReport.progressLine("a", new TargetAggregate.Progress(3, 0, 1), 5, 1, 0, 1));
    }

    @Test
    void progressLineWithoutAKnownTotalCountsWhatIsDone() {
        assertEquals("a  17 done  errors 2  1.5s",
                TerminalReport.progressLine("a", new TargetAggregate.Progress(17, 2, 0), 0, 0, 1.5, 1));
    }
}
