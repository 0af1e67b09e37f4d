package dev.tokenbench.report;

import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.measure.TurnFigures;
import dev.tokenbench.run.RunResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A conversation run's table by turn, per target: TTFT p50 and p90, and the mean input and cached input tokens with
 * the cached share, so prefix caching shows (or its absence does) as the prompt grows. Empty for other runs.
 */
final class TurnsTable {
    static final List<String> TITLES = List.of("target", "turn", "requests", "TTFT p50 (ms)", "TTFT p90 (ms)",
            "mean input tokens", "mean cached input tokens", "cached share");
    static final String NOTE = "Each turn sends the conversation so far: the recorded (or synthetic) earlier replies, "
            + "not the model's live ones. Cached input tokens are the provider's usage report of its prefix cache.";

    private TurnsTable() {
    }

    static List<List<String>> rows(RunResult run) {
        List<List<String>> rows = new ArrayList<>();
        for (TargetSummary s : run.targets()) {
            for (TurnFigures.Turn t : s.byTurn()) {
                double share = t.meanInputTokens() > 0 ? t.meanCachedInputTokens() / t.meanInputTokens() : 0;
                rows.add(List.of(s.target(), Integer.toString(t.turn()), Integer.toString(t.requests()),
                        fixed(t.ttftP50Ms(), 1), fixed(t.ttftP90Ms(), 1), fixed(t.meanInputTokens(), 0),
                        fixed(t.meanCachedInputTokens(), 0),
                        String.format(Locale.ROOT, "%.0f%%", share * 100)));
            }
        }
        return rows;
    }

    /** The table in columns for the terminal, after a blank line; empty for a run without conversations. */
    static String terminal(RunResult run) {
        List<List<String>> rows = rows(run).stream()
                .map(row -> row.stream().map(TerminalReport::printable).toList()).toList();
        if (rows.isEmpty()) {
            return "";
        }
        int[] widths = new int[TITLES.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = TITLES.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder("\nby conversation turn:\n");
        appendLine(out, TITLES, widths);
        for (List<String> row : rows) {
            appendLine(out, row, widths);
        }
        return out.toString();
    }

    private static void appendLine(StringBuilder out, List<String> cells, int[] widths) {
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(widths[c] - cell.length());
            out.append(c == 0 ? cell + pad : pad + cell).append(c == cells.size() - 1 ? "\n" : "  ");
        }
    }

    private static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
