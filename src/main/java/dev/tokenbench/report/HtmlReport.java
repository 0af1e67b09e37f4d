package dev.tokenbench.report;

import dev.tokenbench.measure.Comparison;
import dev.tokenbench.measure.HeadlineComparison;
import dev.tokenbench.measure.Metric;
import dev.tokenbench.measure.MetricSummary;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.StreamShape;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.run.RunResult;
import io.quarkus.qute.Engine;
import io.quarkus.qute.HtmlEscaper;
import io.quarkus.qute.RawString;
import io.quarkus.qute.Template;
import io.quarkus.qute.Variant;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * report.html: one self-contained file (inline CSS and SVG, no script, no URL) that opens anywhere, offline,
 * and prints. Rendered by the standalone Qute engine from {@code templates/report.html}; the template sees only
 * maps, lists, strings and booleans, so no reflection is needed and the native image needs no hints for it.
 * Every string is HTML-escaped by Qute except the charts, which {@link SvgCharts} escapes as it draws them.
 */
public final class HtmlReport {
    static final String TEMPLATE_RESOURCE = "/templates/report.html";
    private static final int FAILURES_SHOWN = 5;
    private static final int ERROR_CHARS_SHOWN = 300;
    /** The distributions each target card tabulates, in the order a reader follows a request. */
    static final List<Metric> CARD_METRICS = List.of(Metric.TTFT_MS, Metric.TIME_TO_FIRST_OUTPUT_MS,
            Metric.STREAM_TPS, Metric.VISIBLE_TPS, Metric.E2E_TPS, Metric.TPOT_MS, Metric.MAX_STALL_MS);

    private HtmlReport() {
    }

    /** Parsed once: both the engine and a parsed template are thread-safe. */
    private static final class Holder {
        static final Template TEMPLATE = load();

        private static Template load() {
            Engine engine = Engine.builder()
                    .addDefaults()
                    // Not added by addDefaults() in the standalone engine: without it nothing would be escaped.
                    .addResultMapper(new HtmlEscaper(List.of(Variant.TEXT_HTML)))
                    .build();
            return engine.parse(readTemplate(), Variant.forContentType(Variant.TEXT_HTML), "report.html");
        }

        private static String readTemplate() {
            try (InputStream in = HtmlReport.class.getResourceAsStream(TEMPLATE_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(TEMPLATE_RESOURCE + " is missing from the classpath");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + TEMPLATE_RESOURCE, e);
            }
        }
    }

    public static String render(RunResult run) {
        return render(run, RunOrigin.UNKNOWN);
    }

    /** @param origin version and probe for the context section; for a comparison, the runs it merges */
    public static String render(RunResult run, RunOrigin origin) {
        return Holder.TEMPLATE.render(model(run, origin, true));
    }

    /** A comparison across runs: no history (its parent directory holds other benchmarks' runs). */
    public static String renderComparison(RunResult run, RunOrigin origin) {
        return Holder.TEMPLATE.render(model(run, origin, false));
    }

    static Map<String, Object> model(RunResult run) {
        return model(run, RunOrigin.UNKNOWN, true);
    }

    /**
     * What the template sees. Figures arrive formatted (the template has no formatting logic), and text arrives
     * unescaped (the engine escapes it): escaping here too would show "&amp;lt;" to the reader.
     */
    static Map<String, Object> model(RunResult run, RunOrigin origin, boolean withHistory) {
        List<ReportTarget> targets = ReportTarget.of(run);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", "tokenbench · " + run.plan().name() + " · run " + run.runId());
        model.put("name", run.plan().name());
        model.put("runId", run.runId());
        model.put("status", run.status());
        model.put("startedAt", Formats.timestamp(run.startedAt()));
        model.put("baseline", run.plan().baseline() == null ? "none" : run.plan().baseline());
        model.put("targetCount", Formats.count(targets.size(), "target"));
        String warning = MarkdownReport.statusWarning(run.status());
        model.put("hasWarning", warning != null);
        model.put("warning", warning == null ? "" : warning);
        model.put("clientLines", RunFacts.client(run));

        model.put("tops", tops(run, targets));
        List<Map<String, Object>> headline = headline(run, targets);
        model.put("hasHeadline", !headline.isEmpty());
        model.put("headline", headline);

        List<Map<String, Object>> columns = new ArrayList<>();
        for (SummaryTable.Column c : SummaryTable.COLUMNS) {
            columns.add(Map.of("title", c.fullTitle(), "align", align(c)));
        }
        model.put("columns", columns);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            List<String> cells = SummaryTable.cells(targets.get(i));
            List<Map<String, Object>> cellMaps = new ArrayList<>();
            for (int c = 0; c < cells.size(); c++) {
                cellMaps.add(Map.of("text", cells.get(c), "align", align(SummaryTable.COLUMNS.get(c))));
            }
            rows.add(Map.of("cells", cellMaps, "colour", SvgCharts.colour(i)));
        }
        model.put("rows", rows);
        model.put("turnTitles", TurnsTable.TITLES);
        model.put("turnRows", TurnsTable.rows(run));
        model.put("turnNote", TurnsTable.NOTE);

        model.put("headlineNote", RunFacts.HEADLINE_NOTE);
        model.put("ttftChart", new RawString(SvgCharts.ttftCdf(run)));
        model.put("streamTpsCdfChart", new RawString(SvgCharts.streamTpsCdf(run)));
        model.put("streamTpsChart", new RawString(SvgCharts.worst10StreamTpsBars(run)));
        String timeline = TimelineChart.render(run.targets());
        model.put("hasTimeline", timeline != null);
        model.put("timelineChart", new RawString(timeline == null ? "" : timeline));
        model.put("timelineRowsCap", String.valueOf(TimelineChart.MAX_ROWS_PER_TARGET));
        String shapeChart = ShapeChart.render(run.targets());
        model.put("hasShapeChart", shapeChart != null);
        model.put("shapeChart", new RawString(shapeChart == null ? "" : shapeChart));
        history(model, run, withHistory);

        List<Map<String, Object>> cards = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            cards.add(card(targets.get(i), SvgCharts.colour(i), run));
        }
        model.put("cards", cards);
        model.put("dialectTitles", ShapeFacts.DIALECT_TITLES);
        model.put("dialectRows", ShapeFacts.dialectRows(run));
        model.put("dialectNote", ShapeFacts.DIALECT_NOTE);

        List<Map<String, Object>> context = new ArrayList<>();
        for (Map.Entry<String, String> line : RunFacts.context(run, origin)) {
            context.add(Map.of("label", line.getKey(), "text", line.getValue()));
        }
        model.put("context", context);
        String config = RunFacts.redactedConfig(run);
        model.put("hasConfig", !config.isEmpty());
        model.put("config", config);
        return model;
    }

    private static void history(Map<String, Object> model, RunResult run, boolean withHistory) {
        List<RunHistory.Point> points = withHistory ? RunHistory.of(run) : List.of();
        List<Map<String, Object>> charts = new ArrayList<>();
        if (points.size() > 1) {
            List<String> names = new ArrayList<>();
            for (TargetSummary s : run.targets()) {
                names.add(s.target());
            }
            for (RunHistory.Point p : points) {
                for (String name : p.targets().keySet()) {
                    if (!names.contains(name)) {
                        names.add(name);
                    }
                }
            }
            for (Map.Entry<Metric, String> figure : RunHistory.FIGURES) {
                charts.add(Map.of("svg", new RawString(HistoryChart.render(points, figure, names))));
            }
        }
        model.put("hasHistory", !charts.isEmpty());
        model.put("historyCharts", charts);
        model.put("historyRuns", String.valueOf(points.size()));
        Path dir = run.runDir() == null ? null : run.runDir().toAbsolutePath().normalize().getParent();
        model.put("historyNote", !withHistory ? "A comparison across runs has no history of its own."
                : "No earlier run of " + run.plan().name() + " beside this one"
                        + (dir == null ? "." : " in " + dir + "."));
    }

    private static String align(SummaryTable.Column c) {
        return c.align() == SummaryTable.Align.LEFT ? "left" : "right";
    }

    private static List<Map<String, Object>> headline(RunResult run, List<ReportTarget> targets) {
        List<Map<String, Object>> groups = new ArrayList<>();
        for (Map.Entry<String, List<HeadlineComparison>> e : RunFacts.headline(run).entrySet()) {
            List<Map<String, Object>> sentences = new ArrayList<>();
            List<Map<String, Object>> figures = new ArrayList<>();
            for (HeadlineComparison h : e.getValue()) {
                Comparison c = h.comparison();
                String kind = h.kind();
                sentences.add(Map.of("text", h.sentence(), "kind", kind));
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("figure", RunFacts.figure(c) + " (" + c.metric().unit() + ")");
                row.put("target", Formats.metric(c.metric(), c.targetValue()));
                row.put("baseline", Formats.metric(c.metric(), c.baselineValue()));
                row.put("verdict", c.verdict());
                row.put("kind", kind);
                row.put("significance", h.significance().kind().label());
                row.put("ci", RunFacts.ciText(h.significance()));
                row.put("p", RunFacts.pText(h.significance()));
                figures.add(row);
            }
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("target", e.getKey());
            group.put("heading", headingOf(e.getKey(), targets));
            group.put("colour", colourOf(e.getKey(), targets));
            group.put("sentences", sentences);
            group.put("figures", figures);
            groups.add(group);
        }
        return groups;
    }

    /** The big numbers and the failures-first sentence of each target, for the top of the page. */
    private static List<Map<String, Object>> tops(RunResult run, List<ReportTarget> targets) {
        List<Map<String, Object>> tops = new ArrayList<>();
        for (ReportTop.Top top : ReportTop.of(run)) {
            List<Map<String, Object>> numbers = new ArrayList<>();
            for (ReportTop.BigNumber n : top.numbers()) {
                numbers.add(Map.of("label", n.label(), "unit", n.unit(), "mean", n.mean(), "worst10", n.worst10()));
            }
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("name", top.name());
            map.put("colour", colourOf(top.name(), targets));
            map.put("isBaseline", top.baseline());
            map.put("numbers", numbers);
            map.put("errorShare", top.errorShare());
            map.put("errors", top.errors());
            map.put("hasErrors", !top.errors().isEmpty());
            map.put("goodput", top.goodput());
            map.put("tailWarning", top.tailWarning());
            map.put("hasTailWarning", !top.tailWarning().isEmpty());
            map.put("sentence", top.sentence());
            tops.add(map);
        }
        return tops;
    }

    private static String headingOf(String target, List<ReportTarget> targets) {
        for (ReportTarget t : targets) {
            if (t.name().equals(target)) {
                return RunFacts.comparedGroup(t);
            }
        }
        return target;
    }

    private static String colourOf(String target, List<ReportTarget> targets) {
        for (int i = 0; i < targets.size(); i++) {
            if (targets.get(i).name().equals(target)) {
                return SvgCharts.colour(i);
            }
        }
        return "currentColor";
    }

    private static Map<String, Object> card(ReportTarget t, String colour, RunResult run) {
        TargetSummary s = t.summary();
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("name", t.name());
        card.put("colour", colour);
        card.put("isBaseline", t.baseline());
        card.put("api", t.spec() == null ? "" : t.spec().api());
        card.put("model", t.modelOrDeployment());
        card.put("labels", t.labelsText());
        card.put("hasLabels", !t.labelsText().isEmpty());
        card.put("requests", s.ok() + " ok of " + s.requests() + " measured"
                + (s.warmups() > 0 ? " · " + s.warmups() + (s.warmups() == 1 ? " warm-up" : " warm-ups") + " not counted" : ""));

        List<Map<String, Object>> metrics = new ArrayList<>();
        for (Metric m : CARD_METRICS) {
            MetricSummary ms = s.metric(m);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("label", m.label());
            row.put("unit", m.unit());
            row.put("p50", Formats.metric(m, ms.p50()));
            row.put("p90", Formats.metric(m, ms.p90()));
            row.put("p99", Formats.metric(m, ms.p99()));
            row.put("worst10", Formats.metric(m, ms.worst10()));
            row.put("mean", Formats.metric(m, ms.mean()));
            metrics.add(row);
        }
        card.put("metrics", metrics);
        card.put("shape", StreamShape.of(s).sentence());

        card.put("goodput", Formats.percent(s.goodput()));
        card.put("goodputDetail", s.good() + " of " + s.requests() + " measured requests met the SLO: "
                + RunFacts.slo(run.plan().slo()));

        List<Map<String, Object>> errors = new ArrayList<>();
        s.outcomes().forEach((outcome, count) -> {
            if (!Outcome.OK.label().equals(outcome)) {
                errors.add(Map.of("outcome", outcome, "count", String.valueOf(count)));
            }
        });
        card.put("errors", errors);
        card.put("hasErrors", !errors.isEmpty());
        List<Map<String, Object>> failures = new ArrayList<>();
        for (RequestRecord r : s.failures().subList(0, Math.min(FAILURES_SHOWN, s.failures().size()))) {
            failures.add(Map.of(
                    "outcome", r.outcome().label(),
                    "status", r.httpStatus() > 0 ? String.valueOf(r.httpStatus()) : Formats.MISSING,
                    "error", shorten(r.error())));
        }
        card.put("failures", failures);
        card.put("hasFailures", !failures.isEmpty());

        card.put("costPerRequest", Formats.usd(s.costPerRequestUsd()));
        card.put("costPer1mOutput", Formats.usd(t.costPer1mOutputTokensUsd()));
        card.put("costTotal", Formats.usd(s.costUsd()));
        card.put("tokens", "output " + s.outputTokens() + " · input " + s.inputTokens()
                + (s.reasoningTokens() > 0 ? " · reasoning " + s.reasoningTokens() : "")
                + (s.tokensEstimated() ? " (some counted with a tokenizer: the provider reported no usage)" : "")
                + (s.toolCalls().requests() == 0 ? "" : " · " + ShapeFacts.toolCalls(s)));
        int connections = s.newConnections() + s.reusedConnections();
        card.put("connections", s.newConnections() + " new · " + s.reusedConnections() + " reused"
                + (connections == 0 ? "" : " (" + Formats.percent((double) s.reusedConnections() / connections)
                        + " of requests on a reused connection)"));
        return card;
    }

    private static String shorten(String error) {
        if (error == null || error.isEmpty()) {
            return Formats.MISSING;
        }
        return error.length() <= ERROR_CHARS_SHOWN ? error : error.substring(0, ERROR_CHARS_SHOWN) + "…";
    }
}
