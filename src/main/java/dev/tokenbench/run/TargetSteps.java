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
    /** TargetSteps's fields by name, instead of one long positional call. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link TargetSteps} field by field. Unset fields are null, 0 or false. */
    public static final class Builder {
        private String target;
        private String dimension;
        private boolean search;
        private List<StepResult> steps;
        private double knee;
        private double firstFailing;
        private double goodputTarget;

        private Builder() {
        }

        public Builder target(String target) {
            this.target = target;
            return this;
        }

        public Builder dimension(String dimension) {
            this.dimension = dimension;
            return this;
        }

        public Builder search(boolean search) {
            this.search = search;
            return this;
        }

        public Builder steps(List<StepResult> steps) {
            this.steps = steps;
            return this;
        }

        public Builder knee(double knee) {
            this.knee = knee;
            return this;
        }

        public Builder firstFailing(double firstFailing) {
            this.firstFailing = firstFailing;
            return this;
        }

        public Builder goodputTarget(double goodputTarget) {
            this.goodputTarget = goodputTarget;
            return this;
        }

        /** The one place the canonical constructor is called. */
        public TargetSteps build() {
            return new TargetSteps(target, dimension, search, steps, knee, firstFailing, goodputTarget);
        }
    }
}
