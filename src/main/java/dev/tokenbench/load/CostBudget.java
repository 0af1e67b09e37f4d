package dev.tokenbench.load;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A run's cost cap, shared by every target. A request reserves its projected cost (its prompt's input tokens and
 * its output cap, at the target's prices) before it starts, and is refused when the reservation would take the
 * run past the cap; when it is recorded, the reservation is replaced by what it really cost. So the run stops
 * starting requests before the budget is spent, not after. Lock-free: one compare-and-set per request start.
 */
public final class CostBudget {
    private static final double NANO_USD = 1e-9;

    private final long limitNanoUsd;
    /** Spent (recorded requests) plus reserved (requests in flight), in billionths of a dollar. */
    private final AtomicLong committedNanoUsd = new AtomicLong();
    private volatile boolean exhausted;

    public CostBudget(double limitUsd) {
        this.limitNanoUsd = Math.round(limitUsd / NANO_USD);
    }

    /** Sets aside {@code projectedUsd}; false, and nothing set aside, when that would pass the cap. */
    public boolean tryReserve(double projectedUsd) {
        long want = Math.round(projectedUsd / NANO_USD);
        while (true) {
            long now = committedNanoUsd.get();
            if (now + want > limitNanoUsd) {
                exhausted = true;
                return false;
            }
            if (committedNanoUsd.compareAndSet(now, now + want)) {
                return true;
            }
        }
    }

    /** A request was recorded: its reservation becomes its real cost. */
    public void settle(double reservedUsd, double actualUsd) {
        committedNanoUsd.addAndGet(Math.round(actualUsd / NANO_USD) - Math.round(reservedUsd / NANO_USD));
    }

    /** Once a request has been refused, the run starts no more (a cheaper one might fit, but the run is over). */
    public boolean exhausted() {
        return exhausted;
    }

    public double committedUsd() {
        return committedNanoUsd.get() * NANO_USD;
    }
}
