package dev.tokenbench.load;

import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.measure.RequestMeasurement;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The closed loop: {@code workers} workers share {@code total} requests; each starts its next request when its
 * last one ends, until the requests are all started, the deadline passes, or the run halts. Worker {@code w} runs
 * on lane {@code (home + w) % lanes}, so a target's workers spread over every event loop and neighbouring targets
 * start on different ones.
 */
public final class ClosedLoopDriver implements LoadDriver {
    /** No deadline: the phase ends when its requests are done. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private final Exchanges exchanges;
    private final int step;
    private final int total;
    private final int workers;
    private final long deadlineNanos;
    private final AtomicInteger claimed = new AtomicInteger();
    private final AtomicInteger launched = new AtomicInteger();
    private final AtomicInteger activeWorkers;
    private final AtomicInteger lateStarts = new AtomicInteger();
    private long startAtNanos = OpenLoopDriver.NOW;
    private Runnable whenDone;

    /**
     * @param step          the measured step, or -1 for the warm-up
     * @param total         requests to send, or {@link LoadSpec#UNBOUNDED} (then the deadline ends the phase)
     * @param deadlineNanos {@link System#nanoTime()} after which no request starts, or {@link #NO_DEADLINE}
     */
    public ClosedLoopDriver(Exchanges exchanges, int step, int total, int workers, long deadlineNanos) {
        this.exchanges = exchanges;
        this.step = step;
        this.total = total;
        this.workers = workers;
        this.deadlineNanos = deadlineNanos;
        this.activeWorkers = new AtomicInteger(workers);
    }

    /**
     * Every worker starts its first request at {@code phaseStartNanos} ({@link System#nanoTime()}), not when the
     * driver starts: {@code --start-at}. A worker that gets there {@link OpenLoopDispatcher#LATE_THRESHOLD_NANOS} or
     * more after it counts a late start.
     */
    public ClosedLoopDriver startingAt(long phaseStartNanos) {
        this.startAtNanos = phaseStartNanos;
        return this;
    }

    /** The lane worker {@code worker} runs on. */
    public static int laneOf(int worker, int homeLane, int lanes) {
        return (homeLane + worker) % lanes;
    }

    @Override
    public void start(Runnable whenDone) {
        this.whenDone = whenDone;
        if (total == 0 || workers == 0) {
            whenDone.run();
            return;
        }
        for (int w = 0; w < workers; w++) {
            int lane = laneOf(w, exchanges.homeLane(), exchanges.lanes());
            if (startAtNanos == OpenLoopDriver.NOW) {
                exchanges.execute(lane, () -> next(lane));
            } else {
                exchanges.schedule(lane, Math.max(0, startAtNanos - System.nanoTime()), () -> first(lane));
            }
        }
    }

    /** A worker's first request at the start instant: late when the timer fired late (or the instant was past). */
    private void first(int lane) {
        if (System.nanoTime() - startAtNanos >= OpenLoopDispatcher.LATE_THRESHOLD_NANOS) {
            lateStarts.incrementAndGet();
        }
        next(lane);
    }

    /** On the worker's lane: its next request, or its end. */
    private void next(int lane) {
        boolean over = exchanges.halted()
                || (deadlineNanos != NO_DEADLINE && System.nanoTime() >= deadlineNanos)
                || claimed.getAndIncrement() >= total;
        RequestMeasurement request = over ? null : exchanges.claim(step);
        if (request == null) {
            if (activeWorkers.decrementAndGet() == 0) {
                exchanges.notStarted(step, total == LoadSpec.UNBOUNDED ? 0 : total - launched.get());
                whenDone.run();
            }
            return;
        }
        launched.incrementAndGet();
        exchanges.send(lane, request, () -> next(lane));
    }

    @Override
    public int lateStarts() {
        return lateStarts.get();
    }
}
