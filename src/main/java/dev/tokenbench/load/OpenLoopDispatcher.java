package dev.tokenbench.load;

/**
 * Starts the requests of an open-loop phase at their intended times. It is driven by whoever owns the clock: each
 * {@link #onWake(long)} starts every request whose time has come (counting those that start late, and by how
 * much) and returns when to wake next. No Vert.x in here, so a virtual clock tests it exactly.
 *
 * <p>A request that is due while {@code maxInFlight} are running waits for a slot and starts late: the wait is
 * the client's (or the endpoint's) backlog and is reported as lateness, never hidden by moving the schedule.
 */
public final class OpenLoopDispatcher {
    /** A start counts as late when it is this much behind its intended time. */
    public static final long LATE_THRESHOLD_NANOS = 1_000_000;

    /** Starts request {@code index} (its intended time is {@code phaseStartNanos + offsets[index]}). */
    public interface Starter {
        void start(int index, long intendedNanos);
    }

    private final long[] offsets;
    private final long phaseStartNanos;
    private final int maxInFlight;
    private final Starter starter;
    private int next;
    private int inFlight;
    private int lateStarts;
    private long maxLatenessNanos;

    public OpenLoopDispatcher(long[] offsets, long phaseStartNanos, int maxInFlight, Starter starter) {
        this.offsets = offsets;
        this.phaseStartNanos = phaseStartNanos;
        this.maxInFlight = maxInFlight;
        this.starter = starter;
    }

    /**
     * Starts what is due at {@code nowNanos}. Returns the time to call again, or {@link Long#MAX_VALUE} when
     * nothing is due until a request finishes (all started, or the in-flight cap is reached).
     */
    public long onWake(long nowNanos) {
        while (next < offsets.length && inFlight < maxInFlight) {
            long intended = phaseStartNanos + offsets[next];
            if (intended > nowNanos) {
                return intended;
            }
            long lateness = nowNanos - intended;
            if (lateness >= LATE_THRESHOLD_NANOS) {
                lateStarts++;
            }
            maxLatenessNanos = Math.max(maxLatenessNanos, lateness);
            inFlight++;
            starter.start(next++, intended);
        }
        return Long.MAX_VALUE;
    }

    /** A request ended: a slot is free. Call {@link #onWake(long)} after it. */
    public void onFinished() {
        inFlight--;
    }

    public boolean allStarted() {
        return next == offsets.length;
    }

    public int inFlight() {
        return inFlight;
    }

    public int started() {
        return next;
    }

    public int lateStarts() {
        return lateStarts;
    }

    public long maxLatenessNanos() {
        return maxLatenessNanos;
    }
}
