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

    static final List<Column> COLUMNS = List.of(
            new Column("", "target", "target", Align.LEFT, t -> t.name() + (t.baseline() ? " (baseline)" : "")),
            new Column("requests", "ok/total", "ok / measured", Align.RIGHT,
                    t -> t.summary().ok() + "/" + t.summary().requests()),
            new Column("", "errors", "errors", Align.LEFT, ReportTarget::errorsShort),
            new Column("TTFT ms", "p50", "TTFT p50 (ms)", Align.RIGHT,
                    t -> Formats.ms(t.summary().metric(Metric.TTFT_MS).p50())),
            new Column("TTFT ms", "p90", "TTFT p90 (ms)", Align.RIGHT,
                    t -> Formats.ms(t.summary().metric(Metric.TTFT_MS).p90())),
            new Column("stream tok/s", "mean", "stream TPS mean", Align.RIGHT,
                    t -> Formats.tps(t.summary().metric(Metric.STREAM_TPS).mean())),
            new Column("stream tok/s", "worst10%", "stream TPS worst-10%", Align.RIGHT,
                    t -> Formats.tps(t.summary().metric(Metric.STREAM_TPS).worst10())),
            new Column("E2E tok/s", "mean", "E2E TPS mean", Align.RIGHT,
                    t -> Formats.tps(t.summary().metric(Metric.E2E_TPS).mean())),
            new Column("", "goodput", "goodput", Align.RIGHT, t -> Formats.percent(t.summary().goodput())),
            new Column("", "cost", "cost", Align.RIGHT, t -> Formats.usd(t.summary().costUsd())));

    private SummaryTable() {
    }

    /** The unescaped cells of one target's row, in column order. */
    static List<String> cells(ReportTarget target) {
        return COLUMNS.stream().map(c -> c.cell().apply(target)).toList();
    }
}
