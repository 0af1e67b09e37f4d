package dev.tokenbench.report;

import dev.tokenbench.measure.Metric;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.tokenbench.report.SvgCharts.WIDTH;
import static dev.tokenbench.report.SvgCharts.coordinate;
import static dev.tokenbench.report.SvgCharts.escape;
import static dev.tokenbench.report.SvgCharts.line;
import static dev.tokenbench.report.SvgCharts.text;

/**
 * One figure over the runs of a benchmark: a line per target, one point per run, oldest left, this run last
 * (its column is marked). Runs are spaced evenly, labelled with their start (UTC): runs an hour and a month
 * apart stay readable side by side.
 */
final class HistoryChart {
    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private HistoryChart() {
    }

    /**
     * @param targetNames the names in the order that gives them their colours (the current run's first)
     */
    static String render(List<RunHistory.Point> points, Map.Entry<Metric, String> figure, List<String> targetNames) {
        Metric metric = figure.getKey();
        String statLabel = "worst10".equals(figure.getValue()) ? "worst-10%" : figure.getValue();
        String title = statLabel + " " + metric.label() + " (" + metric.unit() + ") over the last "
                + Formats.count(points.size(), "run");
        String key = RunHistory.key(figure);
        double highest = 0;
        for (RunHistory.Point p : points) {
            for (Map<String, Double> figures : p.targets().values()) {
                Double v = figures.get(key);
                if (v != null && Double.isFinite(v)) {
                    highest = Math.max(highest, v);
                }
            }
        }
        int left = 64;
        int right = WIDTH - 24;
        int top = 30;
        int bottom = top + 200;
        // Legend rows: names flow and wrap like the distribution charts' legends.
        List<String> legendLines = new ArrayList<>();
        StringBuilder legend = new StringBuilder();
        double lx = left;
        double ly = bottom + 62;
        for (int i = 0; i < targetNames.size(); i++) {
            String name = SvgCharts.truncate(targetNames.get(i), 40);
            double width = 30 + name.length() * SvgCharts.CHAR_PX + 18;
            if (lx > left && lx + width > right) {
                lx = left;
                ly += 20;
            }
            legend.append("<line x1=\"").append(coordinate(lx)).append("\" y1=\"").append(coordinate(ly - 4))
                    .append("\" x2=\"").append(coordinate(lx + 24)).append("\" y2=\"").append(coordinate(ly - 4))
                    .append("\" stroke-width=\"3\" stroke=\"").append(SvgCharts.colour(i)).append('"');
            if (!SvgCharts.dash(i).isEmpty()) {
                legend.append(" stroke-dasharray=\"").append(SvgCharts.dash(i)).append('"');
            }
            legend.append("/>\n");
            text(legend, lx + 30, ly, "start", name, 1.0);
            lx += width;
        }
        legendLines.add(legend.toString());
        int height = (int) ly + 10;
        StringBuilder svg = SvgCharts.open(title, height);

        text(svg, left, 14, "start", title, 1.0);
        SvgCharts.XAxis y = SvgCharts.linearAxis(highest, 0, bottom - top);
        for (double tick : y.ticks()) {
            double py = bottom - y.at(tick);
            line(svg, left, py, right, py, tick == 0 ? 0.6 : 0.15, "");
            text(svg, left - 6, py + 4, "end", "ms".equals(metric.unit()) ? SvgCharts.durationLabel(tick)
                    : SvgCharts.plain(tick), 1.0);
        }
        int n = points.size();
        double step = n == 1 ? 0 : (right - left - 20) / (double) (n - 1);
        int labelEvery = Math.max(1, (int) Math.ceil(n / 8.0));
        for (int k = 0; k < n; k++) {
            double px = n == 1 ? (left + right) / 2.0 : left + 10 + k * step;
            RunHistory.Point p = points.get(k);
            if (p.current()) {
                svg.append("<rect x=\"").append(coordinate(px - 8)).append("\" y=\"").append(top)
                        .append("\" width=\"16\" height=\"").append(bottom - top)
                        .append("\" fill=\"currentColor\" fill-opacity=\"0.08\"/>\n");
            }
            if (k % labelEvery == 0 || k == n - 1) {
                line(svg, px, bottom, px, bottom + 4, 0.6, "");
                boolean last = k == n - 1 && n > 1;
                text(svg, last ? px + 8 : px, bottom + 18, last ? "end" : "middle",
                        LABEL.format(p.startedAt()) + (p.current() ? " (this run)" : ""), 1.0);
            }
        }
        text(svg, (left + right) / 2.0, bottom + 38, "middle", "run start (UTC), one point per run", 1.0);

        for (int i = 0; i < targetNames.size(); i++) {
            String name = targetNames.get(i);
            StringBuilder d = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            boolean penDown = false;
            for (int k = 0; k < n; k++) {
                Map<String, Double> figures = points.get(k).targets().get(name);
                Double v = figures == null ? null : figures.get(key);
                if (v == null || !Double.isFinite(v)) {
                    penDown = false;
                    continue;
                }
                double px = n == 1 ? (left + right) / 2.0 : left + 10 + k * step;
                double py = bottom - y.at(v);
                d.append(penDown ? 'L' : 'M').append(coordinate(px)).append(' ').append(coordinate(py));
                penDown = true;
                dots.append("<circle cx=\"").append(coordinate(px)).append("\" cy=\"").append(coordinate(py))
                        .append("\" r=\"3.5\" fill=\"").append(SvgCharts.colour(i)).append("\"><title>")
                        .append(escape(name + " · run " + points.get(k).runId() + ": "
                                + Formats.metric(metric, v) + " " + metric.unit()))
                        .append("</title></circle>\n");
            }
            if (d.length() > 0) {
                svg.append("<path fill=\"none\" stroke-width=\"2\" stroke=\"").append(SvgCharts.colour(i)).append('"');
                if (!SvgCharts.dash(i).isEmpty()) {
                    svg.append(" stroke-dasharray=\"").append(SvgCharts.dash(i)).append('"');
                }
                svg.append(" d=\"").append(d).append("\"/>\n").append(dots);
            }
        }
        for (String l : legendLines) {
            svg.append(l);
        }
        return svg.append("</svg>").toString();
    }
}
