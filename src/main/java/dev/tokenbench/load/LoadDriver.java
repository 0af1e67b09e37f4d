package dev.tokenbench.load;

/** One load model (closed loop, open loop): starts one phase's requests, and says when the last has finished. */
public interface LoadDriver {
    /** Starts the phase; {@code whenDone} runs once, after the last request started has finished. */
    void start(Runnable whenDone);

    /** Starts that went out 1 ms or more after their intended time; read once the phase is done. */
    int lateStarts();
}
