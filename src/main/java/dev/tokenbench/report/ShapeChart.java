package dev.tokenbench.report;

import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.StreamShape;
import dev.tokenbench.measure.TargetSummary;

import java.util.ArrayList;
import java.util.List;

import static dev.tokenbench.report.SvgCharts.WIDTH;
import static dev.tokenbench.report.SvgCharts.colour;
import static dev.tokenbench.report.SvgCharts.coordinate;
import static dev.tokenbench.report.SvgCharts.line;
import static dev.tokenbench.report.SvgCharts.text;

/**
 * Tokens over time for a typical and a worst request of each target (the {@link TargetSummary#shapeExamples}): a
 * step per content event, from the request's first output; a smooth stream is a ramp, a chunked one a staircase of
 * tall steps, a buffered one flat runs between bursts. Each step is the request's mean tokens per event (the client
 * times events, not the tokens inside them).
 */
final class ShapeChart {
    private static final int PANEL_HEIGHT = 110;
    private static final int LEFT = 150;

    private ShapeChart() {
    }

    /** Null when no target kept a request's event gaps (a report rebuilt from run.json alone). */
    static String render(List<TargetSummary> targets) {
        List<Integer> shown = new ArrayList<>();
        double longestMs = 0;
        for (int i = 0; i < targets.size(); i++) {
            List<RequestRecord> examples = targets.get(i).shapeExamples();
            if (examples.isEmpty()) {
                continue;
            }
            shown.add(i);
            for (RequestRecord r : examples) {
                longestMs = Math.max(longestMs, streamingMs(r));
            }
        }
        if (shown.isEmpty()) {
            return null;
        }
        int right = WIDTH - 20;
        int top = 24;
        int bottom = top + shown.size() * PANEL_HEIGHT;
        StringBuilder svg = SvgCharts.open("Tokens over time: a typical and a worst request per target", bottom + 50);
        SvgCharts.XAxis x = SvgCharts.linearAxis(Math.max(longestMs, 1), LEFT, right);
        for (double tick : x.ticks()) {
            double px = x.at(tick);
            line(svg, px, top, px, bottom, 0.15, "");
            text(svg, px, bottom + 16, "middle", SvgCharts.durationLabel(tick), 1.0);
        }
        text(svg, (LEFT + right) / 2.0, bottom + 36, "middle",
                "time since the request's first output; height: tokens so far (solid: typical, dashed: worst)", 1.0);
        int panelTop = top;
        for (int i : shown) {
            TargetSummary target = targets.get(i);
            int panelBottom = panelTop + PANEL_HEIGHT - 16;
            line(svg, LEFT, panelBottom, right, panelBottom, 0.6, "");
            text(svg, LEFT - 8, panelTop + 14, "end", SvgCharts.truncate(target.target(), 20), 1.0);
            text(svg, LEFT - 8, panelTop + 30, "end", StreamShape.of(target).verdict(), 0.8);
            List<RequestRecord> examples = target.shapeExamples();
            double mostTokens = 0;
            for (RequestRecord r : examples) {
                mostTokens = Math.max(mostTokens, tokens(r));
            }
            for (int e = 0; e < examples.size(); e++) {
                RequestRecord r = examples.get(e);
                steps(svg, r, x, panelTop + 4, panelBottom, mostTokens, colour(i), e == 0 ? "" : "5 3");
                String label = (e == 0 ? "typical " : "worst ") + r.requestId();
                text(svg, LEFT - 8, panelTop + 46 + 14 * e, "end", SvgCharts.truncate(label, 24), 0.7);
            }
            panelTop += PANEL_HEIGHT;
        }
        return svg.append("</svg>\n").toString();
    }

    private static void steps(StringBuilder svg, RequestRecord r, SvgCharts.XAxis x, int top, int bottom,
            double mostTokens, String colour, String dash) {
        int[] gaps = r.eventGaps().gapsMicros();
        double perEvent = tokens(r) / (gaps.length + 1);
        double scale = mostTokens <= 0 ? 0 : (bottom - top) / mostTokens;
        double ms = 0;
        double tokens = perEvent;
        StringBuilder d = new StringBuilder("M").append(coordinate(x.at(0))).append(' ')
                .append(coordinate(bottom - tokens * scale));
        for (int gap : gaps) {
            ms += gap / 1e3;
            d.append(" H").append(coordinate(x.at(ms)));
            tokens += perEvent;
            d.append(" V").append(coordinate(bottom - tokens * scale));
        }
        svg.append("<path d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(colour)
                .append("\" stroke-width=\"1.5\"");
        if (!dash.isEmpty()) {
            svg.append(" stroke-dasharray=\"").append(dash).append('"');
        }
        svg.append("/>\n");
    }

    /** Tokens the chart spreads over the events: tokens per event × events. */
    private static double tokens(RequestRecord r) {
        double perEvent = Double.isNaN(r.tokensPerEvent()) ? 1 : r.tokensPerEvent();
        return perEvent * (r.eventGaps().gapsMicros().length + 1);
    }

    private static double streamingMs(RequestRecord r) {
        long total = 0;
        for (int gap : r.eventGaps().gapsMicros()) {
            total += gap;
        }
        return total / 1e3;
    }
}
