package dev.tokenbench.report;

import dev.tokenbench.measure.Comparison;
import dev.tokenbench.measure.HeadlineComparison;
import dev.tokenbench.measure.Significance;
import dev.tokenbench.run.RunResult;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Expression;
import io.quarkus.qute.RawString;
import io.quarkus.qute.ResultMapper;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateNode;
import io.quarkus.qute.Variant;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * report.md: GitHub-flavoured Markdown for CI job summaries and pull-request comments, rendered by the standalone
 * Qute engine from {@code templates/report.md}. Everything the template prints is escaped by {@link #escape} (a
 * result mapper, as HTML escaping is for report.html), because GitHub renders inline HTML and a '|' in a target
 * name would otherwise split a table cell; only the config block and its fence arrive as {@link RawString}. The
 * template sees strings, lists and map entries only, so the native image needs no reflection hints for it.
 */
public final class MarkdownReport {
    static final String TEMPLATE_RESOURCE = "/templates/report.md";
    static final String CONTENT_TYPE = "text/markdown";

    private MarkdownReport() {
    }

    /** Parsed once: both the engine and a parsed template are thread-safe. */
    private static final class Holder {
        static final Template TEMPLATE = load();

        private static Template load() {
            Engine engine = Engine.builder().addDefaults().addResultMapper(new MarkdownEscaper()).build();
            try (InputStream in = MarkdownReport.class.getResourceAsStream(TEMPLATE_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(TEMPLATE_RESOURCE + " is missing from the classpath");
                }
                return engine.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        Variant.forContentType(CONTENT_TYPE), "report.md");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + TEMPLATE_RESOURCE, e);
            }
        }
    }

    /** Escapes every value printed into report.md except a {@link RawString}. */
    private static final class MarkdownEscaper implements ResultMapper {
        @Override
        public boolean appliesTo(TemplateNode.Origin origin, Object result) {
            return !(result instanceof RawString) && origin.getVariant()
                    .map(v -> CONTENT_TYPE.equals(v.getContentType())).orElse(false);
        }

        @Override
        public String map(Object result, Expression expression) {
            return escape(result.toString());
        }
    }

    public static String render(RunResult run) {
        return render(run, RunOrigin.UNKNOWN);
    }

    public static String render(RunResult run, RunOrigin origin) {
        Map<String, List<HeadlineComparison>> headline = RunFacts.headline(run);
        List<Map.Entry<String, List<String>>> groups = new ArrayList<>();
        List<List<String>> figures = new ArrayList<>();
        for (ReportTarget t : ReportTarget.of(run)) {
            List<HeadlineComparison> comparisons = headline.get(t.name());
            if (comparisons == null) {
                continue;
            }
            List<String> sentences = new ArrayList<>();
            for (HeadlineComparison h : comparisons) {
                sentences.add(h.sentence());
                figures.add(figureCells(h));
            }
            groups.add(Map.entry(RunFacts.comparedGroup(t), sentences));
        }
        List<ReportTop.Top> tops = ReportTop.of(run);
        List<String> topSentences = tops.stream().map(ReportTop.Top::sentence).toList();
        List<String> tailNotes = ReportTop.tailNotes(tops);
        List<String> titles = new ArrayList<>();
        List<String> aligns = new ArrayList<>();
        for (SummaryTable.Column c : SummaryTable.COLUMNS) {
            titles.add(c.fullTitle());
            aligns.add(c.align() == SummaryTable.Align.LEFT ? ":---" : "---:");
        }
        List<List<String>> rows = new ArrayList<>();
        for (ReportTarget t : ReportTarget.of(run)) {
            rows.add(SummaryTable.cells(t));
        }
        String known = statusWarning(run.status());
        // The three known statuses are worded here and printed as worded; any other status comes from a run.json on
        // disk (a file from outside) and is escaped like every other value.
        String warning = isKnown(run.status()) || run.status() == null ? known : statusWarning(escape(run.status()));
        String config = RunFacts.redactedConfig(run);
        return Holder.TEMPLATE.instance()
                .data("name", text(run.plan().name()))
                .data("runId", text(run.runId()))
                .data("status", text(run.status()))
                .data("startedAt", Formats.timestamp(run.startedAt()))
                .data("hasWarning", warning != null)
                .data("warning", new RawString(warning == null ? "" : warning))
                .data("clientLines", RunFacts.client(run))
                .data("hasHeadline", !headline.isEmpty())
                .data("baseline", text(run.plan().baseline()))
                .data("topSentences", topSentences)
                .data("tailNotes", tailNotes)
                .data("groups", groups)
                .data("headline", figures)
                .data("headlineNote", RunFacts.HEADLINE_NOTE)
                .data("titles", titles)
                .data("aligns", aligns)
                .data("rows", rows)
                .data("shapes", ShapeFacts.sentences(run))
                .data("toolCalls", ShapeFacts.toolCallLines(run))
                .data("dialectTitles", ShapeFacts.DIALECT_TITLES)
                .data("dialectRows", ShapeFacts.dialectRows(run))
                .data("dialectNote", ShapeFacts.DIALECT_NOTE)
                .data("turnTitles", TurnsTable.TITLES)
                .data("turnRows", TurnsTable.rows(run))
                .data("turnNote", TurnsTable.NOTE)
                .data("context", RunFacts.context(run, origin))
                .data("hasConfig", !config.isEmpty())
                .data("fence", new RawString(fenceFor(config)))
                .data("config", new RawString(config))
                .render();
    }

    private static List<String> figureCells(HeadlineComparison h) {
        Comparison c = h.comparison();
        Significance s = h.significance();
        return List.of(c.target(), RunFacts.figure(c) + " (" + c.metric().unit() + ")",
                Formats.metric(c.metric(), c.targetValue()), Formats.metric(c.metric(), c.baselineValue()),
                c.verdict(), s.kind().label(), RunFacts.ciText(s), RunFacts.pText(s));
    }

    /** A code fence longer than any run of backticks in the text, so the text cannot close it. */
    private static String fenceFor(String text) {
        String fence = "```";
        while (text.contains(fence)) {
            fence += "`";
        }
        return fence;
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    /** Why the figures may be incomplete, or null for a run that finished normally. */
    private static boolean isKnown(String status) {
        return RunResult.DONE.equals(status) || RunResult.FAILED.equals(status)
                || RunResult.INTERRUPTED.equals(status);
    }

    static String statusWarning(String status) {
        return switch (status == null ? "" : status) {
            case RunResult.DONE -> null;
            case RunResult.FAILED -> "no measured request of any target succeeded; the figures below are empty.";
            case RunResult.INTERRUPTED -> "the run was interrupted; the figures cover only the requests that finished.";
            default -> "the run ended with status " + status + ".";
        };
    }

    /**
     * Text safe in a Markdown paragraph, list item or table cell, and readable as source: a '<' that could open a tag,
     * comment or autolink (before a letter, '/', '!' or '?') becomes "&amp;lt;" and an '&' that could start an entity
     * (before a letter or '#') becomes "&amp;amp;", so "p < 0.001" and "x & y" stay as written; a '>' is left alone
     * (a value never starts a line, where it would open a quote). Markdown's punctuation is backslash-escaped, line
     * breaks become spaces.
     */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            char next = i + 1 < text.length() ? text.charAt(i + 1) : ' ';
            switch (ch) {
                case '<' -> out.append(opensMarkup(next) ? "&lt;" : "<");
                case '&' -> out.append(Character.isLetter(next) || next == '#' ? "&amp;" : "&");
                case '\\', '`', '*', '_', '[', ']', '#', '|', '~', '!' -> out.append('\\').append(ch);
                default -> out.append(Character.isISOControl(ch) ? ' ' : ch);
            }
        }
        return out.toString();
    }

    private static boolean opensMarkup(char next) {
        return Character.isLetter(next) || next == '/' || next == '!' || next == '?';
    }
}
