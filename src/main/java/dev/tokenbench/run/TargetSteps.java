package dev.tokenbench.run;

import java.util.List;

/**
 * The steps one target ran in a sweep or search.
 *
 * @param dimension    {@code concurrency} or {@code rate}
 * @param search       whether the steps were a search (then {@code knee} is its answer)
 * @param knee         search: the highest level whose goodput met the target; NaN when even the lowest failed
 * @param firstFailing search: the lowest level that failed; NaN when none did (the knee is at or above max)
 * @param goodputTarget search: the share of requests that had to meet the SLO
 */
public record TargetSteps(String target, String dimension, boolean search, List<StepResult> steps, double knee,
        double firstFailing, double goodputTarget) {
}
