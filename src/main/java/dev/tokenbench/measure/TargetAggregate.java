package dev.tokenbench.measure;

import dev.tokenbench.config.SloSpec;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one target's measured requests add up to. Single writer: only the record writer's thread calls
 * {@link #add}; other threads read the progress counters through {@link #snapshotProgress()} and take a
 * {@link #summarize} after the writer is done. Inter-token latency arrives from the event loops through a
 * wait-free {@link Recorder}.
 */
public final class TargetAggregate {
    private static final int SIGNIFICANT_DIGITS = 3;
    private static final int FAILURES_KEPT = 50;

    private final String target;
    private final SloSpec slo;
    private final Recorder interTokenLatencyMicros = new Recorder(SIGNIFICANT_DIGITS);
    private final Histogram interTokenLatency = new Histogram(SIGNIFICANT_DIGITS);
    private final Map<Metric, double[]> values = new EnumMap<>(Metric.class);
    private final Map<Metric, Histogram> histograms = new EnumMap<>(Metric.class);
    private final Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    private final List<RequestRecord> failures = new ArrayList<>();
    private long[] sentNanos = new long[16];
    private long[] firstOutputNanos = new long[16];
    private long[] firstTokenNanos = new long[16];
    private long[] endNanos = new long[16];
    private Outcome[] requestOutcomes = new Outcome[16];
    private int measured;
    private int okCount;
    private int good;
    private int warmups;
    private long outputTokens;
    private long inputTokens;
    private long reasoningTokens;
    private double costUsd;
    private int newConnections;
    private int reusedConnections;
    private boolean anyEstimated;
    private int lateStarts;
    private int retriedAttempts;
    /** Measured while the client lagged past {@code --drop-lagged}: done, paid for, in no summary. */
    private int leftOutForLag;

    private volatile Progress progress = new Progress(0, 0, 0);

    /** Counters for the live progress line. */
    public record Progress(int done, int failed, int warmupsDone) {
    }

    public TargetAggregate(String target, SloSpec slo) {
        this.target = target;
        this.slo = slo;
        for (Metric m : Metric.values()) {
            if (m != Metric.ITL_MS) {
                values.put(m, new double[16]);
                histograms.put(m, new Histogram(SIGNIFICANT_DIGITS));
            }
        }
    }

    public String target() {
        return target;
    }

    /** Where the event loops record the gaps between content events. */
    public Recorder interTokenLatencyRecorder() {
        return interTokenLatencyMicros;
    }

    public void add(RequestRecord r) {
        if (r.retried()) {
            // A failed attempt that was retried: the request it belongs to is counted once, by its last attempt.
            retriedAttempts++;
            return;
        }
        if (r.warmup()) {
            warmups++;
            progress = new Progress(measured + leftOutForLag, measured - okCount, warmups);
            return;
        }
        if (r.leftOutForLag()) {
            leftOutForLag++;
            costUsd += r.costUsd();
            progress = new Progress(measured + leftOutForLag, measured - okCount, warmups);
            return;
        }
        int index = measured++;
        outcomes.merge(r.outcome(), 1, Integer::sum);
        if (index >= sentNanos.length) {
            int grown = sentNanos.length * 2;
            sentNanos = Arrays.copyOf(sentNanos, grown);
            firstOutputNanos = Arrays.copyOf(firstOutputNanos, grown);
            firstTokenNanos = Arrays.copyOf(firstTokenNanos, grown);
            endNanos = Arrays.copyOf(endNanos, grown);
            requestOutcomes = Arrays.copyOf(requestOutcomes, grown);
        }
        sentNanos[index] = r.sentNanos();
        firstOutputNanos[index] = r.firstOutputNanos();
        firstTokenNanos[index] = r.firstTokenNanos();
        endNanos[index] = r.endNanos();
        requestOutcomes[index] = r.outcome();
        if (Boolean.TRUE.equals(r.connectionReused())) {
            reusedConnections++;
        } else if (Boolean.FALSE.equals(r.connectionReused())) {
            newConnections++;
        }
        outputTokens += r.outputTokens();
        inputTokens += r.inputTokens();
        reasoningTokens += r.reasoningTokens();
        costUsd += r.costUsd();
        anyEstimated |= r.tokensEstimated();
        if (r.ok()) {
            okCount++;
            if (isGood(r, slo)) {
                good++;
            }
        } else if (failures.size() < FAILURES_KEPT) {
            failures.add(r);
        }
        for (Map.Entry<Metric, double[]> e : values.entrySet()) {
            double v = r.ok() ? e.getKey().of(r) : Double.NaN;
            double[] column = e.getValue();
            if (index >= column.length) {
                column = Arrays.copyOf(column, column.length * 2);
                e.setValue(column);
            }
            column[index] = v;
            if (!Double.isNaN(v) && v >= 0) {
                histograms.get(e.getKey()).recordValue(Math.round(v * e.getKey().histogramScale()));
            }
        }
        progress = new Progress(measured + leftOutForLag, measured - okCount, warmups);
    }

    /** The SLO: usable when ttft and stream TPS both meet it. A failed request is never usable. */
    public static boolean isGood(RequestRecord r, SloSpec slo) {
        double ttftLimitMs = slo.ttft().toNanos() / 1e6;
        return r.ok() && r.ttftMs() <= ttftLimitMs && r.streamTokensPerSecond() >= slo.streamTokensPerSecond();
    }

    /**
     * Inter-token latency recorded elsewhere (a rebuild takes the histogram an earlier run.json stored). Same
     * writer as {@link #add}.
     */
    public void addInterTokenLatency(Histogram recorded) {
        interTokenLatency.add(recorded);
    }

    /** Open loop: starts that went out {@code >= 1 ms} after their intended time (set once, after the phase). */
    public void setLateStarts(int lateStarts) {
        this.lateStarts = lateStarts;
    }

    /** Open loop over several steps: each step's late starts add to the run's. */
    public void addLateStarts(int more) {
        this.lateStarts += more;
    }

    public Progress snapshotProgress() {
        return progress;
    }

    /** Call after the writer has added the last record. */
    public TargetSummary summarize() {
        interTokenLatency.add(interTokenLatencyMicros.getIntervalHistogram());
        Map<Metric, MetricSummary> summaries = new EnumMap<>(Metric.class);
        Map<Metric, Histogram> histogramCopies = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            if (m == Metric.ITL_MS) {
                summaries.put(m, MetricSummary.ofHistogram(interTokenLatency, m.histogramScale(), false));
                histogramCopies.put(m, interTokenLatency.copy());
            } else {
                summaries.put(m, MetricSummary.ofValues(values.get(m), measured, m.higherIsBetter()));
                histogramCopies.put(m, histograms.get(m).copy());
            }
        }
        Map<String, Integer> outcomeCounts = new LinkedHashMap<>();
        for (Outcome o : Outcome.values()) {
            Integer c = outcomes.get(o);
            if (c != null) {
                outcomeCounts.put(o.label(), c);
            }
        }
        return new TargetSummary(target, measured, okCount, warmups, good, outcomeCounts, outputTokens,
                inputTokens, reasoningTokens, costUsd, anyEstimated, newConnections, reusedConnections,
                summaries, histogramCopies, List.copyOf(failures), lateStarts, retriedAttempts,
                RequestSamples.of(values, measured, new RequestSamples.Timeline(Arrays.copyOf(sentNanos, measured),
                        Arrays.copyOf(firstOutputNanos, measured), Arrays.copyOf(firstTokenNanos, measured),
                        Arrays.copyOf(endNanos, measured), Arrays.copyOf(requestOutcomes, measured))));
    }
}
