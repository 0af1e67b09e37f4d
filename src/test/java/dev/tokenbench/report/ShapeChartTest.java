package dev.tokenbench.report;

import dev.tokenbench.config.SloSpec;
import dev.tokenbench.measure.EventGaps;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.TargetAggregate;
import dev.tokenbench.measure.TargetSummary;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tokens-over-time chart: the typical and the worst of the requests that kept their gaps, a step per event. */
class ShapeChartTest {

    @Test
    void typicalIsNearestTheMedianRateWorstHasTheMostPauseAndEachEventIsAStep() {
        TargetAggregate aggregate = new TargetAggregate("azure<&>", SloSpec.DEFAULT);
        aggregate.add(record("r-fast", 100, 0.0, new int[] {10_000, 10_000, 10_000}));
        aggregate.add(record("r-median", 50, 0.1, new int[] {20_000, 20_000}));
        aggregate.add(record("r-paused", 20, 0.9, new int[] {10_000, 900_000, 10_000, 10_000}));
        aggregate.add(record("r-none", 50, 0.0, null));
        aggregate.add(record("r-slow", 10, 0.2, null));
        TargetSummary s = aggregate.summarize();
        assertEquals(List.of("r-median", "r-paused"), s.shapeExamples().stream().map(RequestRecord::requestId).toList());

        String svg = ShapeChart.render(List.of(s));
        assertTrue(svg.startsWith("<svg") && svg.endsWith("</svg>\n"), svg);
        assertEquals(2, count(svg, "<path "), "one line per request");
        // A step (H then V) per gap: 2 for the typical request, 4 for the worst.
        assertEquals(6, count(svg, " H"));
        assertTrue(svg.contains("stroke-dasharray=\"5 3\""), "the worst request is dashed");
        assertTrue(svg.contains("azure&lt;&amp;&gt;") && !svg.contains("azure<&>"), "names are escaped");
    }

    @Test
    void noChartWithoutKeptGaps() {
        TargetAggregate aggregate = new TargetAggregate("t", SloSpec.DEFAULT);
        aggregate.add(record("r", 50, 0.0, null));
        assertEquals(List.of(), aggregate.summarize().shapeExamples());
        assertNull(ShapeChart.render(List.of(aggregate.summarize())));
    }

    private static RequestRecord record(String id, double streamTps, double pauseShare, int[] gaps) {
        return RequestRecord.builder().requestId(id).target("t").outcome(Outcome.OK).streamTokensPerSecond(streamTps)
                .pauseShare(pauseShare).tokensPerEvent(2).contentEvents(gaps == null ? 3 : gaps.length + 1)
                .outputTokens(gaps == null ? 6 : 2L * (gaps.length + 1)).costUsd(0)
                .eventGaps(gaps == null ? null : new EventGaps(gaps)).build();
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
