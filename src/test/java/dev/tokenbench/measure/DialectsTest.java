package dev.tokenbench.measure;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each tool's definitions against values worked out by hand from four requests:
 *
 * <pre>
 *      ttft  first output  e2e   output tokens
 *  a   100   100           1100  11   (e2e−ttft)/(n−1) = 100    e2e/n = 100        (e2e−tfo)/(n−1) = 100
 *  b   200   50            700   6    (700−200)/5 = 100          700/6 = 116.667    (700−50)/5 = 130
 *  c   300   300           1300  5    (1300−300)/4 = 250         1300/5 = 260       250
 *  d   400   400           400   1    none (one token)           400/1 = 400        none
 * </pre>
 *
 * so vLLM's TPOT = GuideLLM's ITL = mean(100, 100, 250) = 150; GuideLLM's TPOT = LLMPerf's ITL =
 * mean(100, 116.667, 260, 400) = 219.1667; AIPerf's ITL = mean(100, 130, 250) = 160; TTFT = mean(100..400) = 250;
 * AIPerf's TTFT (first output) = mean(100, 50, 300, 400) = 212.5. A failed request counts in none of them.
 */
class DialectsTest {
    private static final double EPS = 1e-9;
    private static final Slo SLO = new Slo() {
        @Override
        public Duration ttft() {
            return Duration.ofSeconds(10);
        }

        @Override
        public double streamTokensPerSecond() {
            return 20;
        }
    };

    @Test
    void eachToolsDefinitionFromFourRequests() {
        TargetAggregate aggregate = new TargetAggregate("t", SLO);
        aggregate.add(ok("a", 100, 100, 1100, 11));
        aggregate.add(ok("b", 200, 50, 700, 6));
        aggregate.add(ok("c", 300, 300, 1300, 5));
        aggregate.add(ok("d", 400, 400, 400, 1));
        aggregate.add(RequestRecord.builder().requestId("e").target("t").outcome(Outcome.HTTP_5XX).ttftMs(5)
                .timeToFirstOutputMs(5).e2eLatencyMs(5).outputTokens(3).costUsd(0).build());
        TargetSummary summary = aggregate.summarize();
        Dialects d = Dialects.of(summary);

        assertEquals(250, d.vllm().ttftMs(), EPS);
        assertEquals(150, d.vllm().tpotMs(), EPS);
        assertTrue(Double.isNaN(d.vllm().itlMs()), "no event gaps were recorded: vLLM's pooled ITL is unknown");

        assertEquals(250, d.guidellm().ttftMs(), EPS);
        assertEquals(150, d.guidellm().itlMs(), EPS);
        assertEquals((100 + 700 / 6.0 + 260 + 400) / 4, d.guidellm().tpotMs(), EPS);

        assertEquals(212.5, d.aiperf().ttftMs(), EPS);
        assertEquals(160, d.aiperf().itlMs(), EPS);
        assertTrue(Double.isNaN(d.aiperf().tpotMs()));

        assertEquals(250, d.llmperf().ttftMs(), EPS);
        assertEquals((100 + 700 / 6.0 + 260 + 400) / 4, d.llmperf().itlMs(), EPS);
        assertTrue(Double.isNaN(d.llmperf().tpotMs()));
    }

    @Test
    void vllmItlPoolsEveryGapOfEveryRequest() {
        TargetAggregate aggregate = new TargetAggregate("t", SLO);
        aggregate.add(ok("a", 100, 100, 1100, 11));
        Histogram gaps = new Histogram(3);
        // Request a: 10 gaps of 100 ms; another: 2 gaps of 10 ms. Pooled mean (1000 + 20) / 12 = 85 ms, not the
        // mean of the per-request means (55 ms).
        gaps.recordValueWithCount(100_000, 10);
        gaps.recordValueWithCount(10_000, 2);
        aggregate.addInterTokenLatency(gaps);
        assertEquals(85, Dialects.of(aggregate.summarize()).vllm().itlMs(), 0.1);
    }

    @Test
    void sumsMergeByAdding() {
        Dialects.Sums one = Dialects.Sums.NONE.plus(ok("a", 100, 100, 1100, 11));
        Dialects.Sums two = Dialects.Sums.NONE.plus(ok("b", 200, 50, 700, 6)).plus(ok("d", 400, 400, 400, 1));
        Dialects.Sums all = one.plus(two);
        assertEquals(3, all.e2ePerTokenMs().count());
        assertEquals(100 + 700 / 6.0 + 400, all.e2ePerTokenMs().sum(), 1e-9);
        assertEquals(new Dialects.Mean(2, 230), all.decodeFromFirstOutputMs());
        assertEquals(new Dialects.Mean(3, 700), all.ttftMs());
        assertEquals(new Dialects.Mean(2, 200), all.tpotMs());
    }

    private static RequestRecord ok(String id, double ttftMs, double firstOutputMs, double e2eMs, long tokens) {
        double tpot = tokens > 1 ? (e2eMs - ttftMs) / (tokens - 1) : Double.NaN;
        return RequestRecord.builder().requestId(id).target("t").outcome(Outcome.OK).ttftMs(ttftMs)
                .timeToFirstOutputMs(firstOutputMs).e2eLatencyMs(e2eMs).tpotMs(tpot).outputTokens(tokens)
                .contentEvents((int) tokens).costUsd(0).build();
    }
}
