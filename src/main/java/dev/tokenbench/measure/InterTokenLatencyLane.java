package dev.tokenbench.measure;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * One event loop's inter-token latency for one target: the loop's {@link SingleWriterRecorder}, and the gap
 * buffers its requests keep their gaps in until their outcome is known, handed back and reused (as HdrHistogram
 * recycles its interval histograms), so a loop that has warmed up allocates nothing per event or per request.
 *
 * <p>Single writer: only its event loop takes, records and gives back; any thread may take the
 * {@link #intervalHistogram() interval histogram}.
 */
public final class InterTokenLatencyLane {
    private static final int SIGNIFICANT_DIGITS = 3;
    private static final int INITIAL_GAPS = 256;
    /** Free buffers kept for reuse: more than a loop's requests in flight at once are rarely handed back. */
    private static final int POOLED = 64;
    /** A buffer grown past this (a very long stream) is left to the GC rather than kept. */
    private static final int LARGEST_POOLED_GAPS = 1 << 16;
    /** Typical-request candidates a loop keeps the gaps of, in expectation, per doubling of its requests. */
    static final int TIMELINE_SAMPLE = 4;

    private final SingleWriterRecorder recorder = new SingleWriterRecorder(SIGNIFICANT_DIGITS);
    private final int[][] free = new int[POOLED][];
    private int freeCount;
    /** Counting requests seen, and the longest gap of any: which requests keep their event gaps for the chart. */
    private long timelineCandidates;
    private long longestGapNanos;
    private long sampleState = 0x9E3779B97F4A7C15L;

    /** A buffer for one request's gaps (in microseconds); give it back with {@link #record}. */
    int[] take() {
        if (freeCount == 0) {
            return new int[INITIAL_GAPS];
        }
        int[] buffer = free[--freeCount];
        free[freeCount] = null;
        return buffer;
    }

    /**
     * The request is over: its {@code count} gaps go to the recorder when {@code counts} (ok, measured), and the
     * buffer back to the pool either way.
     */
    void record(int[] gapMicros, int count, boolean counts) {
        if (counts) {
            for (int i = 0; i < count; i++) {
                recorder.recordValue(gapMicros[i]);
            }
        }
        if (freeCount < POOLED && gapMicros.length <= LARGEST_POOLED_GAPS) {
            free[freeCount++] = gapMicros;
        }
    }

    /**
     * Whether a counting request keeps its gaps for the stream-shape chart: one with the longest gap this loop has
     * seen (a worst-request candidate), or one of a small uniform sample (a typical-request candidate: reservoir
     * odds of {@link #TIMELINE_SAMPLE} in n). O(sample × log n) of a loop's requests keep theirs.
     */
    boolean keepsTimeline(long maxGapNanos) {
        timelineCandidates++;
        if (maxGapNanos > longestGapNanos) {
            longestGapNanos = maxGapNanos;
            return true;
        }
        sampleState ^= sampleState << 13;
        sampleState ^= sampleState >>> 7;
        sampleState ^= sampleState << 17;
        return Long.remainderUnsigned(sampleState, timelineCandidates) < TIMELINE_SAMPLE;
    }

    /** What was recorded since the last call (any thread). */
    public Histogram intervalHistogram() {
        return recorder.getIntervalHistogram();
    }
}
