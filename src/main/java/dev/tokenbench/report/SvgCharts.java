package dev.tokenbench.report;

import dev.tokenbench.measure.Metric;
import dev.tokenbench.measure.MetricSummary;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.run.RunResult;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Charts for report.html as inline SVG strings, drawn here rather than by a JavaScript library so that the
 * report opens with no network and no script. Text is drawn in {@code currentColor}, so a chart follows the
 * page's light or dark scheme; series colours are the Okabe–Ito palette, told apart with colour-blindness too.
 * No {@code xmlns} attribute: inline SVG in HTML does not need one, and the report carries no URL at all.
 */
public final class SvgCharts {
    /**
     * Okabe–Ito without black (invisible on a dark page), yellow last (faint on a white one). Past seven
     * targets the colours repeat with a dash pattern, so two series never look the same.
     */
    static final List<String> PALETTE = List.of("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9",
            "#F0E442");
    private static final List<String> DASHES = List.of("", "7 4", "2 3", "9 3 2 3");

    static final int WIDTH = 720;
    private static final int FONT_PX = 12;
    /** Rough width of a character at {@link #FONT_PX}: to lay out legends and labels without a font. */
    static final double CHAR_PX = 7.0;
    private static final int LEGEND_NAME_CHARS = 40;
    private static final int BAR_NAME_CHARS = 28;
    private static final MathContext TICK_DIGITS = new MathContext(3);
    private static final double LOG_AXIS_SPAN = 50;

    private SvgCharts() {
    }

    /** The colour of the target at this position in the run; the same in every chart and card of a report. */
    public static String colour(int targetIndex) {
        return PALETTE.get(targetIndex % PALETTE.size());
    }

    static String dash(int targetIndex) {
        return DASHES.get(targetIndex / PALETTE.size() % DASHES.size());
    }

    /** TTFT as a cumulative distribution per target, on one axis. */
    public static String ttftCdf(RunResult run) {
        return latencyCdf(run.targets(), Metric.TTFT_MS);
    }

    /** Stream TPS as a cumulative distribution per target, on one axis. */
    public static String streamTpsCdf(RunResult run) {
        return cdf(run.targets(), Metric.STREAM_TPS);
    }

    /** Worst-10% stream TPS per target as bars, each with a tick at the mean. */
    public static String worst10StreamTpsBars(RunResult run) {
        return rateBars(run.targets(), Metric.STREAM_TPS);
    }

    /**
     * The share of each target's requests at or below each latency, drawn from its HdrHistogram (values are
     * {@code ms * Metric.histogramScale()}), so merged runs chart exactly as they summarise. The x axis turns
     * logarithmic when the values span more than {@value #LOG_AXIS_SPAN}x: one slow outlier would otherwise
     * squash every curve against the left edge.
     */
    public static String latencyCdf(List<TargetSummary> targets, Metric metric) {
        if (!"ms".equals(metric.unit())) {
            throw new IllegalArgumentException(metric.key() + " is not a latency in ms");
        }
        return cdf(targets, metric);
    }

    /**
     * Any metric's cumulative distribution per target from its histograms. A latency's worst 10 % begins at the
     * p90 line, a rate's ends at the p10 line; both are drawn.
     */
    public static String cdf(List<TargetSummary> targets, Metric metric) {
        boolean latency = "ms".equals(metric.unit());
        String title = metric.label() + " distribution (CDF)";
        double lowest = Double.POSITIVE_INFINITY;
        double highest = 0;
        for (TargetSummary t : targets) {
            Histogram h = t.histograms().get(metric);
            if (h != null && h.getTotalCount() > 0) {
                lowest = Math.min(lowest, h.getMinValue() / metric.histogramScale());
                highest = Math.max(highest, h.getMaxValue() / metric.histogramScale());
            }
        }

        int left = 64;
        int right = WIDTH - 24;
        int top = 12;
        int bottom = top + 260;
        Legend legend = legend(targets, left, right, bottom + 58, metric);
        int height = legend.bottom + 8;
        StringBuilder svg = open(title, height);

        if (highest == 0 && lowest == Double.POSITIVE_INFINITY) {
            text(svg, (left + right) / 2.0, (top + bottom) / 2.0, "middle", "no successful request to chart", 1.0);
            svg.append(legend.svg);
            return svg.append("</svg>").toString();
        }

        XAxis x = xAxis(lowest, highest, left, right);
        // Horizontal grid: quartiles, plus p90, where "worst 10%" begins.
        for (int pct = 0; pct <= 100; pct += 25) {
            double y = yAt(pct / 100.0, top, bottom);
            line(svg, left, y, right, y, pct == 0 ? 0.6 : 0.15, "");
            text(svg, left - 6, y + 4, "end", pct + "%", 1.0);
        }
        double tailShare = latency ? 0.9 : 0.1;
        double yTail = yAt(tailShare, top, bottom);
        line(svg, left, yTail, right, yTail, 0.35, "4 4");
        text(svg, right - 2, yTail - 4, "end", latency ? "p90" : "p10 (worst 10% below)", 0.7);
        text(svg, right - 2, yAt(0.5, top, bottom) - 4, "end", "p50", 0.7);
        for (double tick : x.ticks) {
            double px = x.at(tick);
            line(svg, px, top, px, bottom, 0.15, "");
            line(svg, px, bottom, px, bottom + 4, 0.6, "");
            text(svg, px, bottom + 18, "middle", latency ? durationLabel(tick) : plain(tick), 1.0);
        }
        line(svg, left, top, left, bottom, 0.6, "");
        text(svg, (left + right) / 2.0, bottom + 38, "middle",
                metric.label() + (latency ? "" : " (" + metric.unit() + ")") + (x.log ? " (log scale)" : "")
                        + " · share of successful requests at or below", 1.0);

        for (int i = 0; i < targets.size(); i++) {
            Histogram h = targets.get(i).histograms().get(metric);
            if (h == null || h.getTotalCount() == 0) {
                continue;
            }
            svg.append("<path fill=\"none\" stroke-width=\"2\" stroke-linejoin=\"round\" stroke=\"")
                    .append(colour(i)).append('"');
            if (!dash(i).isEmpty()) {
                svg.append(" stroke-dasharray=\"").append(dash(i)).append('"');
            }
            svg.append(" d=\"").append(cdfPath(h, metric.histogramScale(), x, top, bottom)).append("\"><title>")
                    .append(escape(targets.get(i).target())).append("</title></path>\n");
        }
        svg.append(legend.svg);
        return svg.append("</svg>").toString();
    }

    /** A step path: flat between recorded values, rising at each by the share recorded there. */
    private static String cdfPath(Histogram h, double scale, XAxis x, int top, int bottom) {
        StringBuilder d = new StringBuilder();
        long total = h.getTotalCount();
        long cumulative = 0;
        String lastX = null;
        for (HistogramIterationValue v : h.recordedValues()) {
            cumulative += v.getCountAtValueIteratedTo();
            String px = coordinate(x.at(v.getValueIteratedTo() / scale));
            String py = coordinate(yAt((double) cumulative / total, top, bottom));
            if (lastX == null) {
                d.append('M').append(px).append(' ').append(coordinate(bottom));
            } else if (!px.equals(lastX)) {
                // Values closer than a tenth of a pixel share one vertical step: no point drawing them apart.
                d.append('H').append(px);
            }
            d.append('V').append(py);
            lastX = px;
        }
        return d.toString();
    }

    /**
     * Horizontal bars of each target's worst-10% figure for a higher-is-better rate, with a tick at its mean:
     * the gap between the two is how uneven the target is.
     */
    public static String rateBars(List<TargetSummary> targets, Metric metric) {
        if (!metric.higherIsBetter()) {
            throw new IllegalArgumentException(metric.key() + " is not a rate");
        }
        String title = "Worst-10% " + metric.label() + " per target (" + metric.unit() + ")";
        int longestName = 4;
        double highest = 0;
        for (TargetSummary t : targets) {
            longestName = Math.max(longestName, Math.min(BAR_NAME_CHARS, t.target().length()));
            MetricSummary s = t.metric(metric);
            highest = Math.max(highest, finiteOr0(s.worst10()));
            highest = Math.max(highest, finiteOr0(s.mean()));
        }
        int left = (int) Math.ceil(longestName * CHAR_PX) + 16;
        int right = WIDTH - 136;
        int top = 8;
        int rowHeight = 26;
        int bottom = top + rowHeight * Math.max(1, targets.size());
        int height = bottom + 62;
        StringBuilder svg = open(title, height);

        XAxis x = linearAxis(highest, left, right);
        for (double tick : x.ticks) {
            double px = x.at(tick);
            line(svg, px, top, px, bottom, 0.15, "");
            text(svg, px, bottom + 16, "middle", plain(tick), 1.0);
        }
        line(svg, left, top, left, bottom, 0.6, "");
        line(svg, left, bottom, right, bottom, 0.6, "");
        text(svg, (left + right) / 2.0, bottom + 34, "middle", metric.label() + " (" + metric.unit() + ")", 1.0);

        for (int i = 0; i < targets.size(); i++) {
            TargetSummary t = targets.get(i);
            MetricSummary s = t.metric(metric);
            double rowTop = top + i * rowHeight + 5;
            double barHeight = rowHeight - 10;
            text(svg, left - 8, rowTop + barHeight / 2 + 4, "end", truncate(t.target(), BAR_NAME_CHARS), 1.0);
            if (!Double.isFinite(s.worst10())) {
                text(svg, left + 6, rowTop + barHeight / 2 + 4, "start", Formats.MISSING + " (no successful request)",
                        0.8);
                continue;
            }
            double end = x.at(s.worst10());
            svg.append("<rect x=\"").append(coordinate(left)).append("\" y=\"").append(coordinate(rowTop))
                    .append("\" width=\"").append(coordinate(Math.max(0.5, end - left))).append("\" height=\"")
                    .append(coordinate(barHeight)).append("\" fill=\"").append(colour(i)).append("\"><title>")
                    .append(escape(t.target())).append(": worst-10% ").append(Formats.tps(s.worst10()))
                    .append(", mean ").append(Formats.tps(s.mean())).append(' ').append(metric.unit())
                    .append("</title></rect>\n");
            double labelAt = end;
            if (Double.isFinite(s.mean())) {
                double mean = x.at(s.mean());
                line(svg, mean, rowTop - 3, mean, rowTop + barHeight + 3, 1.0, "");
                labelAt = Math.max(labelAt, mean);
            }
            // Both figures in words too: the tick alone does not say which number is which.
            text(svg, labelAt + 6, rowTop + barHeight / 2 + 4, "start",
                    Formats.tps(s.worst10()) + " · mean " + Formats.tps(s.mean()), 1.0);
        }
        // Key for the two marks.
        double keyY = bottom + 50;
        svg.append("<rect x=\"").append(left).append("\" y=\"").append(coordinate(keyY - 9))
                .append("\" width=\"14\" height=\"10\" fill=\"currentColor\" fill-opacity=\"0.5\"/>\n");
        text(svg, left + 20, keyY, "start", "bar: worst-10%", 1.0);
        line(svg, left + 140, keyY - 11, left + 140, keyY + 2, 1.0, "");
        text(svg, left + 148, keyY, "start", "tick: mean", 1.0);
        return svg.append("</svg>").toString();
    }

    private record Legend(String svg, int bottom) {
    }

    /** Swatches with target names, flowing left to right and wrapping at the plot's width. */
    private static Legend legend(List<TargetSummary> targets, int left, int right, int top, Metric metric) {
        StringBuilder svg = new StringBuilder();
        double x = left;
        double y = top;
        for (int i = 0; i < targets.size(); i++) {
            Histogram h = targets.get(i).histograms().get(metric);
            boolean empty = h == null || h.getTotalCount() == 0;
            String name = truncate(targets.get(i).target(), LEGEND_NAME_CHARS) + (empty ? " (no data)" : "");
            double itemWidth = 30 + name.length() * CHAR_PX + 18;
            if (x > left && x + itemWidth > right) {
                x = left;
                y += 20;
            }
            svg.append("<line x1=\"").append(coordinate(x)).append("\" y1=\"").append(coordinate(y - 4))
                    .append("\" x2=\"").append(coordinate(x + 24)).append("\" y2=\"").append(coordinate(y - 4))
                    .append("\" stroke-width=\"3\" stroke=\"").append(colour(i)).append('"');
            if (!dash(i).isEmpty()) {
                svg.append(" stroke-dasharray=\"").append(dash(i)).append('"');
            }
            svg.append("/>\n");
            text(svg, x + 30, y, "start", name, empty ? 0.6 : 1.0);
            x += itemWidth;
        }
        return new Legend(svg.toString(), (int) Math.ceil(y) + 6);
    }

    static StringBuilder open(String title, int height) {
        StringBuilder svg = new StringBuilder(4096);
        svg.append("<svg class=\"chart\" role=\"img\" aria-label=\"").append(escape(title))
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" font-family=\"system-ui, -apple-system, 'Segoe UI', sans-serif\" font-size=\"")
                .append(FONT_PX).append("\">\n<title>").append(escape(title)).append("</title>\n");
        return svg;
    }

    static void text(StringBuilder svg, double x, double y, String anchor, String text, double opacity) {
        svg.append("<text x=\"").append(coordinate(x)).append("\" y=\"").append(coordinate(y))
                .append("\" text-anchor=\"").append(anchor).append("\" fill=\"currentColor\"");
        if (opacity < 1) {
            svg.append(" fill-opacity=\"").append(opacity).append('"');
        }
        svg.append('>').append(escape(text)).append("</text>\n");
    }

    static void line(StringBuilder svg, double x1, double y1, double x2, double y2, double opacity,
            String dashArray) {
        svg.append("<line x1=\"").append(coordinate(x1)).append("\" y1=\"").append(coordinate(y1))
                .append("\" x2=\"").append(coordinate(x2)).append("\" y2=\"").append(coordinate(y2))
                .append("\" stroke=\"currentColor\" stroke-opacity=\"").append(opacity).append('"');
        if (!dashArray.isEmpty()) {
            svg.append(" stroke-dasharray=\"").append(dashArray).append('"');
        }
        svg.append("/>\n");
    }

    private static double yAt(double share, int top, int bottom) {
        return bottom - share * (bottom - top);
    }

    /** An x axis: where a value falls in pixels, and the values to label. */
    record XAxis(boolean log, double min, double max, int left, int right, List<Double> ticks) {
        double at(double value) {
            double fraction = log
                    ? (Math.log10(Math.max(value, min)) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
                    : (value - min) / (max - min);
            return left + Math.max(0, Math.min(1, fraction)) * (right - left);
        }
    }

    private static XAxis xAxis(double lowest, double highest, int left, int right) {
        if (lowest > 0 && highest / lowest > LOG_AXIS_SPAN) {
            return logAxis(lowest, highest, left, right);
        }
        return linearAxis(highest, left, right);
    }

    /** From 0 to a round number at or above the highest value, in 1-2-5 steps, about five of them. */
    static XAxis linearAxis(double highest, int left, int right) {
        double step = niceStep(highest > 0 ? highest / 5 : 0.2);
        double max = Math.max(step, Math.ceil(highest / step - 1e-9) * step);
        List<Double> ticks = new ArrayList<>();
        for (int k = 0; k * step <= max + step / 1000; k++) {
            ticks.add(k * step);
        }
        return new XAxis(false, 0, max, left, right, ticks);
    }

    /** Decades, with 2 and 5 between them while that leaves few enough labels to read. */
    private static XAxis logAxis(double lowest, double highest, int left, int right) {
        double min = Math.pow(10, Math.floor(Math.log10(lowest)));
        double max = Math.pow(10, Math.ceil(Math.log10(highest)));
        boolean fine = Math.log10(max / min) <= 3;
        List<Double> ticks = new ArrayList<>();
        for (double decade = min; decade <= max * 1.0001; decade *= 10) {
            ticks.add(decade);
            if (fine && decade * 10 <= max * 1.0001) {
                ticks.add(decade * 2);
                ticks.add(decade * 5);
            }
        }
        return new XAxis(true, min, max, left, right, ticks);
    }

    static double niceStep(double rough) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double normalized = rough / magnitude;
        double nice = normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    /** Milliseconds as a reader wants them on an axis: "250 ms", then seconds from one second up: "1.5 s". */
    static String durationLabel(double ms) {
        if (ms == 0) {
            return "0";
        }
        return ms < 1000 ? plain(ms) + " ms" : plain(ms / 1000) + " s";
    }

    /** Up to three significant digits, no trailing zeros, never exponent notation. */
    static String plain(double value) {
        if (value == 0) {
            return "0";
        }
        return new BigDecimal(value).round(TICK_DIGITS).stripTrailingZeros().toPlainString();
    }

    static String coordinate(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static double finiteOr0(double value) {
        return Double.isFinite(value) ? value : 0;
    }

    static String truncate(String text, int chars) {
        if (text.length() <= chars) {
            return text;
        }
        int cut = Character.isHighSurrogate(text.charAt(chars - 2)) ? chars - 2 : chars - 1;
        return text.substring(0, cut) + "…";
    }

    /**
     * For text and attribute values: target names come from the benchmark file and could hold markup. The SVG is
     * inserted into the page unescaped (it is markup), so it must escape its own text.
     */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(Character.isISOControl(ch) ? ' ' : ch);
            }
        }
        return out.toString();
    }
}
