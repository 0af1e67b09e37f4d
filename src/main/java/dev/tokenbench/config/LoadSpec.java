package dev.tokenbench.config;

import java.time.Duration;
import java.util.List;

/**
 * The load block. Closed loop: {@code concurrency} workers per target, each sends its next request when the last
 * one ends. Open loop: requests start on a schedule computed up front ({@link OpenLoop}), independent of
 * responses; {@code concurrency} is then the in-flight cap. Either way a measured phase of {@code requests}
 * requests (or of {@code duration}, whichever ends first) per target follows {@code warmup} uncounted ones.
 * Sweep and search run several measured phases, one per {@link Steps step}, each at its own concurrency or rate.
 *
 * @param requests  measured requests per phase; {@link #UNBOUNDED} when only a duration bounds the phase
 * @param duration  a phase stops starting requests after this long; null: only {@code requests} bounds it
 * @param open      the arrival process of an open loop (for a rate sweep or search: its arrival and seed), else null
 * @param steps     the steps of a sweep or search, null for a single closed or open phase
 * @param retries   what happens after a 429, a 5xx or a connection error; {@link Retries#NONE} by default
 * @param budgetUsd the run's cost cap: no request starts whose projected cost would exceed it; null: no cap
 * @param prompts   the order prompts are sent in, and whether each gets a random prefix
 * @param trace     mode trace: the rows to replay, each at its own offset (an open loop); else null
 * @param dropLagged requests measured while the client's event loop lagged more than this are left out of the
 *                  summaries (as the CLI's {@code --drop-lagged}, which wins when given); null or zero: none is left
 */
public record LoadSpec(
        String mode,
        int concurrency,
        int requests,
        Duration duration,
        int warmup,
        Duration timeout,
        Duration stallTimeout,
        OpenLoop open,
        Steps steps,
        Retries retries,
        Double budgetUsd,
        PromptOrder prompts,
        TraceSpec trace,
        Duration dropLagged) {
    public static final String CLOSED = "closed";
    public static final String OPEN = "open";
    public static final String SWEEP = "sweep";
    public static final String SEARCH = "search";
    public static final String TRACE = "trace";
    public static final int UNBOUNDED = Integer.MAX_VALUE;

    public LoadSpec(String mode, int concurrency, int requests, int warmup, Duration timeout, Duration stallTimeout) {
        this(mode, concurrency, requests, null, warmup, timeout, stallTimeout, null, null, Retries.NONE, null,
                PromptOrder.CYCLE, null, null);
    }

    /** A copy with other steps (tests and the service build plans this way). */
    public LoadSpec withSteps(String mode, Steps steps) {
        return toBuilder()
                .mode(mode)
                .steps(steps)
                .build();
    }

    public LoadSpec withRetries(Retries retries) {
        return toBuilder()
                .retries(retries)
                .build();
    }

    public LoadSpec withBudget(Double budgetUsd) {
        return toBuilder()
                .budgetUsd(budgetUsd)
                .build();
    }

    public LoadSpec withPrompts(PromptOrder prompts) {
        return toBuilder()
                .prompts(prompts)
                .build();
    }

    public LoadSpec withDuration(int requests, Duration duration) {
        return toBuilder()
                .requests(requests)
                .duration(duration)
                .build();
    }

    /**
     * How many measured requests a target will send, for progress lines; 0 when that is not known in advance (a
     * duration-bound phase, a search).
     */
    public int plannedRequests() {
        if (requests == UNBOUNDED || duration != null || (steps != null && steps.isSearch())) {
            return 0;
        }
        return steps == null ? requests : requests * steps.levels().size();
    }

    /** The largest number of requests a target can have in flight at once, over every step. */
    public int maxInFlight() {
        if (steps != null && steps.dimension().equals(Steps.CONCURRENCY)) {
            return (int) steps.highest();
        }
        return concurrency;
    }

    /**
     * @param ratePerSecond mean request starts per second, per target
     * @param arrival       {@code fixed} (evenly spaced) or {@code poisson} (exponential gaps)
     * @param seed          seeds the Poisson gaps: the same seed gives the same schedule
     */
    public record OpenLoop(double ratePerSecond, String arrival, long seed) {
        public static final String FIXED = "fixed";
        public static final String POISSON = "poisson";

        public OpenLoop withRate(double rate) {
            return new OpenLoop(rate, arrival, seed);
        }
    }

    /**
     * The measured phases of a sweep (a fixed list of levels) or a search (levels chosen one after another to find
     * the highest whose SLO goodput stays at or above {@code goodput}).
     *
     * @param dimension  {@code concurrency} (closed-loop phases) or {@code rate} (open-loop phases)
     * @param levels     sweep: the levels, in order; search: empty
     * @param min        search: the lowest level tried
     * @param max        search: the highest level tried
     * @param goodput    search: the share of measured requests that must meet the SLO for a level to pass
     * @param maxSteps   search: at most this many phases
     * @param resolution search over rates: stop when the failing level is within this share above the passing one
     */
    public record Steps(String dimension, List<Double> levels, double min, double max, double goodput, int maxSteps,
            double resolution) {
        public static final String CONCURRENCY = "concurrency";
        public static final String RATE = "rate";

        public static Steps sweep(String dimension, List<Double> levels) {
            return Steps.builder()
                    .dimension(dimension)
                    .levels(List.copyOf(levels))
                    .min(0)
                    .max(0)
                    .goodput(0)
                    .maxSteps(levels.size())
                    .resolution(0)
                    .build();
        }

        public static Steps search(String dimension, double min, double max, double goodput, int maxSteps,
                double resolution) {
            return Steps.builder()
                    .dimension(dimension)
                    .levels(List.of())
                    .min(min)
                    .max(max)
                    .goodput(goodput)
                    .maxSteps(maxSteps)
                    .resolution(resolution)
                    .build();
        }

        public boolean isSearch() {
            return levels.isEmpty();
        }

        public double highest() {
            return isSearch() ? max : levels.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        }

        /** Steps's fields by name, instead of one long positional call. */
        public static Builder builder() {
            return new Builder();
        }

        /** Builds a {@link Steps} field by field. Unset fields are null, 0 or false. */
        public static final class Builder {
            private String dimension;
            private List<Double> levels;
            private double min;
            private double max;
            private double goodput;
            private int maxSteps;
            private double resolution;

            private Builder() {
            }

            public Builder dimension(String dimension) {
                this.dimension = dimension;
                return this;
            }

            public Builder levels(List<Double> levels) {
                this.levels = levels;
                return this;
            }

            public Builder min(double min) {
                this.min = min;
                return this;
            }

            public Builder max(double max) {
                this.max = max;
                return this;
            }

            public Builder goodput(double goodput) {
                this.goodput = goodput;
                return this;
            }

            public Builder maxSteps(int maxSteps) {
                this.maxSteps = maxSteps;
                return this;
            }

            public Builder resolution(double resolution) {
                this.resolution = resolution;
                return this;
            }

            /** The one place the canonical constructor is called. */
            public Steps build() {
                return new Steps(dimension, levels, min, max, goodput, maxSteps, resolution);
            }
        }
    }

    /**
     * Retries after a 429, a 5xx or a connection error: the wait before attempt n+1 is a uniformly random share of
     * {@code backoff × 2^(n-1)} capped at {@code maxBackoff} (exponential backoff with full jitter), or the
     * provider's {@code retry-after} when it sends one and {@code honourRetryAfter} is set.
     *
     * @param max extra attempts after the first; 0: no retries (the default: retries change what TTFT means)
     */
    public record Retries(int max, Duration backoff, Duration maxBackoff, boolean honourRetryAfter) {
        public static final Retries NONE = new Retries(0, Duration.ofSeconds(1), Duration.ofSeconds(30), true);
    }

    /**
     * @param order        {@code cycle} (prompt i mod n) or {@code sample} (a seeded random pick per request)
     * @param seed         seeds the sampling and the prefixes: the same seed sends the same prompts
     * @param randomPrefix put a unique random line before each request's prompt, so no provider can serve it from
     *                     its prompt cache
     */
    public record PromptOrder(String order, long seed, boolean randomPrefix) {
        public static final String CYCLE_ORDER = "cycle";
        public static final String SAMPLE_ORDER = "sample";
        public static final PromptOrder CYCLE = new PromptOrder(CYCLE_ORDER, 1, false);
    }

    /** LoadSpec's fields by name, instead of one long positional call. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this LoadSpec's fields. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Builds a {@link LoadSpec} field by field. Unset fields: retries Retries.NONE, prompts PromptOrder.CYCLE; the
     * rest null, 0 or false.
     */
    public static final class Builder {
        private String mode;
        private int concurrency;
        private int requests;
        private Duration duration;
        private int warmup;
        private Duration timeout;
        private Duration stallTimeout;
        private OpenLoop open;
        private Steps steps;
        private Retries retries = Retries.NONE;
        private Double budgetUsd;
        private PromptOrder prompts = PromptOrder.CYCLE;
        private TraceSpec trace;
        private Duration dropLagged;

        private Builder() {
        }

        private Builder(LoadSpec from) {
            mode = from.mode;
            concurrency = from.concurrency;
            requests = from.requests;
            duration = from.duration;
            warmup = from.warmup;
            timeout = from.timeout;
            stallTimeout = from.stallTimeout;
            open = from.open;
            steps = from.steps;
            retries = from.retries;
            budgetUsd = from.budgetUsd;
            prompts = from.prompts;
            trace = from.trace;
            dropLagged = from.dropLagged;
        }

        public Builder mode(String mode) {
            this.mode = mode;
            return this;
        }

        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        public Builder requests(int requests) {
            this.requests = requests;
            return this;
        }

        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        public Builder warmup(int warmup) {
            this.warmup = warmup;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder stallTimeout(Duration stallTimeout) {
            this.stallTimeout = stallTimeout;
            return this;
        }

        public Builder open(OpenLoop open) {
            this.open = open;
            return this;
        }

        public Builder steps(Steps steps) {
            this.steps = steps;
            return this;
        }

        public Builder retries(Retries retries) {
            this.retries = retries;
            return this;
        }

        public Builder budgetUsd(Double budgetUsd) {
            this.budgetUsd = budgetUsd;
            return this;
        }

        public Builder prompts(PromptOrder prompts) {
            this.prompts = prompts;
            return this;
        }

        public Builder trace(TraceSpec trace) {
            this.trace = trace;
            return this;
        }

        public Builder dropLagged(Duration dropLagged) {
            this.dropLagged = dropLagged;
            return this;
        }

        /** The one place the canonical constructor is called. */
        public LoadSpec build() {
            return new LoadSpec(mode, concurrency, requests, duration, warmup, timeout, stallTimeout, open, steps,
                    retries, budgetUsd, prompts, trace, dropLagged);
        }
    }
}
