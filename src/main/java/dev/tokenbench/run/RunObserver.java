package dev.tokenbench.run;

import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.RequestRecord;

import java.util.function.Consumer;
import java.util.function.IntSupplier;

/** Watches a run from outside the hot path: the metrics hook in beside the aggregates. */
public interface RunObserver {

    RunObserver NONE = (benchmark, spec, inFlight) -> null;

    /**
     * Called once per target before its first request.
     *
     * @param benchmark the benchmark's name (the plan's)
     * @param inFlight requests of the target started and not yet recorded (cheap, any thread)
     * @return what sees each of the target's records on the record writer's thread, right after the aggregates
     *         (every attempt, warm-ups and retried attempts included: the record says which), or null
     */
    Consumer<RequestRecord> target(String benchmark, TargetSpec spec, IntSupplier inFlight);
}
