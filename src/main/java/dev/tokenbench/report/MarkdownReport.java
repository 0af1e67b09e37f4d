package dev.tokenbench.report;

import dev.tokenbench.measure.Comparison;
import dev.tokenbench.measure.HeadlineComparison;
import dev.tokenbench.measure.Significance;
import dev.tokenbench.run.RunResult;

import java.util.List;
import java.util.Map;

/**
 * report.md: GitHub-flavoured Markdown for CI job summaries and pull-request comments. Everything that comes
 * from the benchmark file or a provider is escaped, because GitHub renders inline HTML and a '|' in a target
 * name would otherwise split a table cell.
 */
public final class MarkdownReport {
    private MarkdownReport() {
    }

    public static String render(RunResult run) {
        return render(run, RunOrigin.UNKNOWN);
    }

    public static String render(RunResult run, RunOrigin origin) {
        StringBuilder md = new StringBuilder();
        md.append("# tokenbench: ").append(escape(run.plan().name())).append("\n\n");
        md.append("Run ").append(escape(run.runId())).append(" · status **").append(escape(run.status()))
                .append("** · started ").append(escape(String.valueOf(run.startedAt()))).append("\n\n");
        String warning = statusWarning(run.status());
        if (warning != null) {
            md.append("> **Warning:** ").append(warning).append("\n\n");
        }
        for (String line : RunFacts.client(run)) {
            md.append("> **Client:** ").append(escape(line)).append("\n\n");
        }

        Map<String, List<HeadlineComparison>> headline = RunFacts.headline(run);
        if (!headline.isEmpty()) {
            md.append("## Headline (vs baseline ").append(escape(run.plan().baseline())).append(")\n\n");
            for (List<HeadlineComparison> comparisons : headline.values()) {
                for (HeadlineComparison h : comparisons) {
                    md.append("- ").append(escape(h.sentence())).append('\n');
                }
            }
            md.append('\n');
            md.append("| target vs baseline | figure | value | baseline value | verdict | significance | 95% CI of the ratio "
                    + "| Mann-Whitney p |\n");
            md.append("| :--- | :--- | ---: | ---: | :--- | :--- | :--- | ---: |\n");
            for (List<HeadlineComparison> comparisons : headline.values()) {
                for (HeadlineComparison h : comparisons) {
                    Comparison c = h.comparison();
                    Significance s = h.significance();
                    md.append("| ").append(escape(c.target()))
                            .append(" | ").append(escape(RunFacts.figure(c) + " (" + c.metric().unit() + ")"))
                            .append(" | ").append(Formats.metric(c.metric(), c.targetValue()))
                            .append(" | ").append(Formats.metric(c.metric(), c.baselineValue()))
                            .append(" | ").append(escape(c.verdict()))
                            .append(" | ").append(escape(s.kind().label()))
                            .append(" | ").append(escape(RunFacts.ciText(s)))
                            .append(" | ").append(escape(RunFacts.pText(s))).append(" |\n");
                }
            }
            md.append('\n').append(escape(RunFacts.HEADLINE_NOTE)).append("\n\n");
        }

        md.append("## Summary\n\n");
        appendSummaryTable(md, run);
        md.append('\n');

        md.append("## Run context\n\n");
        for (Map.Entry<String, String> line : RunFacts.context(run, origin)) {
            md.append("- **").append(escape(line.getKey())).append(":** ").append(escape(line.getValue()))
                    .append('\n');
        }
        String config = RunFacts.redactedConfig(run);
        if (!config.isEmpty()) {
            String fence = "```";
            while (config.contains(fence)) {
                fence += "`";
            }
            md.append("\n<details><summary>Benchmark config (secrets redacted)</summary>\n\n").append(fence)
                    .append("json\n").append(config).append('\n').append(fence).append("\n\n</details>\n");
        }
        return md.toString();
    }

    private static void appendSummaryTable(StringBuilder md, RunResult run) {
        List<SummaryTable.Column> columns = SummaryTable.COLUMNS;
        md.append('|');
        for (SummaryTable.Column c : columns) {
            md.append(' ').append(escape(c.fullTitle())).append(" |");
        }
        md.append("\n|");
        for (SummaryTable.Column c : columns) {
            md.append(c.align() == SummaryTable.Align.LEFT ? " :--- |" : " ---: |");
        }
        md.append('\n');
        for (ReportTarget t : ReportTarget.of(run)) {
            md.append('|');
            for (String cell : SummaryTable.cells(t)) {
                md.append(' ').append(escape(cell)).append(" |");
            }
            md.append('\n');
        }
    }

    /** Why the figures may be incomplete, or null for a run that finished normally. */
    static String statusWarning(String status) {
        return switch (status == null ? "" : status) {
            case RunResult.DONE -> null;
            case RunResult.FAILED -> "no measured request of any target succeeded; the figures below are empty.";
            case RunResult.INTERRUPTED -> "the run was interrupted; the figures cover only the requests that finished.";
            default -> "the run ended with status " + status + ".";
        };
    }

    /**
     * Text safe in a Markdown paragraph, list item or table cell: HTML's special characters become entities
     * (GitHub would render a tag), Markdown's punctuation is backslash-escaped, line breaks become spaces.
     */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '\\', '`', '*', '_', '[', ']', '#', '|', '~', '!' -> out.append('\\').append(ch);
                default -> out.append(Character.isISOControl(ch) ? ' ' : ch);
            }
        }
        return out.toString();
    }
}
