package dev.tokenbench.measure;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * The live progress display's median TTFT and stream TPS of one target's measured ok requests so far. The record
 * writer's thread, its only writer, records each finished request into a {@link SingleWriterRecorder} (once per
 * record, never per streamed event); the display's thread, its only reader, moves what came in since its last
 * look into its own running totals when it samples. Neither waits for the other.
 */
public final class LiveFigures {
    private static final int SIGNIFICANT_DIGITS = 3;

    private final SingleWriterRecorder ttft = new SingleWriterRecorder(SIGNIFICANT_DIGITS);
    private final SingleWriterRecorder streamTps = new SingleWriterRecorder(SIGNIFICANT_DIGITS);
    /** The reader's: everything sampled so far, and the interval histograms it hands back to be reused. */
    private final Histogram ttftSoFar = new Histogram(SIGNIFICANT_DIGITS);
    private final Histogram streamTpsSoFar = new Histogram(SIGNIFICANT_DIGITS);
    private Histogram ttftInterval;
    private Histogram streamTpsInterval;

    /** The medians so far, NaN while no ok request has finished. */
    public record Snapshot(double p50TtftMs, double p50StreamTps) {
        public static final Snapshot NONE = new Snapshot(Double.NaN, Double.NaN);
    }

    /** A finished request (record writer's thread only): ok measured ones count. */
    public void record(RequestRecord r) {
        if (!r.ok() || r.warmup() || r.retried() || r.leftOutForLag()) {
            return;
        }
        record(ttft, Metric.TTFT_MS, Metric.TTFT_MS.of(r));
        record(streamTps, Metric.STREAM_TPS, Metric.STREAM_TPS.of(r));
    }

    /** The medians of every request recorded so far (one reader thread at a time). */
    public synchronized Snapshot sample() {
        ttftInterval = ttft.getIntervalHistogram(ttftInterval);
        ttftSoFar.add(ttftInterval);
        streamTpsInterval = streamTps.getIntervalHistogram(streamTpsInterval);
        streamTpsSoFar.add(streamTpsInterval);
        return new Snapshot(median(ttftSoFar, Metric.TTFT_MS), median(streamTpsSoFar, Metric.STREAM_TPS));
    }

    private static void record(SingleWriterRecorder recorder, Metric metric, double value) {
        if (!Double.isNaN(value) && value >= 0 && !Double.isInfinite(value)) {
            recorder.recordValue(Math.round(value * metric.histogramScale()));
        }
    }

    private static double median(Histogram histogram, Metric metric) {
        return histogram.getTotalCount() == 0 ? Double.NaN
                : histogram.getValueAtPercentile(50) / metric.histogramScale();
    }
}
