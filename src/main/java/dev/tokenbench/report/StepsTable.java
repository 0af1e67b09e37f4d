package dev.tokenbench.report;

import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.measure.Metric;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.run.StepResult;
import dev.tokenbench.run.TargetSteps;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The per-step rows of a sweep or search (the throughput/latency curve of each target) and a search's knee, as
 * plain text: the terminal prints it under the summary table and report.md puts it in a code block.
 */
public final class StepsTable {
    private static final List<String> HEADINGS = List.of("target", "level", "requests", "ok", "goodput",
            "TTFT p50", "TTFT p90", "TTFT p99", "stream TPS mean", "stream TPS worst10", "output tok/s", "req/s");

    private StepsTable() {
    }

    /** Empty when the run had a single phase. Ends with a newline otherwise. */
    public static String render(List<TargetSteps> all) {
        if (all.isEmpty()) {
            return "";
        }
        TargetSteps first = all.get(0);
        String unit = LoadSpec.Steps.RATE.equals(first.dimension()) ? "rate (req/s)" : "concurrency";
        List<List<String>> rows = new ArrayList<>();
        for (TargetSteps t : all) {
            for (StepResult step : t.steps()) {
                TargetSummary s = step.summary();
                rows.add(List.of(TerminalReport.printable(t.target()), level(step.level()) + (step.passed() == null ? ""
                        : step.passed() ? " pass" : " fail"),
                        String.valueOf(s.requests()), String.valueOf(s.ok()), Formats.percent(s.goodput()),
                        Formats.ms(s.metric(Metric.TTFT_MS).p50()), Formats.ms(s.metric(Metric.TTFT_MS).p90()),
                        Formats.ms(s.metric(Metric.TTFT_MS).p99()), Formats.tps(s.metric(Metric.STREAM_TPS).mean()),
                        Formats.tps(s.metric(Metric.STREAM_TPS).worst10()), Formats.tps(step.outputTokensPerSecond()),
                        String.format(Locale.ROOT, "%.2f", step.requestsPerSecond())));
            }
        }
        int[] widths = new int[HEADINGS.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = c == 1 ? Math.max(unit.length(), HEADINGS.get(c).length()) : HEADINGS.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(first.search() ? "search over " : "sweep over ").append(first.dimension());
        if (first.search()) {
            out.append(String.format(Locale.ROOT, " (a level passes when %.0f%% of its requests meet the SLO)",
                    first.goodputTarget() * 100));
        }
        out.append(":\n");
        List<String> headings = new ArrayList<>(HEADINGS);
        headings.set(1, unit);
        out.append(line(headings, widths));
        for (List<String> row : rows) {
            out.append(line(row, widths));
        }
        if (first.search()) {
            for (TargetSteps t : all) {
                out.append("  ").append(kneeSentence(t)).append('\n');
            }
        }
        return out.toString();
    }

    /** E.g. "sim-queue: knee at concurrency 6 (7 fails)". */
    public static String kneeSentence(TargetSteps t) {
        String target = TerminalReport.printable(t.target());
        if (Double.isNaN(t.knee())) {
            return target + ": no knee: even " + t.dimension() + " " + level(t.steps().get(0).level())
                    + " fails the goodput target";
        }
        return target + ": knee at " + t.dimension() + " " + level(t.knee())
                + (Double.isNaN(t.firstFailing()) ? " (the highest level searched; it passes)"
                : " (" + level(t.firstFailing()) + " fails)");
    }

    private static String level(double level) {
        return level == Math.rint(level) ? String.valueOf((long) level)
                : new BigDecimal(level).round(new MathContext(3)).stripTrailingZeros()
                        .toPlainString();
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder sb = new StringBuilder("  ");
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            if (c == 0) {
                sb.append(cell).append(" ".repeat(widths[c] - cell.length()));
            } else {
                sb.append("  ").append(" ".repeat(widths[c] - cell.length())).append(cell);
            }
        }
        return sb.append('\n').toString();
    }
}
