package dev.tokenbench.load;

import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.measure.RequestMeasurement;

/**
 * The open loop: one {@link OpenLoopDispatcher} on the target's home lane starts each request at its intended
 * time, on the lanes in turn; a finished request frees its in-flight slot back on the home lane. A request keeps
 * its intended start however late it goes out, so the lateness is measured, never absorbed.
 */
public final class OpenLoopDriver implements LoadDriver {
    /** No start instant given: the phase starts when the driver does. */
    public static final long NOW = Long.MIN_VALUE;

    private final Exchanges exchanges;
    private final int step;
    private final long[] offsets;
    private final int maxInFlight;
    private final int home;
    private OpenLoopDispatcher dispatcher;
    private Runnable whenDone;
    private boolean done;
    private long pendingWakeNanos = Long.MAX_VALUE;
    private int nextLane;
    private int refused;
    private long startAtNanos = NOW;

    /**
     * @param step        the measured step
     * @param offsets     intended starts, nanoseconds from the phase's start ({@link #schedule})
     * @param maxInFlight the most requests under way at once; a start due beyond it waits, and is late
     */
    public OpenLoopDriver(Exchanges exchanges, int step, long[] offsets, int maxInFlight) {
        this.exchanges = exchanges;
        this.step = step;
        this.offsets = offsets;
        this.maxInFlight = maxInFlight;
        this.home = exchanges.homeLane();
    }

    /**
     * Starts the phase's schedule at {@code phaseStartNanos} ({@link System#nanoTime()}) instead of when the driver
     * starts: {@code --start-at}, so shards on several machines line up. A start already past makes every arrival
     * due before now late, and counted so.
     */
    public OpenLoopDriver startingAt(long phaseStartNanos) {
        this.startAtNanos = phaseStartNanos;
        return this;
    }

    /**
     * The intended starts of a phase at {@code rate}: bounded by the load's requests, and its duration if set. A trace
     * replay's are its rows' offsets (speed applied): the rate plays no part.
     */
    public static long[] schedule(LoadSpec load, double rate) {
        if (load.trace() != null) {
            return load.trace().offsetsNanos();
        }
        LoadSpec.OpenLoop open = load.open().withRate(rate);
        return load.duration() == null
                ? ArrivalSchedule.of(open, load.requests())
                : ArrivalSchedule.within(open, load.requests(), load.duration().toNanos());
    }

    @Override
    public void start(Runnable whenDone) {
        this.whenDone = whenDone;
        exchanges.execute(home, this::begin);
    }

    private void begin() {
        long phaseStart = startAtNanos == NOW ? System.nanoTime() : startAtNanos;
        dispatcher = new OpenLoopDispatcher(offsets, phaseStart, maxInFlight, this::startRequest);
        wake();
    }

    /** On the home lane: starts what is due, and sets the timer for what is due next. */
    private void wake() {
        pendingWakeNanos = Long.MAX_VALUE;
        if (exchanges.halted()) {
            finishIfDrained();
            return;
        }
        long next = dispatcher.onWake(System.nanoTime());
        if (next != Long.MAX_VALUE && next < pendingWakeNanos) {
            pendingWakeNanos = next;
            exchanges.schedule(home, Math.max(0, next - System.nanoTime()), this::wake);
        }
        finishIfDrained();
    }

    private void finishIfDrained() {
        boolean noMoreStarts = dispatcher.allStarted() || exchanges.halted();
        if (noMoreStarts && dispatcher.inFlight() == 0 && !done) {
            done = true;
            exchanges.notStarted(step, offsets.length - dispatcher.started() + refused);
            whenDone.run();
        }
    }

    private void startRequest(int ignoredIndex, long intendedNanos) {
        RequestMeasurement request = exchanges.claim(step);
        if (request == null) {
            // The budget is spent: this start and every later one are recorded as not started.
            refused++;
            exchanges.execute(home, this::slotFreed);
            return;
        }
        request.intendedStartNanos = intendedNanos;
        int lane = nextLane;
        while (!exchanges.canSend(lane)) { // fewer in-flight slots than lanes: only some lanes have a pool
            lane = (lane + 1) % exchanges.lanes();
        }
        nextLane = (lane + 1) % exchanges.lanes();
        int sendLane = lane;
        exchanges.execute(sendLane, () -> exchanges.send(sendLane, request,
                () -> exchanges.execute(home, this::slotFreed)));
    }

    private void slotFreed() {
        dispatcher.onFinished();
        wake();
    }

    @Override
    public int lateStarts() {
        return dispatcher == null ? 0 : dispatcher.lateStarts();
    }
}
