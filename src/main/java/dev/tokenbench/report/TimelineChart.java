package dev.tokenbench.report;

import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestSamples;
import dev.tokenbench.measure.TargetSummary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import static dev.tokenbench.report.SvgCharts.WIDTH;
import static dev.tokenbench.report.SvgCharts.colour;
import static dev.tokenbench.report.SvgCharts.coordinate;
import static dev.tokenbench.report.SvgCharts.escape;
import static dev.tokenbench.report.SvgCharts.line;
import static dev.tokenbench.report.SvgCharts.text;

/**
 * The per-request timeline: one row per measured request, from when it was sent to its first output (the wait,
 * a thin line), its first visible token (reasoning, a light bar) and its end (streaming, a solid bar), grouped by
 * target. A failed request ends in a cross. Time runs from each target's first send, on the run's own clock.
 */
final class TimelineChart {
    /** Past this many requests a target shows its first ones and says how many it left out. */
    static final int MAX_ROWS_PER_TARGET = 150;
    private static final int LABEL_WIDTH = 150;

    private TimelineChart() {
    }

    /** Null when no target has per-request times (a report rebuilt from histograms or merged runs). */
    static String render(List<TargetSummary> targets) {
        List<Integer> shown = new ArrayList<>();
        int rows = 0;
        double longestSeconds = 0;
        for (int i = 0; i < targets.size(); i++) {
            RequestSamples.Timeline t = targets.get(i).samples().timeline();
            if (t == null || t.size() == 0) {
                continue;
            }
            shown.add(i);
            rows += Math.min(MAX_ROWS_PER_TARGET, t.size());
            long origin = origin(t);
            for (int r = 0; r < t.size(); r++) {
                longestSeconds = Math.max(longestSeconds, (t.endNanos()[r] - origin) / 1e9);
            }
        }
        if (shown.isEmpty()) {
            return null;
        }
        int rowHeight = rows <= 60 ? 7 : rows <= 200 ? 4 : 2;
        int groupGap = 14;
        int left = LABEL_WIDTH;
        int right = WIDTH - 20;
        int top = 26;
        int plotHeight = rows * rowHeight + groupGap * shown.size();
        int bottom = top + plotHeight;
        int height = bottom + 86;
        StringBuilder svg = SvgCharts.open("Per-request timeline", height);

        SvgCharts.XAxis x = SvgCharts.linearAxis(Math.max(longestSeconds, 0.001), left, right);
        for (double tick : x.ticks()) {
            double px = x.at(tick);
            line(svg, px, top, px, bottom, 0.15, "");
            text(svg, px, bottom + 16, "middle", SvgCharts.plain(tick) + (tick == 0 ? "" : " s"), 1.0);
        }
        line(svg, left, bottom, right, bottom, 0.6, "");
        text(svg, (left + right) / 2.0, bottom + 34, "middle",
                "seconds since the target's first request was sent (one row per measured request)", 1.0);
        text(svg, left, top - 10, "start", "send → first output → first token → end", 0.8);

        double y = top;
        for (int i : shown) {
            TargetSummary target = targets.get(i);
            RequestSamples.Timeline t = target.samples().timeline();
            long origin = origin(t);
            Integer[] order = new Integer[t.size()];
            for (int r = 0; r < order.length; r++) {
                order[r] = r;
            }
            Arrays.sort(order, Comparator.comparingLong(r -> t.sentNanos()[r]));
            int count = Math.min(MAX_ROWS_PER_TARGET, order.length);
            y += groupGap / 2.0;
            double groupTop = y;
            String colour = colour(i);
            int failed = 0;
            for (int k = 0; k < count; k++) {
                int r = order[k];
                double mid = y + rowHeight / 2.0;
                double sent = x.at(seconds(t.sentNanos()[r], origin));
                double end = x.at(seconds(t.endNanos()[r], origin));
                long firstOutputNanos = t.firstOutputNanos()[r];
                long firstTokenNanos = t.firstTokenNanos()[r];
                double firstOutput = firstOutputNanos == 0 ? end : x.at(seconds(firstOutputNanos, origin));
                double firstToken = firstTokenNanos == 0 ? end : x.at(seconds(firstTokenNanos, origin));
                boolean ok = t.outcomes()[r] == Outcome.OK;
                svg.append("<g><title>").append(escape(rowTitle(target.target(), k, t, r, origin)))
                        .append("</title>\n");
                line(svg, sent, mid, firstOutput, mid, 0.55, "");
                double barHeight = Math.max(1.5, rowHeight - 1.5);
                if (firstToken > firstOutput) {
                    bar(svg, firstOutput, firstToken, mid, barHeight, colour, 0.4);
                }
                if (end > firstToken) {
                    bar(svg, firstToken, end, mid, barHeight, colour, 1.0);
                }
                if (!ok) {
                    failed++;
                    cross(svg, end, mid, Math.max(3, rowHeight / 2.0 + 1));
                }
                svg.append("</g>\n");
                y += rowHeight;
            }
            String label = SvgCharts.truncate(target.target(), 20);
            text(svg, left - 8, groupTop + Math.min(12, (y - groupTop) / 2 + 4), "end", label, 1.0);
            String detail = count < order.length ? "first " + count + " of " + order.length : count + " requests";
            if (failed > 0) {
                detail += ", " + failed + " failed";
            }
            svg.append("<text x=\"").append(coordinate(left - 8)).append("\" y=\"")
                    .append(coordinate(groupTop + Math.min(26, (y - groupTop) / 2 + 18)))
                    .append("\" text-anchor=\"end\" fill=\"currentColor\" fill-opacity=\"0.7\" font-size=\"10\">")
                    .append(escape(detail)).append("</text>\n");
            svg.append("<rect x=\"").append(coordinate(left - 4)).append("\" y=\"").append(coordinate(groupTop))
                    .append("\" width=\"3\" height=\"").append(coordinate(Math.max(1, y - groupTop)))
                    .append("\" fill=\"").append(colour).append("\"/>\n");
            y += groupGap / 2.0;
        }

        // Key.
        double keyY = bottom + 62;
        line(svg, left, keyY - 4, left + 24, keyY - 4, 0.55, "");
        text(svg, left + 30, keyY, "start", "waiting for output", 1.0);
        bar(svg, left + 170, left + 194, keyY - 4, 8, "currentColor", 0.4);
        text(svg, left + 200, keyY, "start", "reasoning", 1.0);
        bar(svg, left + 290, left + 314, keyY - 4, 8, "currentColor", 1.0);
        text(svg, left + 320, keyY, "start", "streaming tokens", 1.0);
        cross(svg, left + 452, keyY - 4, 5);
        text(svg, left + 462, keyY, "start", "failed", 1.0);
        return svg.append("</svg>").toString();
    }

    private static long origin(RequestSamples.Timeline t) {
        long origin = Long.MAX_VALUE;
        for (long sent : t.sentNanos()) {
            if (sent != 0) {
                origin = Math.min(origin, sent);
            }
        }
        return origin == Long.MAX_VALUE ? 0 : origin;
    }

    private static double seconds(long nanos, long origin) {
        return nanos == 0 ? 0 : (nanos - origin) / 1e9;
    }

    private static String rowTitle(String target, int k, RequestSamples.Timeline t, int r, long origin) {
        StringBuilder title = new StringBuilder(target).append(" #").append(k + 1).append(": sent at ")
                .append(String.format(Locale.ROOT, "%.2f s", seconds(t.sentNanos()[r], origin)));
        if (t.firstTokenNanos()[r] != 0) {
            title.append(", first token after ").append(Formats.ms((t.firstTokenNanos()[r] - t.sentNanos()[r]) / 1e6))
                    .append(" ms");
        }
        title.append(", ended after ").append(Formats.ms((t.endNanos()[r] - t.sentNanos()[r]) / 1e6)).append(" ms");
        if (t.outcomes()[r] != Outcome.OK) {
            title.append(", ").append(t.outcomes()[r].label());
        }
        return title.toString();
    }

    private static void bar(StringBuilder svg, double from, double to, double mid, double height, String colour,
            double opacity) {
        svg.append("<rect x=\"").append(coordinate(from)).append("\" y=\"").append(coordinate(mid - height / 2))
                .append("\" width=\"").append(coordinate(Math.max(0.5, to - from))).append("\" height=\"")
                .append(coordinate(height)).append("\" fill=\"").append(colour).append('"');
        if (opacity < 1) {
            svg.append(" fill-opacity=\"").append(opacity).append('"');
        }
        svg.append("/>\n");
    }

    /** A cross in the text colour: a shape, so it reads without colour vision and in black-and-white print. */
    private static void cross(StringBuilder svg, double x, double y, double r) {
        svg.append("<path class=\"failed\" d=\"M").append(coordinate(x - r)).append(' ').append(coordinate(y - r))
                .append('L').append(coordinate(x + r)).append(' ').append(coordinate(y + r)).append('M')
                .append(coordinate(x - r)).append(' ').append(coordinate(y + r)).append('L')
                .append(coordinate(x + r)).append(' ').append(coordinate(y - r))
                .append("\" stroke=\"currentColor\" stroke-width=\"2\"/>\n");
    }
}
