package dev.tokenbench.measure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where one target's finished requests go: {@link #accept} is called once per record, on the record writer's
 * thread, and feeds the aggregate of the record's step (warm-ups have their own); the run's figures are the step
 * aggregates merged ({@link #summarize}). Inter-token latency is recorded on the event loops, into one
 * {@link InterTokenLatencyLane} (a single-writer recorder) per loop, and moved into a step's aggregate when the step
 * ends.
 *
 * <p>Threads: {@link #startStep} before the step's first request (any thread); {@link #accept},
 * {@link #endStep} and {@link #summarize} on the record writer's thread (or after it is done);
 * {@link #progress} and {@link #stepsBegun} anywhere; {@link #sampleLive} on the live display's thread.
 */
public final class TargetRecordSink {
    private final String target;
    private final Slo slo;
    private final TargetAggregate warmups;
    private final List<TargetAggregate> steps = new CopyOnWriteArrayList<>();
    private final InterTokenLatencyLane[] interTokenLatencyPerLoop;
    /** The run's cost, summed in record order (see {@link TargetAggregate#setCostUsd}). */
    private double costUsd;
    private int done;
    private int failed;
    private int warmupsDone;
    private volatile TargetAggregate.Progress progress = new TargetAggregate.Progress(0, 0, 0);
    private final LiveFigures live = new LiveFigures();

    /** @param eventLoops how many event loops run this target's requests: one recorder each */
    public TargetRecordSink(String target, Slo slo, int eventLoops) {
        this.target = target;
        this.slo = slo;
        this.warmups = new TargetAggregate(target, slo);
        this.interTokenLatencyPerLoop = new InterTokenLatencyLane[eventLoops];
        for (int i = 0; i < eventLoops; i++) {
            interTokenLatencyPerLoop[i] = new InterTokenLatencyLane();
        }
    }

    public String target() {
        return target;
    }

    /** Where the requests on event loop {@code loop} keep and record their gaps (that loop is its only writer). */
    public InterTokenLatencyLane interTokenLatency(int loop) {
        return interTokenLatencyPerLoop[loop];
    }

    /** A new measured step; returns its index (the {@code step} of its records). */
    public int startStep() {
        steps.add(new TargetAggregate(target, slo));
        return steps.size() - 1;
    }

    /** One finished attempt (warm-ups and retried attempts included: the record says which). */
    public void accept(RequestRecord record) {
        if (record.warmup()) {
            warmups.add(record);
        } else {
            steps.get(record.step()).add(record);
        }
        if (record.retried()) {
            return;
        }
        live.record(record);
        if (record.warmup()) {
            warmupsDone++;
        } else {
            done++;
            if (!record.ok() && !record.leftOutForLag()) {
                failed++;
            }
            costUsd += record.costUsd();
        }
        progress = new TargetAggregate.Progress(done, failed, warmupsDone);
    }

    /**
     * The step is over and its last record accepted: its inter-token latency is moved in from the event loops
     * and its summary taken.
     *
     * @param lateStarts open loop: the step's starts that went out late
     */
    public TargetSummary endStep(int step, int lateStarts) {
        TargetAggregate aggregate = steps.get(step);
        drainInterTokenLatencyInto(aggregate);
        aggregate.setLateStarts(lateStarts);
        return aggregate.summarize();
    }

    /** The run's figures: the warm-ups and every step, merged. */
    public TargetSummary summarize() {
        TargetAggregate run = new TargetAggregate(target, slo);
        run.add(warmups);
        for (TargetAggregate step : steps) {
            run.add(step);
        }
        // Gaps recorded after the last step ended (none in a run that ends normally) count for the run.
        drainInterTokenLatencyInto(run);
        run.setCostUsd(costUsd);
        return run.summarize();
    }

    public TargetAggregate.Progress progress() {
        return progress;
    }

    /** The live display's medians (its thread only: see {@link LiveFigures}). */
    public LiveFigures.Snapshot sampleLive() {
        return live.sample();
    }

    /** The measured steps begun so far: 1 in a single-phase run once it has begun, 0 during the warm-up. */
    public int stepsBegun() {
        return steps.size();
    }

    private void drainInterTokenLatencyInto(TargetAggregate aggregate) {
        for (InterTokenLatencyLane lane : interTokenLatencyPerLoop) {
            aggregate.addInterTokenLatency(lane.intervalHistogram());
        }
    }
}
