package dev.tokenbench.report;

import dev.tokenbench.measure.HeadlineComparison;
import dev.tokenbench.measure.TargetAggregate;
import dev.tokenbench.run.RunResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the CLI prints: a progress line per target while a run goes, and the comparison table with the headline
 * sentences when it ends. Plain text in fixed-width columns, so it reads the same in a CI log as in a terminal.
 */
public final class TerminalReport {
    /** Wide enough for typical target names, so progress lines of several targets stay aligned. */
    public static final int PROGRESS_NAME_WIDTH = 16;
    private static final String GAP = "  ";

    private TerminalReport() {
    }

    /** E.g. "azure-degraded    12/20  errors 1  warm-up 2/2  4.1s". */
    public static String progressLine(String target, TargetAggregate.Progress p, int measuredTotal,
            int warmupTotal, double elapsedSeconds) {
        return progressLine(target, p, measuredTotal, warmupTotal, elapsedSeconds, PROGRESS_NAME_WIDTH);
    }

    /**
     * @param measuredTotal the requests the target will measure, or 0 when unknown (a duration or a search)
     * @param nameWidth     the widest target name of the run, to align the lines of all targets
     */
    public static String progressLine(String target, TargetAggregate.Progress p, int measuredTotal,
            int warmupTotal, double elapsedSeconds, int nameWidth) {
        StringBuilder line = new StringBuilder();
        line.append(padRight(printable(target), nameWidth)).append(GAP);
        if (measuredTotal > 0) {
            String total = String.valueOf(measuredTotal);
            line.append(padLeft(String.valueOf(p.done()), total.length())).append('/').append(total);
        } else {
            line.append(p.done()).append(" done");
        }
        line.append(GAP).append("errors ").append(p.failed());
        if (warmupTotal > 0) {
            line.append(GAP).append("warm-up ").append(p.warmupsDone()).append('/').append(warmupTotal);
        }
        line.append(GAP).append(Formats.elapsed(elapsedSeconds));
        return line.toString();
    }

    /** The end-of-run table, then the comparisons against the baseline. Ends with a newline. */
    public static String table(RunResult run) {
        List<SummaryTable.Column> columns = SummaryTable.COLUMNS;
        List<List<String>> rows = new ArrayList<>();
        for (ReportTarget t : ReportTarget.of(run)) {
            rows.add(SummaryTable.cells(t).stream().map(TerminalReport::printable).toList());
        }
        int[] widths = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = columns.get(c).heading().length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        widenForGroupHeadings(columns, widths);

        StringBuilder out = new StringBuilder();
        out.append("tokenbench · ").append(printable(run.plan().name())).append(" · run ")
                .append(printable(run.runId())).append(" · ").append(run.status()).append('\n');
        out.append('\n');
        out.append(groupHeaderLine(columns, widths)).append('\n');
        List<String> headings = columns.stream().map(SummaryTable.Column::heading).toList();
        out.append(line(columns, widths, headings)).append('\n');
        for (List<String> row : rows) {
            out.append(line(columns, widths, row)).append('\n');
        }

        // One sentence per target, failures first, right under the figures; then the small-tail warnings.
        List<ReportTop.Top> tops = ReportTop.of(run);
        out.append('\n');
        for (ReportTop.Top top : tops) {
            out.append(printable(top.sentence())).append('\n');
        }
        for (String note : ReportTop.tailNotes(tops)) {
            out.append("note: ").append(printable(note)).append('\n');
        }

        for (String line : RunFacts.client(run)) {
            out.append('\n').append(printable(line)).append('\n');
        }

        String steps = StepsTable.render(run.steps());
        if (!steps.isEmpty()) {
            out.append('\n').append(steps);
        }
        out.append(TurnsTable.terminal(run));

        Map<String, List<HeadlineComparison>> headline = RunFacts.headline(run);
        if (!headline.isEmpty()) {
            out.append('\n').append("vs baseline ").append(printable(run.plan().baseline()))
                    .append(", figure by figure:\n");
            for (ReportTarget t : ReportTarget.of(run)) {
                List<HeadlineComparison> comparisons = headline.get(t.name());
                if (comparisons == null) {
                    continue;
                }
                // The figures compare successful requests only: a target's failures head its group.
                out.append("  ").append(printable(RunFacts.comparedGroup(t))).append('\n');
                for (HeadlineComparison h : comparisons) {
                    out.append("    ").append(printable(h.sentence())).append('\n');
                }
            }
        }
        return out.toString();
    }

    /** A group heading ("stream tok/s") longer than its columns together widens the group's first column. */
    private static void widenForGroupHeadings(List<SummaryTable.Column> columns, int[] widths) {
        for (int start = 0; start < columns.size(); ) {
            int end = groupEnd(columns, start);
            String group = columns.get(start).group();
            int span = spanWidth(widths, start, end);
            if (group.length() > span) {
                widths[start] += group.length() - span;
            }
            start = end;
        }
    }

    private static int groupEnd(List<SummaryTable.Column> columns, int start) {
        String group = columns.get(start).group();
        int end = start + 1;
        while (!group.isEmpty() && end < columns.size() && columns.get(end).group().equals(group)) {
            end++;
        }
        return end;
    }

    private static int spanWidth(int[] widths, int start, int end) {
        int span = 0;
        for (int c = start; c < end; c++) {
            span += widths[c];
        }
        return span + GAP.length() * (end - start - 1);
    }

    private static String groupHeaderLine(List<SummaryTable.Column> columns, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int start = 0; start < columns.size(); ) {
            int end = groupEnd(columns, start);
            if (start > 0) {
                line.append(GAP);
            }
            line.append(center(columns.get(start).group(), spanWidth(widths, start, end)));
            start = end;
        }
        return line.toString().stripTrailing();
    }

    private static String line(List<SummaryTable.Column> columns, int[] widths, List<String> cells) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < columns.size(); c++) {
            if (c > 0) {
                line.append(GAP);
            }
            String cell = cells.get(c);
            line.append(columns.get(c).align() == SummaryTable.Align.LEFT
                    ? padRight(cell, widths[c]) : padLeft(cell, widths[c]));
        }
        return line.toString().stripTrailing();
    }

    /**
     * Target names and messages come from the benchmark file and the providers: a control character in them
     * (an ANSI escape, a carriage return) could rewrite the user's terminal, so it is shown as '?'.
     */
    static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (Character.isISOControl(ch)) {
                if (out == null) {
                    out = new StringBuilder(text.length()).append(text, 0, i);
                }
                out.append('?');
            } else if (out != null) {
                out.append(ch);
            }
        }
        return out == null ? text : out.toString();
    }

    private static String padRight(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String padLeft(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    private static String center(String s, int width) {
        int free = width - s.length();
        if (free <= 0) {
            return s;
        }
        return " ".repeat(free / 2) + s + " ".repeat(free - free / 2);
    }
}
