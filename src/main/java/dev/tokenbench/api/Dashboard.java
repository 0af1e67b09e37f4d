package dev.tokenbench.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.core.Json;
import dev.tokenbench.measure.Comparison;
import dev.tokenbench.measure.HistogramCodec;
import dev.tokenbench.measure.Metric;
import dev.tokenbench.measure.MetricSummary;
import dev.tokenbench.report.SvgCharts;
import dev.tokenbench.store.HistoryPoint;
import dev.tokenbench.store.HistoryStore;
import dev.tokenbench.store.RunFilter;
import dev.tokenbench.store.RunInfo;
import io.quarkus.qute.Engine;
import io.quarkus.qute.HtmlEscaper;
import io.quarkus.qute.RawString;
import io.quarkus.qute.Template;
import io.quarkus.qute.Variant;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The dashboard page at {@code /}, in the spirit of Azure Bench: per target, headline blocks "on average" and
 * "worst 10 %" against the baseline, a line chart over time, the runs with their errors and cost. All state is in
 * the URL (benchmark, metric, agg, range or from/to, baseline), so every view is a link and the page needs no script;
 * the toggles are links. Rendered by the standalone Qute engine from templates/dashboard.html, fed maps and lists
 * (no reflection); inline CSS and SVG, nothing from a CDN.
 */
public final class Dashboard {
    static final String TEMPLATE_RESOURCE = "/templates/dashboard.html";
    /** The metrics the page toggles between, as Azure Bench shows them. */
    static final List<Metric> METRICS = List.of(Metric.E2E_TPS, Metric.STREAM_TPS, Metric.VISIBLE_TPS,
            Metric.TTFT_MS);
    static final Map<String, String> AGGS = Map.of("mean", "on average", "worst10", "worst 10 %");
    static final List<String> RANGES = List.of("4h", "1d", "7d");
    private static final int RUNS_SHOWN = 50;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final int WIDTH = 760;
    private static final int HEIGHT = 300;
    private static final int LEFT = 56;
    private static final int RIGHT = 16;
    private static final int TOP = 16;
    private static final int BOTTOM = 40;

    /**
     * What the URL says. The benchmark is null until {@link #model} picks the newest run's: cards and lines are of
     * one benchmark at a time, since targets of unrelated benchmarks have nothing to be compared against.
     */
    public record View(String benchmark, String metric, String agg, Window window, String baseline) {
        public String range() {
            return window.range();
        }

        public Instant from() {
            return window.from();
        }

        public Instant to() {
            return window.to();
        }

        View withBenchmark(String name) {
            return new View(name, metric, agg, window, baseline);
        }
    }

    /** The time range: a named one (4h, 1d, 7d) or custom, and its instants. */
    public record Window(String range, Instant from, Instant to) {
    }

    private Dashboard() {
    }

    private static final class Holder {
        static final Template TEMPLATE = load();

        private static Template load() {
            Engine engine = Engine.builder().addDefaults()
                    .addResultMapper(new HtmlEscaper(List.of(Variant.TEXT_HTML))).build();
            try (InputStream in = Dashboard.class.getResourceAsStream(TEMPLATE_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(TEMPLATE_RESOURCE + " is missing from the classpath");
                }
                return engine.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        Variant.forContentType(Variant.TEXT_HTML), "dashboard.html");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + TEMPLATE_RESOURCE, e);
            }
        }
    }

    /**
     * Reads the query parameters; anything unknown falls back to the default view (the newest run's benchmark,
     * stream TPS, mean, 1 d).
     */
    public static View view(String benchmark, String metric, String agg, String range, String from, String to,
            String baseline, Instant now) {
        String m = METRICS.stream().map(Metric::key).filter(k -> k.equals(metric)).findFirst()
                .orElse(Metric.STREAM_TPS.key());
        // A missing parameter is null, which Map.of/List.of refuse to look up (NullPointerException).
        String a = agg != null && AGGS.containsKey(agg) ? agg : "mean";
        Instant end = now;
        Instant start;
        String r = range != null && RANGES.contains(range) ? range : "1d";
        if ("custom".equals(range)) {
            try {
                end = to == null || to.isBlank() ? now : parseInstant(to);
                start = from == null || from.isBlank() ? end.minus(Duration.ofDays(1)) : parseInstant(from);
                r = "custom";
            } catch (RuntimeException e) {
                start = end.minus(Duration.ofDays(1));
                r = "1d";
            }
        } else {
            start = end.minus(RunsResource.parseRange(r));
        }
        return new View(benchmark == null || benchmark.isBlank() ? null : benchmark.strip(), m, a,
                new Window(r, start, end), baseline == null || baseline.isBlank() ? null : baseline);
    }

    /** 2025-05-01T10:00:00Z, or a datetime-local input's 2025-05-01T10:00 (read as UTC). */
    private static Instant parseInstant(String text) {
        String t = text.strip();
        if (!t.endsWith("Z") && !t.contains("+")) {
            t = t.length() == 16 ? t + ":00Z" : t + "Z";
        }
        return Instant.parse(t);
    }

    public static String render(HistoryStore store, View view) {
        return Holder.TEMPLATE.render(model(store, view));
    }

    static Map<String, Object> model(HistoryStore store, View asked) {
        Metric metric = Metric.byKey(asked.metric());
        Instant end = asked.to().plusMillis(1);
        List<RunInfo> inRange = new ArrayList<>();
        for (RunInfo r : store.list(new RunFilter(null, null, null, asked.from(), RunFilter.MAX_LIMIT))) {
            if (r.startedAt().isBefore(end)) {
                inRange.add(r);
            }
        }
        Set<String> benchmarks = new LinkedHashSet<>();
        inRange.forEach(r -> benchmarks.add(r.name()));
        View view = asked.benchmark() != null || inRange.isEmpty() ? asked : asked.withBenchmark(inRange.get(0).name());
        List<RunInfo> runs = inRange.stream().filter(r -> r.name().equals(view.benchmark())).toList();
        Set<String> targetNames = new LinkedHashSet<>();
        runs.forEach(r -> targetNames.addAll(r.targets()));
        String baseline = view.baseline();
        if (baseline == null && !runs.isEmpty()) {
            baseline = baselineOf(store, runs.get(0).id());
        }
        if ((baseline == null || !targetNames.contains(baseline)) && !targetNames.isEmpty()) {
            baseline = targetNames.iterator().next();
        }

        Map<String, MetricSummary> merged = new LinkedHashMap<>();
        Map<String, List<HistoryPoint>> series = new LinkedHashMap<>();
        for (String target : targetNames) {
            Histogram h = null;
            for (String encoded : store.histograms(view.benchmark(), target, metric.key(), view.from(), end)) {
                Histogram one = HistogramCodec.decode(encoded);
                if (h == null) {
                    h = one;
                } else {
                    h.add(one);
                }
            }
            merged.put(target, h == null ? MetricSummary.EMPTY
                    : MetricSummary.ofHistogram(h, metric.histogramScale(), metric.higherIsBetter()));
            series.put(target, store.history(view.benchmark(), target, metric.key(), view.agg(), view.from(), end));
        }

        List<Map<String, Object>> cards = new ArrayList<>();
        int index = 0;
        for (String target : targetNames) {
            MetricSummary s = merged.get(target);
            MetricSummary b = merged.get(baseline);
            Map<String, Object> card = new LinkedHashMap<>();
            card.put("name", target);
            card.put("colour", SvgCharts.colour(index++));
            card.put("baseline", target.equals(baseline));
            card.put("requests", s.count());
            card.put("runs", series.get(target).size());
            List<Map<String, Object>> blocks = new ArrayList<>();
            for (String stat : List.of("mean", "worst10")) {
                Map<String, Object> block = new LinkedHashMap<>();
                block.put("label", AGGS.get(stat));
                block.put("stat", stat);
                block.put("value", format(metric, s.stat(stat)));
                block.put("unit", metric.unit());
                if (!target.equals(baseline)) {
                    Comparison c = Comparison.of(target, baseline, metric, stat, s.stat(stat), b.stat(stat));
                    block.put("verdict", c.verdict());
                    block.put("against", "than " + baseline);
                    block.put("slower", c.slowdown() > Comparison.SAME_WITHIN);
                    block.put("faster", c.slowdown() < 1 / Comparison.SAME_WITHIN);
                } else {
                    block.put("verdict", "baseline");
                    block.put("against", "");
                    block.put("slower", false);
                    block.put("faster", false);
                }
                blocks.add(block);
            }
            card.put("blocks", blocks);
            cards.add(card);
        }

        List<Map<String, Object>> table = new ArrayList<>();
        for (RunInfo r : runs.subList(0, Math.min(RUNS_SHOWN, runs.size()))) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", r.id());
            row.put("href", "/api/runs/" + URLEncoder.encode(r.id(), StandardCharsets.UTF_8) + "/report");
            row.put("time", TIME.format(r.startedAt()));
            row.put("benchmark", r.name());
            row.put("probe", r.region().isEmpty() ? r.probe() : r.probe() + " · " + r.region());
            row.put("targets", String.join(", ", r.targets()));
            row.put("status", r.status());
            row.put("measured", r.measured());
            row.put("failed", r.failed());
            row.put("errors", r.measured() == 0 ? "–" : String.format(Locale.ROOT, "%d (%.1f %%)", r.failed(),
                    100.0 * r.failed() / r.measured()));
            row.put("cost", String.format(Locale.ROOT, "$%.4f", r.costUsd()));
            table.add(row);
        }

        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", "tokenbench · " + metric.label() + " " + AGGS.get(view.agg()));
        model.put("metricLabel", metric.label());
        model.put("aggLabel", AGGS.get(view.agg()));
        model.put("unit", metric.unit());
        model.put("higherIsBetter", metric.higherIsBetter());
        model.put("from", TIME.format(view.from()));
        model.put("to", TIME.format(view.to()));
        model.put("fromInput", view.from().toString().substring(0, 16));
        model.put("toInput", view.to().toString().substring(0, 16));
        model.put("baseline", baseline == null ? "" : baseline);
        model.put("metrics", toggles(view, "metric", METRICS.stream().map(Metric::key).toList(),
                METRICS.stream().map(Metric::label).toList(), view.metric()));
        model.put("aggs", toggles(view, "agg", List.of("mean", "worst10"), List.of("mean", "worst 10 %"),
                view.agg()));
        model.put("ranges", toggles(view, "range", RANGES, RANGES, view.range()));
        List<String> names = new ArrayList<>(benchmarks);
        if (view.benchmark() != null && !benchmarks.contains(view.benchmark())) {
            names.add(0, view.benchmark());
        }
        model.put("benchmarks", toggles(view, "benchmark", names, names, view.benchmark()));
        model.put("benchmark", view.benchmark() == null ? "" : view.benchmark());
        model.put("custom", "custom".equals(view.range()));
        model.put("currentMetric", view.metric());
        model.put("currentAgg", view.agg());
        model.put("cards", cards);
        model.put("empty", runs.isEmpty());
        model.put("chart", new RawString(chart(series, cards, view, metric)));
        model.put("runs", table);
        model.put("runCount", runs.size());
        return model;
    }

    private static String baselineOf(HistoryStore store, String runId) {
        try {
            JsonNode json = Json.MAPPER.readTree(store.runJson(runId).orElse("{}"));
            return json.path("baseline").isTextual() ? json.path("baseline").asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static List<Map<String, Object>> toggles(View view, String key, List<String> values, List<String> labels,
            String current) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            Map<String, String> q = new LinkedHashMap<>();
            if (view.benchmark() != null) {
                q.put("benchmark", view.benchmark());
            }
            q.put("metric", view.metric());
            q.put("agg", view.agg());
            q.put("range", view.range());
            if ("custom".equals(view.range())) {
                q.put("from", view.from().toString());
                q.put("to", view.to().toString());
            }
            if (view.baseline() != null) {
                q.put("baseline", view.baseline());
            }
            q.put(key, values.get(i));
            if (key.equals("range")) {
                q.remove("from");
                q.remove("to");
            }
            if (key.equals("benchmark")) {
                // Another benchmark has other targets: its own baseline.
                q.remove("baseline");
            }
            StringBuilder href = new StringBuilder("/?");
            q.forEach((k, v) -> href.append(href.length() > 2 ? "&" : "").append(k).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("value", values.get(i));
            t.put("label", labels.get(i));
            t.put("href", href.toString());
            t.put("active", values.get(i).equals(current));
            list.add(t);
        }
        return list;
    }

    /** The line chart: one line per target over [from, to], values on a linear axis from 0. Escaped as drawn. */
    static String chart(Map<String, List<HistoryPoint>> series, List<Map<String, Object>> cards, View view,
            Metric metric) {
        double max = 0;
        int points = 0;
        for (List<HistoryPoint> s : series.values()) {
            for (HistoryPoint p : s) {
                if (!Double.isNaN(p.value())) {
                    max = Math.max(max, p.value());
                    points++;
                }
            }
        }
        double top = niceCeiling(max);
        long t0 = view.from().toEpochMilli();
        long t1 = Math.max(t0 + 1, view.to().toEpochMilli());
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg id=\"history-chart\" class=\"chart\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\" role=\"img\" data-points=\"").append(points).append("\" data-max=\"")
                .append(num(max)).append("\" aria-label=\"").append(SvgCharts.escape(metric.label() + " over time"))
                .append("\">");
        for (int i = 0; i <= 4; i++) {
            double v = top * i / 4;
            double y = TOP + plotH - plotH * (v / top);
            svg.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                    .append("\" y1=\"").append(num(y)).append("\" y2=\"").append(num(y)).append("\"/>");
            svg.append("<text class=\"axis\" x=\"").append(LEFT - 6).append("\" y=\"").append(num(y + 4))
                    .append("\" text-anchor=\"end\">").append(SvgCharts.escape(format(metric, v))).append("</text>");
        }
        for (int i = 0; i <= 4; i++) {
            long t = t0 + (t1 - t0) * i / 4;
            double x = LEFT + plotW * (double) i / 4;
            svg.append("<text class=\"axis\" x=\"").append(num(x)).append("\" y=\"").append(HEIGHT - 12)
                    .append("\" text-anchor=\"").append(i == 0 ? "start" : i == 4 ? "end" : "middle").append("\">")
                    .append(SvgCharts.escape(TIME.format(Instant.ofEpochMilli(t)))).append("</text>");
        }
        int index = 0;
        for (Map.Entry<String, List<HistoryPoint>> e : series.entrySet()) {
            String colour = (String) cards.get(index++).get("colour");
            StringBuilder d = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            for (HistoryPoint p : e.getValue()) {
                if (Double.isNaN(p.value())) {
                    continue;
                }
                double x = LEFT + plotW * (double) (p.startedAt().toEpochMilli() - t0) / (t1 - t0);
                double y = TOP + plotH - plotH * (p.value() / top);
                d.append(d.length() == 0 ? "M" : " L").append(num(x)).append(' ').append(num(y));
                dots.append("<circle cx=\"").append(num(x)).append("\" cy=\"").append(num(y))
                        .append("\" r=\"3\" fill=\"").append(colour).append("\"><title>")
                        .append(SvgCharts.escape(e.getKey() + " · " + TIME.format(p.startedAt()) + " · "
                                + format(metric, p.value()) + " " + metric.unit() + " · " + p.probe()))
                        .append("</title></circle>");
            }
            svg.append("<path class=\"series\" data-target=\"").append(SvgCharts.escape(e.getKey()))
                    .append("\" d=\"").append(d).append("\" stroke=\"").append(colour).append("\"/>").append(dots);
        }
        if (points == 0) {
            svg.append("<text class=\"axis\" x=\"").append(WIDTH / 2).append("\" y=\"").append(HEIGHT / 2)
                    .append("\" text-anchor=\"middle\">no runs in this range</text>");
        }
        return svg.append("</svg>").toString();
    }

    private static double niceCeiling(double max) {
        if (!(max > 0)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= max) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    static String format(Metric metric, double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
