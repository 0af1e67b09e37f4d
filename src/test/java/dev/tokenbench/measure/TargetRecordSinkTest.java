package dev.tokenbench.measure;

import dev.tokenbench.config.SloSpec;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The sink's steps, merged, against one aggregate fed every record in turn (what the run's figures were before
 * steps had their own aggregates): the same figures, histograms byte for byte, samples in the same order.
 */
class TargetRecordSinkTest {
    private static final SloSpec SLO = SloSpec.DEFAULT;

    @Test
    void stepsMergedAreWhatOneAggregateOfEveryRecordSays() {
        SplittableRandom random = new SplittableRandom(7);
        TargetRecordSink sink = new TargetRecordSink("t", SLO, 2);
        TargetAggregate whole = new TargetAggregate("t", SLO);
        int sequence = 0;
        for (int w = 0; w < 3; w++, sequence++) {
            RequestRecord warmup = SinkFixtures.builder(random, sequence, true, 0).warmup(true).build();
            sink.accept(warmup);
            whole.add(warmup);
        }
        RequestRecord retriedWarmup = SinkFixtures.builder(random, sequence++, false, 0).warmup(true).retried(true)
                .build();
        sink.accept(retriedWarmup);
        whole.add(retriedWarmup);
        int[] sizes = {37, 0, 120, 5};
        int lateStarts = 0;
        int leftOut = 0;
        for (int size : sizes) {
            int step = sink.startStep();
            for (int i = 0; i < size; i++, sequence++) {
                RequestRecord.Builder b = SinkFixtures.builder(random, sequence, random.nextInt(6) != 0, step);
                int kind = random.nextInt(20);
                RequestRecord r = kind == 0 ? b.retried(true).outcome(Outcome.HTTP_429).build()
                        : kind == 1 ? b.leftOutForLag(true).build() : b.build();
                sink.accept(r);
                whole.add(r);
                leftOut += r.leftOutForLag() ? 1 : 0;
            }
            sink.endStep(step, step * 3);
            lateStarts += step * 3;
        }
        whole.setLateStarts(lateStarts);

        TargetSummary merged = sink.summarize();
        TargetSummary expected = whole.summarize();
        assertEquals(expected.requests(), merged.requests());
        assertEquals(expected.ok(), merged.ok());
        assertEquals(expected.warmups(), merged.warmups());
        assertEquals(expected.good(), merged.good());
        assertEquals(expected.outcomes(), merged.outcomes());
        assertEquals(expected.outputTokens(), merged.outputTokens());
        assertEquals(expected.inputTokens(), merged.inputTokens());
        assertEquals(expected.costUsd(), merged.costUsd(), 0.0, "summed in record order, to the last bit");
        assertEquals(expected.newConnections(), merged.newConnections());
        assertEquals(expected.reusedConnections(), merged.reusedConnections());
        assertEquals(expected.failures(), merged.failures());
        assertEquals(expected.lateStarts(), merged.lateStarts());
        assertEquals(expected.retriedAttempts(), merged.retriedAttempts());
        assertEquals(expected.metrics(), merged.metrics());
        for (Metric m : Metric.values()) {
            assertEquals(HistogramCodec.encode(expected.histograms().get(m)),
                    HistogramCodec.encode(merged.histograms().get(m)), m.key());
            assertArrayEquals(expected.samples().values(m), merged.samples().values(m), m.key());
        }
        RequestSamples.Timeline a = expected.samples().timeline();
        RequestSamples.Timeline b = merged.samples().timeline();
        assertArrayEquals(a.sentNanos(), b.sentNanos());
        assertArrayEquals(a.firstTokenNanos(), b.firstTokenNanos());
        assertArrayEquals(a.endNanos(), b.endNanos());
        assertArrayEquals(a.outcomes(), b.outcomes());

        TargetAggregate.Progress progress = sink.progress();
        assertEquals(whole.snapshotProgress(), progress, "the live counters");
        assertEquals(expected.requests() + leftOut, progress.done());
        assertEquals(expected.failed(), progress.failed());
        assertEquals(3, progress.warmupsDone());
    }

    @Test
    void interTokenLatencyCountsOkMeasuredRequestsOnlyFromEveryLoop() {
        TargetRecordSink sink = new TargetRecordSink("t", SLO, 2);
        int step = sink.startStep();
        // Loop 0: an ok request (4 gaps) and a failed one (3 gaps, dropped); loop 1: an ok one (2 gaps), a warm-up
        // and one left out for client lag (dropped).
        streamed(sink.interTokenLatency(0), 5, Outcome.OK, false, false);
        streamed(sink.interTokenLatency(0), 4, Outcome.STALL, false, false);
        streamed(sink.interTokenLatency(1), 3, Outcome.OK, false, false);
        streamed(sink.interTokenLatency(1), 6, Outcome.OK, true, false);
        streamed(sink.interTokenLatency(1), 6, Outcome.OK, false, true);
        TargetSummary stepSummary = sink.endStep(step, 0);
        MetricSummary itl = stepSummary.metric(Metric.ITL_MS);
        assertEquals(6, itl.count());
        assertEquals(2.0, itl.min(), 0.001, "gaps of 2 ms each, in microseconds");

        int next = sink.startStep();
        streamed(sink.interTokenLatency(1), 2, Outcome.OK, false, false);
        assertEquals(1, sink.endStep(next, 0).metric(Metric.ITL_MS).count());
        assertEquals(7, sink.summarize().metric(Metric.ITL_MS).count(), "the run: both steps");
    }

    /** A request with {@code events} content events 2 ms apart, ended with {@code outcome}, on its loop. */
    private static void streamed(InterTokenLatencyLane loop, int events, Outcome outcome, boolean warmup,
            boolean leftOutForLag) {
        RequestMeasurement m = new RequestMeasurement("r", 0, 0, warmup, "p", loop);
        long nanos = 1_000_000;
        for (int e = 0; e < events; e++) {
            nanos += 2_000_000;
            m.onContentEvent(nanos, true);
        }
        if (outcome == Outcome.OK) {
            m.onStreamEnd(nanos);
            m.finish(null, null, nanos);
        } else {
            m.finish(outcome, "no byte", nanos);
        }
        m.leftOutForLag = leftOutForLag;
        m.recordInterTokenLatency();
        m.recordInterTokenLatency(); // at most once, however often it is called
    }
}
