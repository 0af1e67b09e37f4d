package dev.tokenbench.report;

import dev.tokenbench.measure.Metric;

import java.util.List;
import java.util.function.Function;

/**
 * The comparison table's columns, defined once: the terminal, Markdown and HTML tables show the same figures
 * with the same formatting, each escaping the cells for its own medium. A new column goes here and appears in
 * all three.
 */
final class SummaryTable {

    enum Align { LEFT, RIGHT }

    /**
     * @param group     heading shared by adjacent columns in the terminal's two-line header ("" for none)
     * @param heading   the column's own heading under its group
     * @param fullTitle the heading where there is one header line (Markdown, HTML)
     */
    record Column(String group, String heading, String fullTitle, Align align, Function<ReportTarget, String> cell) {
    }

    /**
     * Azure Bench's figures: the mean and the worst-10 % of stream TPS, TTFT and E2E TPS (the worst-10 % is
     * {@link ReportTop#WORST10_DEFINITION}'s, the same figure the headline compares), then the failures with their
     * share, goodput and cost.
     */
    static final List<Column> COLUMNS = List.of(
            new Column("", "target", "target", Align.LEFT, t -> t.name() + (t.baseline() ? " (baseline)" : "")),
            new Column("requests", "ok/total", "ok / measured", Align.RIGHT,
                    t -> t.summary().ok() + "/" + t.summary().requests()),
            new Column("", "errors", "errors", Align.LEFT, SummaryTable::errors),
            figure("stream tok/s", "stream TPS", Metric.STREAM_TPS, "mean"),
            figure("stream tok/s", "stream TPS", Metric.STREAM_TPS, "worst10"),
            figure("TTFT ms", "TTFT (ms)", Metric.TTFT_MS, "mean"),
            figure("TTFT ms", "TTFT (ms)", Metric.TTFT_MS, "worst10"),
            figure("E2E tok/s", "E2E TPS", Metric.E2E_TPS, "mean"),
            figure("E2E tok/s", "E2E TPS", Metric.E2E_TPS, "worst10"),
            new Column("", "goodput", "goodput", Align.RIGHT, t -> Formats.percent(t.summary().goodput())),
            new Column("", "cost", "cost", Align.RIGHT, t -> Formats.usd(t.summary().costUsd())));

    private static Column figure(String group, String title, Metric metric, String stat) {
        String heading = "worst10".equals(stat) ? "worst10%" : stat;
        String fullTitle = "worst10".equals(stat) ? title + " worst-10%" : title + " " + stat;
        return new Column(group, heading, fullTitle, Align.RIGHT,
                t -> Formats.metric(metric, t.summary().metric(metric).stat(stat)));
    }

    /** "0" when none failed, else the outcomes and their share: "429:5 (25%)". */
    private static String errors(ReportTarget t) {
        if (t.summary().failed() == 0) {
            return "0";
        }
        return t.errorsShort() + " (" + ReportTop.wholePercent(ReportTop.errorShare(t.summary())) + ")";
    }

    private SummaryTable() {
    }

    /** The unescaped cells of one target's row, in column order. */
    static List<String> cells(ReportTarget target) {
        return COLUMNS.stream().map(c -> c.cell().apply(target)).toList();
    }
}
