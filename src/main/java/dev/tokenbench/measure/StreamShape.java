package dev.tokenbench.measure;

import java.util.List;
import java.util.Locale;

/**
 * What a target's streams look like, named: how many tokens an event carries, how far apart events are, and how
 * much of the streaming time is spent in long pauses; and a verdict (docs/metrics.md, "Stream shape").
 *
 * <p>Everything comes from the target's histograms ({@link Metric#TOKENS_PER_EVENT}, {@link Metric#ITL_MS},
 * {@link Metric#PAUSE_SHARE}), so a run rebuilt from run.json or merged from shards gets its shape the same way.
 *
 * @param verdict           {@link #SMOOTH}, {@link #CHUNKED}, {@link #BUFFERED}, {@link #STALLING}, or
 *                          {@link #UNKNOWN} when no ok request streamed two events
 * @param tokensPerEventP50 over ok requests: output tokens / content events of each
 * @param tokensPerEventP90 the same, 90th percentile
 * @param eventGapMsP50     gaps between consecutive content events, over every gap of every ok request (the ITL
 *                          histogram)
 * @param eventGapMsP99     the same, 99th percentile
 * @param pauseShare        mean over ok requests of the share of their streaming time (first output to last content
 *                          event) spent in long gaps
 */
public record StreamShape(String verdict, double tokensPerEventP50, double tokensPerEventP90, double eventGapMsP50,
        double eventGapMsP99, double pauseShare) {

    public static final String SMOOTH = "smooth";
    public static final String CHUNKED = "chunked";
    public static final String BUFFERED = "buffered";
    public static final String STALLING = "stalling";
    public static final String UNKNOWN = "unknown";
    /** The roles of the two charted requests ({@link #examples}). */
    public static final String TYPICAL = "typical";
    public static final String WORST = "worst";

    /** A gap is a pause from this long on, whatever the stream's pace. */
    public static final long PAUSE_FLOOR_MICROS = 250_000;
    /** ... and only when it is this many times the request's own median gap (a slow, steady stream never pauses). */
    public static final int PAUSE_MEDIAN_MULTIPLE = 5;
    /** A target whose median request carries this many tokens per event or more streams in chunks. */
    public static final double CHUNKED_TOKENS_PER_EVENT = 1.5;
    /** A target whose requests spend this share of their streaming time in pauses or more is paused. */
    public static final double PAUSED_SHARE = 0.2;

    /** The shape of one target's figures. */
    public static StreamShape of(TargetSummary summary) {
        MetricSummary tokensPerEvent = summary.metric(Metric.TOKENS_PER_EVENT);
        MetricSummary gaps = summary.metric(Metric.ITL_MS);
        MetricSummary pauses = summary.metric(Metric.PAUSE_SHARE);
        double pauseShare = pauses.count() == 0 ? Double.NaN : pauses.mean();
        double p50 = tokensPerEvent.count() == 0 ? Double.NaN : tokensPerEvent.p50();
        return new StreamShape(verdict(p50, pauseShare), p50,
                tokensPerEvent.count() == 0 ? Double.NaN : tokensPerEvent.p90(),
                gaps.count() == 0 ? Double.NaN : gaps.p50(), gaps.count() == 0 ? Double.NaN : gaps.p99(), pauseShare);
    }

    /**
     * The verdict: chunked when the median request carries {@link #CHUNKED_TOKENS_PER_EVENT} tokens per event or
     * more, paused when the mean pause share is {@link #PAUSED_SHARE} or more; neither: smooth, chunked alone:
     * chunked, both: buffered (content-filter style), paused alone: stalling. Unknown without both figures.
     */
    public static String verdict(double tokensPerEventP50, double pauseShare) {
        if (Double.isNaN(tokensPerEventP50) || Double.isNaN(pauseShare)) {
            return UNKNOWN;
        }
        boolean chunked = tokensPerEventP50 >= CHUNKED_TOKENS_PER_EVENT;
        boolean paused = pauseShare >= PAUSED_SHARE;
        if (chunked) {
            return paused ? BUFFERED : CHUNKED;
        }
        return paused ? STALLING : SMOOTH;
    }

    /**
     * The time one request spent in pauses: the sum of its gaps at or over {@link #pauseThresholdMicros}. Reorders
     * {@code gapMicros[0, count)} (a selection for the median) and allocates nothing: called once per request, on
     * its event loop, with the gaps it kept anyway.
     */
    static long pauseMicros(int[] gapMicros, int count) {
        if (count == 0) {
            return 0;
        }
        long threshold = pauseThresholdMicros(select(gapMicros, count, (count - 1) / 2));
        long paused = 0;
        for (int i = 0; i < count; i++) {
            if (gapMicros[i] >= threshold) {
                paused += gapMicros[i];
            }
        }
        return paused;
    }

    /** The gap that counts as a pause in a request whose median gap is {@code medianGapMicros}. */
    public static long pauseThresholdMicros(long medianGapMicros) {
        return Math.max(PAUSE_FLOOR_MICROS, PAUSE_MEDIAN_MULTIPLE * medianGapMicros);
    }

    /** The k-th smallest of values[0, count) (Hoare's selection, in place). */
    private static int select(int[] values, int count, int k) {
        int lo = 0;
        int hi = count - 1;
        while (lo < hi) {
            int pivot = values[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (values[i] < pivot) {
                    i++;
                }
                while (values[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    int t = values[i];
                    values[i] = values[j];
                    values[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return values[k];
            }
        }
        return values[k];
    }

    /**
     * A typical and a worst request of those that kept their event gaps: typical, the candidate whose stream TPS is
     * nearest the target's median; worst, the one with the highest pause share (then the longest stall). One when
     * they are the same request; none when no request kept its gaps.
     */
    public static List<RequestRecord> examples(List<RequestRecord> candidates, RequestRecord worst,
            double medianStreamTps) {
        RequestRecord typical = null;
        for (RequestRecord r : candidates) {
            if (typical == null || distance(r, medianStreamTps) < distance(typical, medianStreamTps)) {
                typical = r;
            }
        }
        if (typical == null) {
            return worst == null ? List.of() : List.of(worst);
        }
        return worst == null || typical == worst ? List.of(typical) : List.of(typical, worst);
    }

    private static double distance(RequestRecord r, double medianStreamTps) {
        double d = Math.abs(r.streamTokensPerSecond() - medianStreamTps);
        return Double.isNaN(d) ? Double.MAX_VALUE : d;
    }

    /** Whether {@code a} paused more than {@code b} (a larger pause share, then a longer stall). */
    static boolean worse(RequestRecord a, RequestRecord b) {
        double pa = Double.isNaN(a.pauseShare()) ? -1 : a.pauseShare();
        double pb = Double.isNaN(b.pauseShare()) ? -1 : b.pauseShare();
        if (pa != pb) {
            return pa > pb;
        }
        return a.maxStallMs() > b.maxStallMs();
    }

    /** One sentence for the reports, e.g. "smooth: 1.0 tokens per event (p90 1.0), events 20.0 ms apart ...". */
    public String sentence() {
        if (UNKNOWN.equals(verdict)) {
            return "stream shape unknown: no ok request streamed two content events";
        }
        return String.format(Locale.ROOT, "%s: %.1f tokens per event at the median request (p90 %.1f), events "
                        + "%.1f ms apart at the median gap (p99 %.1f ms), %.0f%% of streaming time in long pauses",
                verdict, tokensPerEventP50, tokensPerEventP90, eventGapMsP50, eventGapMsP99, pauseShare * 100);
    }
}
