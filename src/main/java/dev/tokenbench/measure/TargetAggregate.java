package dev.tokenbench.measure;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one target's measured requests (of a run, or of one step of it) add up to. Single writer: only the
 * record writer's thread calls {@link #add}; other threads read the progress counters through
 * {@link #snapshotProgress()} and take a {@link #summarize} after the writer is done. Inter-token latency is not
 * in the records: whoever recorded it adds its histogram ({@link #addInterTokenLatency}). Aggregates of
 * consecutive steps {@link #add(TargetAggregate) merge} into the run's.
 */
public final class TargetAggregate {
    private static final int SIGNIFICANT_DIGITS = 3;
    private static final int FAILURES_KEPT = 50;
    private static final int TYPICAL_CANDIDATES = 32;

    private final String target;
    private final Slo slo;
    private final Histogram interTokenLatency = new Histogram(SIGNIFICANT_DIGITS);
    private final Map<Metric, double[]> values = new EnumMap<>(Metric.class);
    private final Map<Metric, Histogram> histograms = new EnumMap<>(Metric.class);
    private final Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    private final List<RequestRecord> failures = new ArrayList<>();
    private final TurnFigures turns = new TurnFigures();
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
    private final TokenSources.Tally sources = new TokenSources.Tally();
    private int lateStarts;
    private int retriedAttempts;
    /** Measured while the client lagged past {@code --drop-lagged}: done, paid for, in no summary. */
    private int leftOutForLag;
    private Dialects.Sums dialectSums = Dialects.Sums.NONE;
    /**
     * Ok requests that kept their event gaps (a few per event loop; requests.jsonl never holds gaps): the worst so far
     * and the first few, among which the stream-shape chart finds a typical one.
     */
    private RequestRecord worstWithGaps;
    private final List<RequestRecord> typicalCandidates = new ArrayList<>();
    /** Set by a rebuild: the requests an earlier run.json charted, kept as they were. */
    private List<RequestRecord> shapeExamples;
    private final ToolCallTally toolCalls = new ToolCallTally();

    private volatile Progress progress = new Progress(0, 0, 0);

    /** Counters for the live progress line. */
    public record Progress(int done, int failed, int warmupsDone) {
    }

    public TargetAggregate(String target, Slo slo) {
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

    public void add(RequestRecord r) {
        turns.add(r);
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
        sources.add(r.tokenSources());
        toolCalls.add(r);
        if (r.ok()) {
            okCount++;
            dialectSums = dialectSums.plus(r);
            keepGaps(r);
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
            record(histograms.get(e.getKey()), e.getKey(), v);
        }
        progress = new Progress(measured + leftOutForLag, measured - okCount, warmups);
    }

    private void keepGaps(RequestRecord r) {
        if (r.eventGaps() == null) {
            return;
        }
        if (worstWithGaps == null || StreamShape.worse(r, worstWithGaps)) {
            worstWithGaps = r;
        }
        if (typicalCandidates.size() < TYPICAL_CANDIDATES && !typicalCandidates.contains(r)) {
            typicalCandidates.add(r);
        }
    }

    private static void record(Histogram histogram, Metric metric, double value) {
        if (!Double.isNaN(value) && value >= 0) {
            histogram.recordValue(Math.round(value * metric.histogramScale()));
        }
    }

    /**
     * Adds everything {@code later} holds, as if its records had been {@link #add added} here after this one's:
     * the aggregates of a run's steps, in step order, merge into the run's. Same writer as {@link #add}.
     */
    public void add(TargetAggregate later) {
        turns.add(later.turns);
        int base = measured;
        int total = base + later.measured;
        if (total > sentNanos.length) {
            int grown = Math.max(total, sentNanos.length * 2);
            sentNanos = Arrays.copyOf(sentNanos, grown);
            firstOutputNanos = Arrays.copyOf(firstOutputNanos, grown);
            firstTokenNanos = Arrays.copyOf(firstTokenNanos, grown);
            endNanos = Arrays.copyOf(endNanos, grown);
            requestOutcomes = Arrays.copyOf(requestOutcomes, grown);
        }
        System.arraycopy(later.sentNanos, 0, sentNanos, base, later.measured);
        System.arraycopy(later.firstOutputNanos, 0, firstOutputNanos, base, later.measured);
        System.arraycopy(later.firstTokenNanos, 0, firstTokenNanos, base, later.measured);
        System.arraycopy(later.endNanos, 0, endNanos, base, later.measured);
        System.arraycopy(later.requestOutcomes, 0, requestOutcomes, base, later.measured);
        for (Map.Entry<Metric, double[]> e : values.entrySet()) {
            double[] column = e.getValue();
            if (total > column.length) {
                column = Arrays.copyOf(column, Math.max(total, column.length * 2));
                e.setValue(column);
            }
            System.arraycopy(later.values.get(e.getKey()), 0, column, base, later.measured);
            // Recorded again in record order rather than Histogram.add: a histogram's header (its highest
            // trackable value) depends on the order it grew in, and run.json stores it byte for byte.
            Histogram histogram = histograms.get(e.getKey());
            for (int i = base; i < total; i++) {
                record(histogram, e.getKey(), column[i]);
            }
        }
        interTokenLatency.add(later.interTokenLatency);
        toolCalls.add(later.toolCalls);
        later.outcomes.forEach((o, c) -> outcomes.merge(o, c, Integer::sum));
        for (RequestRecord failure : later.failures) {
            if (failures.size() < FAILURES_KEPT) {
                failures.add(failure);
            }
        }
        measured = total;
        okCount += later.okCount;
        good += later.good;
        warmups += later.warmups;
        outputTokens += later.outputTokens;
        inputTokens += later.inputTokens;
        reasoningTokens += later.reasoningTokens;
        costUsd += later.costUsd;
        newConnections += later.newConnections;
        reusedConnections += later.reusedConnections;
        anyEstimated |= later.anyEstimated;
        sources.add(later.sources);
        lateStarts += later.lateStarts;
        retriedAttempts += later.retriedAttempts;
        leftOutForLag += later.leftOutForLag;
        dialectSums = dialectSums.plus(later.dialectSums);
        if (later.worstWithGaps != null) {
            keepGaps(later.worstWithGaps);
        }
        for (RequestRecord r : later.typicalCandidates) {
            keepGaps(r);
        }
        progress = new Progress(measured + leftOutForLag, measured - okCount, warmups);
    }

    /**
     * The total cost, when the caller summed it in record order across merged aggregates: a sum of per-step sums
     * can differ from it in the last bit.
     */
    public void setCostUsd(double costUsd) {
        this.costUsd = costUsd;
    }

    /** The SLO: usable when ttft and stream TPS both meet it. A failed request is never usable. */
    public static boolean isGood(RequestRecord r, Slo slo) {
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

    /** A rebuild's charted requests, from the run.json it rebuilds (its records keep no gaps); empty: none. */
    public void setShapeExamples(List<RequestRecord> examples) {
        this.shapeExamples = List.copyOf(examples);
    }

    /** Open loop: starts that went out {@code >= 1 ms} after their intended time (set once, after the phase). */
    public void setLateStarts(int lateStarts) {
        this.lateStarts = lateStarts;
    }

    public Progress snapshotProgress() {
        return progress;
    }

    /**
     * Call after the writer has added the last record. The per-request metrics are summarised from their exact
     * values (the columns), not from their histograms: the histograms keep three significant digits, and the
     * figures run.json prints to the thousandth would move (on the seeded demo run, 265 of its 378 figures differ
     * at the third decimal, e.g. ttft p50 352.054 ms exact against 352.255 ms from the histogram). The histograms
     * are what merges across runs and probes ({@link MetricSummary#ofHistogram}); inter-token latency, which has no
     * column, is summarised from its histogram.
     */
    public TargetSummary summarize() {
        Map<Metric, MetricSummary> summaries = new EnumMap<>(Metric.class);
        Map<Metric, Histogram> histogramCopies = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            if (m == Metric.ITL_MS) {
                // Added in one piece, whatever it was added up from (loops, steps): its header is then the same
                // as that of a histogram added once (what a rebuild from run.json makes).
                Histogram itl = new Histogram(SIGNIFICANT_DIGITS);
                itl.add(interTokenLatency);
                summaries.put(m, MetricSummary.ofHistogram(itl, m.histogramScale(), false));
                histogramCopies.put(m, itl);
            } else {
                Histogram copy = histograms.get(m).copy();
                summaries.put(m, MetricSummary.ofHistogram(copy, m.histogramScale(), m.higherIsBetter()));
                histogramCopies.put(m, copy);
            }
        }
        Map<String, Integer> outcomeCounts = new LinkedHashMap<>();
        for (Outcome o : Outcome.values()) {
            Integer c = outcomes.get(o);
            if (c != null) {
                outcomeCounts.put(o.label(), c);
            }
        }
        return TargetSummary.builder()
                .target(target)
                .requests(measured)
                .ok(okCount)
                .warmups(warmups)
                .good(good)
                .outcomes(outcomeCounts)
                .outputTokens(outputTokens)
                .inputTokens(inputTokens)
                .reasoningTokens(reasoningTokens)
                .costUsd(costUsd)
                .tokensEstimated(anyEstimated)
                .tokenSources(sources.result())
                .newConnections(newConnections)
                .reusedConnections(reusedConnections)
                .metrics(summaries)
                .histograms(histogramCopies)
                .failures(List.copyOf(failures))
                .lateStarts(lateStarts)
                .retriedAttempts(retriedAttempts)
                .dialectSums(dialectSums)
                .shapeExamples(shapeExamples != null ? shapeExamples : StreamShape.examples(typicalCandidates,
                        worstWithGaps, summaries.get(Metric.STREAM_TPS).p50()))
                .toolCalls(toolCalls.summary())
                .samples(RequestSamples.of(values, measured,
                        new RequestSamples.Timeline(Arrays.copyOf(sentNanos, measured),
                                Arrays.copyOf(firstOutputNanos, measured), Arrays.copyOf(firstTokenNanos, measured),
                                Arrays.copyOf(endNanos, measured), Arrays.copyOf(requestOutcomes, measured))))
                .byTurn(turns.summarize())
                .build();
    }
}
