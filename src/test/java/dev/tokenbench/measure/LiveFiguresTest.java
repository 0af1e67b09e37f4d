package dev.tokenbench.measure;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live medians agree with HdrHistogram's own answer over the same values, sampled as the records come. */
class LiveFiguresTest {
    private static RequestRecord record(Outcome outcome, boolean warmup, double ttftMs, double tps) {
        return RequestRecord.builder().requestId("r").target("t").warmup(warmup).outcome(outcome).attempts(1)
                .httpStatus(outcome == Outcome.OK ? 200 : 500).ttftMs(ttftMs).streamTokensPerSecond(tps).build();
    }

    @Test
    void mediansOfOkMeasuredRequestsSoFar() {
        LiveFigures live = new LiveFigures();
        assertTrue(Double.isNaN(live.sample().p50TtftMs()), "nothing yet");
        Histogram ttft = new Histogram(3);
        Histogram tps = new Histogram(3);
        Random random = new Random(17);
        for (int i = 0; i < 2_000; i++) {
            double ttftMs = 50 + random.nextDouble() * 900;
            double streamTps = 5 + random.nextDouble() * 120;
            live.record(record(Outcome.OK, false, ttftMs, streamTps));
            ttft.recordValue(Math.round(ttftMs * 1000));
            tps.recordValue(Math.round(streamTps * 1000));
            // Neither failures nor warm-ups count, whatever their figures.
            live.record(record(Outcome.HTTP_5XX, false, 1e6, 1e6));
            live.record(record(Outcome.OK, true, 1e6, 1e6));
            if (i % 500 == 0) {
                live.sample(); // the reader looks now and then; what it has seen stays counted
            }
        }
        LiveFigures.Snapshot snapshot = live.sample();
        assertEquals(ttft.getValueAtPercentile(50) / 1000.0, snapshot.p50TtftMs(), 1e-9);
        assertEquals(tps.getValueAtPercentile(50) / 1000.0, snapshot.p50StreamTps(), 1e-9);
    }
}
