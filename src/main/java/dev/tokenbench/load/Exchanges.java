package dev.tokenbench.load;

import dev.tokenbench.measure.RequestMeasurement;

/**
 * What a load driver needs from the engine that sends requests, and nothing more: the event loops it may start
 * requests on ("lanes"), a way onto them, and the requests themselves. The engine (run/) implements it on Vert.x;
 * a driver decides only when and where each request starts.
 */
public interface Exchanges {
    /** How many lanes (event loops) there are. */
    int lanes();

    /** The lane the target's own bookkeeping runs on (an open loop's dispatcher). */
    int homeLane();

    /** Whether requests can be sent on {@code lane} (it has a connection pool). */
    boolean canSend(int lane);

    /** Runs {@code task} on the lane's event loop, later. */
    void execute(int lane, Runnable task);

    /** Runs {@code task} on the lane's event loop in {@code delayNanos} (nanosecond deadlines, not milliseconds). */
    void schedule(int lane, long delayNanos, Runnable task);

    /** True once the run starts no more requests (stopped, or its cost budget is spent). */
    boolean halted();

    /**
     * The next request of a phase: its sequence number, prompt and step, its cost set aside; null when the budget
     * cannot cover it (then it is not started, and the budget is spent).
     *
     * @param step the measured step, or -1 for the warm-up
     */
    RequestMeasurement claim(int step);

    /**
     * As {@link #claim}, for the prompt at {@code promptIndex} of the prompt set rather than the one the sequence
     * picks: a conversation's next turn.
     */
    RequestMeasurement claimPrompt(int step, int promptIndex);

    /**
     * Sends a claimed request on {@code lane}; call on that lane's event loop. {@code whenDone} runs on the same
     * loop once its last attempt is recorded.
     */
    void send(int lane, RequestMeasurement request, Runnable whenDone);

    /** Records {@code count} requests the phase was meant to send but did not, when the budget ran out. */
    void notStarted(int step, int count);
}
