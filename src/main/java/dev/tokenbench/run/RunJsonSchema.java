package dev.tokenbench.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tokenbench.run.RunJsonTargetSchema.Failure;
import dev.tokenbench.run.RunJsonTargetSchema.HeadlineComparisonJson;
import dev.tokenbench.run.RunJsonTargetSchema.Target;
import dev.tokenbench.run.RunJsonTargetSchema.TargetIdentity;
import dev.tokenbench.run.RunJsonTargetSchema.TargetStepsJson;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * The shape of run.json and plan.json, as records written by the one mapper ({@code core/Json}): fields in the order
 * declared, named in snake_case. A field that a run may lack (a deployment, an open loop's rate, a sweep's steps) is
 * left out when null; a figure that could not be computed (NaN) is written as null. Registered for reflection, so
 * that the native executable writes the same file (the naming strategy too: Jackson makes it by reflection).
 */
@RegisterForReflection(targets = PropertyNamingStrategies.SnakeCaseStrategy.class)
public final class RunJsonSchema {
    private RunJsonSchema() {
    }

    /** run.json. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RunFile(int schemaVersion, String tokenbenchVersion, String probe, String runId, String name,
            String benchmarkFile, String status, String startedAt, String endedAt, Double wallSeconds,
            Double clientCpuSeconds, @JsonUnwrapped Plan plan, @JsonInclude(JsonInclude.Include.NON_NULL) Client client,
            List<Target> targets, List<HeadlineComparisonJson> comparisons,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<TargetStepsJson> steps, List<Failure> failures) {
        /** RunFile's fields by name, instead of one long positional call. */
        public static Builder builder() {
            return new Builder();
        }

        /** Builds a {@link RunFile} field by field. Unset fields are null, 0 or false. */
        public static final class Builder {
            private int schemaVersion;
            private String tokenbenchVersion;
            private String probe;
            private String runId;
            private String name;
            private String benchmarkFile;
            private String status;
            private String startedAt;
            private String endedAt;
            private Double wallSeconds;
            private Double clientCpuSeconds;
            private Plan plan;
            private Client client;
            private List<Target> targets;
            private List<HeadlineComparisonJson> comparisons;
            private List<TargetStepsJson> steps;
            private List<Failure> failures;

            private Builder() {
            }

            public Builder schemaVersion(int schemaVersion) { this.schemaVersion = schemaVersion; return this; }
            public Builder tokenbenchVersion(String tokenbenchVersion) {
                this.tokenbenchVersion = tokenbenchVersion;
                return this;
            }
            public Builder probe(String probe) { this.probe = probe; return this; }
            public Builder runId(String runId) { this.runId = runId; return this; }
            public Builder name(String name) { this.name = name; return this; }
            public Builder benchmarkFile(String benchmarkFile) { this.benchmarkFile = benchmarkFile; return this; }
            public Builder status(String status) { this.status = status; return this; }
            public Builder startedAt(String startedAt) { this.startedAt = startedAt; return this; }
            public Builder endedAt(String endedAt) { this.endedAt = endedAt; return this; }
            public Builder wallSeconds(Double wallSeconds) { this.wallSeconds = wallSeconds; return this; }
            public Builder clientCpuSeconds(Double clientCpuSeconds) {
                this.clientCpuSeconds = clientCpuSeconds;
                return this;
            }
            public Builder plan(Plan plan) { this.plan = plan; return this; }
            public Builder client(Client client) { this.client = client; return this; }
            public Builder targets(List<Target> targets) { this.targets = targets; return this; }
            public Builder comparisons(List<HeadlineComparisonJson> comparisons) {
                this.comparisons = comparisons;
                return this;
            }
            public Builder steps(List<TargetStepsJson> steps) { this.steps = steps; return this; }
            public Builder failures(List<Failure> failures) { this.failures = failures; return this; }

            /** The one place the canonical constructor is called. */
            public RunFile build() {
                return new RunFile(schemaVersion, tokenbenchVersion, probe, runId, name, benchmarkFile, status,
                        startedAt, endedAt, wallSeconds, clientCpuSeconds, plan, client, targets, comparisons, steps,
                        failures);
            }
        }
    }

    /** plan.json: what {@code report DIR} rebuilds run.json from after a crash. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ManifestFile(int schemaVersion, String tokenbenchVersion, String runId, String name,
            String benchmarkFile, String startedAt, long startNanos, @JsonUnwrapped Plan plan, Exact exact,
            List<PlannedTarget> targets) {
        /** ManifestFile's fields by name, instead of one long positional call. */
        public static Builder builder() {
            return new Builder();
        }

        /** Builds a {@link ManifestFile} field by field. Unset fields are null, 0 or false. */
        public static final class Builder {
            private int schemaVersion;
            private String tokenbenchVersion;
            private String runId;
            private String name;
            private String benchmarkFile;
            private String startedAt;
            private long startNanos;
            private Plan plan;
            private Exact exact;
            private List<PlannedTarget> targets;

            private Builder() {
            }

            public Builder schemaVersion(int schemaVersion) { this.schemaVersion = schemaVersion; return this; }
            public Builder tokenbenchVersion(String tokenbenchVersion) {
                this.tokenbenchVersion = tokenbenchVersion;
                return this;
            }
            public Builder runId(String runId) { this.runId = runId; return this; }
            public Builder name(String name) { this.name = name; return this; }
            public Builder benchmarkFile(String benchmarkFile) { this.benchmarkFile = benchmarkFile; return this; }
            public Builder startedAt(String startedAt) { this.startedAt = startedAt; return this; }
            public Builder startNanos(long startNanos) { this.startNanos = startNanos; return this; }
            public Builder plan(Plan plan) { this.plan = plan; return this; }
            public Builder exact(Exact exact) { this.exact = exact; return this; }
            public Builder targets(List<PlannedTarget> targets) { this.targets = targets; return this; }

            /** The one place the canonical constructor is called. */
            public ManifestFile build() {
                return new ManifestFile(schemaVersion, tokenbenchVersion, runId, name, benchmarkFile, startedAt,
                        startNanos, plan, exact, targets);
            }
        }
    }

    /** The plan's part, in both files. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Plan(Prompts prompts, Load load, Slo slo, String baseline, JsonNode config) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Prompts(String name, String source, int count) {
    }

    /**
     * @param requests null: unbounded (a duration ends the run)
     * @param open     an open loop's arrivals; null for a closed loop
     * @param steps    a sweep's or search's steps; null for a single phase
     */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Load(String mode, int concurrency, Integer requests, int warmup, long timeoutMs,
            long stallTimeoutMs, @JsonInclude(JsonInclude.Include.NON_NULL) Long durationMs,
            @JsonUnwrapped OpenLoad open, @JsonUnwrapped StepsLoad steps, Retries retries,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double budgetUsd, String promptOrder, long promptSeed,
            boolean randomPrefix, @JsonInclude(JsonInclude.Include.NON_NULL) TraceLoad trace) {
        /** Load's fields by name, instead of one long positional call. */
        public static Builder builder() {
            return new Builder();
        }

        /** Builds a {@link Load} field by field. Unset fields are null, 0 or false. */
        public static final class Builder {
            private String mode;
            private int concurrency;
            private Integer requests;
            private int warmup;
            private long timeoutMs;
            private long stallTimeoutMs;
            private Long durationMs;
            private OpenLoad open;
            private StepsLoad steps;
            private Retries retries;
            private Double budgetUsd;
            private String promptOrder;
            private long promptSeed;
            private boolean randomPrefix;
            private TraceLoad trace;

            private Builder() {
            }

            public Builder mode(String mode) { this.mode = mode; return this; }
            public Builder concurrency(int concurrency) { this.concurrency = concurrency; return this; }
            public Builder requests(Integer requests) { this.requests = requests; return this; }
            public Builder warmup(int warmup) { this.warmup = warmup; return this; }
            public Builder timeoutMs(long timeoutMs) { this.timeoutMs = timeoutMs; return this; }
            public Builder stallTimeoutMs(long stallTimeoutMs) { this.stallTimeoutMs = stallTimeoutMs; return this; }
            public Builder durationMs(Long durationMs) { this.durationMs = durationMs; return this; }
            public Builder open(OpenLoad open) { this.open = open; return this; }
            public Builder steps(StepsLoad steps) { this.steps = steps; return this; }
            public Builder retries(Retries retries) { this.retries = retries; return this; }
            public Builder budgetUsd(Double budgetUsd) { this.budgetUsd = budgetUsd; return this; }
            public Builder promptOrder(String promptOrder) { this.promptOrder = promptOrder; return this; }
            public Builder promptSeed(long promptSeed) { this.promptSeed = promptSeed; return this; }
            public Builder randomPrefix(boolean randomPrefix) { this.randomPrefix = randomPrefix; return this; }
            public Builder trace(TraceLoad trace) { this.trace = trace; return this; }

            /** The one place the canonical constructor is called. */
            public Load build() {
                return new Load(mode, concurrency, requests, warmup, timeoutMs, stallTimeoutMs, durationMs, open,
                        steps, retries, budgetUsd, promptOrder, promptSeed, randomPrefix, trace);
            }
        }
    }

    /** Mode trace: the file as the user named it, its format, the replay speed and how many rows were replayed. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TraceLoad(String source, String format, double speed, int rows) {
    }

    /** @param rate null for a sweep or search, whose steps set the rate */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record OpenLoad(@JsonInclude(JsonInclude.Include.NON_NULL) Double rate, String arrival, long seed) {
    }

    /** A search has min to resolution (resolution for a rate only), a sweep its levels. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StepsLoad(@JsonInclude(JsonInclude.Include.ALWAYS) String dimension, Double min, Double max,
            Double goodput, Integer maxSteps, Double resolution, List<Double> levels) {
        /** StepsLoad's fields by name, instead of one long positional call. */
        public static Builder builder() {
            return new Builder();
        }

        /** Builds a {@link StepsLoad} field by field. Unset fields are null, 0 or false. */
        public static final class Builder {
            private String dimension;
            private Double min;
            private Double max;
            private Double goodput;
            private Integer maxSteps;
            private Double resolution;
            private List<Double> levels;

            private Builder() {
            }

            public Builder dimension(String dimension) { this.dimension = dimension; return this; }
            public Builder min(Double min) { this.min = min; return this; }
            public Builder max(Double max) { this.max = max; return this; }
            public Builder goodput(Double goodput) { this.goodput = goodput; return this; }
            public Builder maxSteps(Integer maxSteps) { this.maxSteps = maxSteps; return this; }
            public Builder resolution(Double resolution) { this.resolution = resolution; return this; }
            public Builder levels(List<Double> levels) { this.levels = levels; return this; }

            /** The one place the canonical constructor is called. */
            public StepsLoad build() {
                return new StepsLoad(dimension, min, max, goodput, maxSteps, resolution, levels);
            }
        }
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Retries(int max, long backoffMs, long maxBackoffMs, boolean retryAfter) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Slo(long ttftMs, double streamTps) {
    }

    /** How healthy the client was while it measured. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Client(String verdict, List<String> reasons, Lag eventLoopLagMs, GcPauses gcPauseMs,
            Double cpuThrottledMs, Double cpuSeconds, Double coresAvailable, long lateStarts, long lagAffectedRequests,
            Double dropLaggedMs, long leftOutRequests) {
        /** Client's fields by name, instead of one long positional call. */
        public static Builder builder() {
            return new Builder();
        }

        /** Builds a {@link Client} field by field. Unset fields are null, 0 or false. */
        public static final class Builder {
            private String verdict;
            private List<String> reasons;
            private Lag eventLoopLagMs;
            private GcPauses gcPauseMs;
            private Double cpuThrottledMs;
            private Double cpuSeconds;
            private Double coresAvailable;
            private long lateStarts;
            private long lagAffectedRequests;
            private Double dropLaggedMs;
            private long leftOutRequests;

            private Builder() {
            }

            public Builder verdict(String verdict) { this.verdict = verdict; return this; }
            public Builder reasons(List<String> reasons) { this.reasons = reasons; return this; }
            public Builder eventLoopLagMs(Lag eventLoopLagMs) { this.eventLoopLagMs = eventLoopLagMs; return this; }
            public Builder gcPauseMs(GcPauses gcPauseMs) { this.gcPauseMs = gcPauseMs; return this; }
            public Builder cpuThrottledMs(Double cpuThrottledMs) { this.cpuThrottledMs = cpuThrottledMs; return this; }
            public Builder cpuSeconds(Double cpuSeconds) { this.cpuSeconds = cpuSeconds; return this; }
            public Builder coresAvailable(Double coresAvailable) { this.coresAvailable = coresAvailable; return this; }
            public Builder lateStarts(long lateStarts) { this.lateStarts = lateStarts; return this; }
            public Builder lagAffectedRequests(long lagAffectedRequests) {
                this.lagAffectedRequests = lagAffectedRequests;
                return this;
            }
            public Builder dropLaggedMs(Double dropLaggedMs) { this.dropLaggedMs = dropLaggedMs; return this; }
            public Builder leftOutRequests(long leftOutRequests) {
                this.leftOutRequests = leftOutRequests;
                return this;
            }

            /** The one place the canonical constructor is called. */
            public Client build() {
                return new Client(verdict, reasons, eventLoopLagMs, gcPauseMs, cpuThrottledMs, cpuSeconds,
                        coresAvailable, lateStarts, lagAffectedRequests, dropLaggedMs, leftOutRequests);
            }
        }
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Lag(Double p50, Double p99, Double max) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record GcPauses(Double total, Double max, long count) {
    }

    /** plan.json's exact values, which run.json rounds or leaves out. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Exact(long timeoutNanos, long stallTimeoutNanos, long sloTtftNanos, List<String> promptIds,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxOutputTokens) {
    }

    /** A target of plan.json: its identity, tokenizer and pricing. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PlannedTarget(@JsonUnwrapped TargetIdentity identity, String tokenizer, Pricing pricing) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Pricing(@JsonProperty("input_per_1m") double inputPer1m,
            @JsonProperty("output_per_1m") double outputPer1m) {
    }

    /**
     * run.json's {@code shard} block: which shard of how many a run was, or (a merged run) every shard it was merged
     * from and how far apart their first requests went out.
     *
     * @param startAt       the instant the shards were told to start at (--start-at), null when none
     * @param startSpreadMs merged runs: the latest shard's first measured send minus the earliest's (wall clocks)
     */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ShardingJson(@JsonInclude(JsonInclude.Include.NON_NULL) String group, int count,
            @JsonInclude(JsonInclude.Include.NON_NULL) String startAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double startSpreadMs, List<ShardJson> shards) {
    }

    /**
     * One shard: its index (0-based), run id, first measured send (wall clock, ISO-8601 with nanoseconds), how late
     * that was against --start-at, and its wall clock's offset estimate.
     */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ShardJson(int index, String runId, String firstSendAt, Double startLatenessMs, ClockJson clock) {
    }

    /** @param source what the offset was measured against, or {@code none} (then offset and uncertainty are null) */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ClockJson(Double offsetMs, Double uncertaintyMs, String source) {
    }
}
