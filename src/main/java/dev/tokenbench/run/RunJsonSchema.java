package dev.tokenbench.run;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

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
    }

    /** plan.json: what {@code report DIR} rebuilds run.json from after a crash. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ManifestFile(int schemaVersion, String tokenbenchVersion, String runId, String name,
            String benchmarkFile, String startedAt, long startNanos, @JsonUnwrapped Plan plan, Exact exact,
            List<PlannedTarget> targets) {
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
            boolean randomPrefix) {
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
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Retries(int max, long backoffMs, long maxBackoffMs, boolean retryAfter) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Slo(long ttftMs, double streamTps) {
    }

    /** A target's identity: what run.json and plan.json both show of it. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TargetIdentity(String name, String api, String model,
            @JsonInclude(JsonInclude.Include.NON_NULL) String deployment, String baseUrl, String httpVersion,
            boolean insecureSkipVerify, Map<String, String> labels) {
    }

    /** A target of run.json: its identity and figures; metrics and histograms by metric key. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Target(@JsonUnwrapped TargetIdentity identity, Requests requests, Map<String, Integer> outcomes,
            Goodput goodput, Tokens tokens, Cost costUsd, int lateStarts, int retriedAttempts,
            Connections connections, Map<String, MetricFigures> metrics, Map<String, Histogram> histograms) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Requests(int measured, int ok, int failed, int warmup) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Goodput(int good, int total, Double ratio) {
    }

    /**
     * @param outputSource "provider" when every measured request's output count is the provider's usage, "estimated"
     *                     when at least one was counted with the tokenizer ({@code estimated} true); each request's
     *                     own sources are in requests.jsonl ({@code *_tokens_source})
     */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Tokens(long output, long input, long reasoning, boolean estimated, String outputSource) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Cost(double total, Double perRequest,
            @JsonProperty("per_1m_output_tokens") Double per1mOutputTokens) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Connections(@JsonProperty("new") int newConnections, int reused) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record MetricFigures(String unit, long count, Double mean, Double min, Double max, Double p50, Double p90,
            Double p99, Double worst10, Double worst10Mean) {
    }

    /** @param data the histogram, encoded as {@code encoding} says */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Histogram(String encoding, double scale, String data) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record HeadlineComparisonJson(String target, String baseline, String metric, String stat,
            Double targetValue, Double baselineValue, Double slowdown, String verdict, String sentence,
            SignificanceJson significance) {
    }

    /** @param mannWhitneyP null when the test could not be made */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SignificanceJson(String verdict, int targetSamples, int baselineSamples, Double ci95Low,
            Double ci95High, Double mannWhitneyP, int bootstrapResamples, long bootstrapSeed) {
    }

    /** @param search a search's goal and findings; null for a sweep */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TargetStepsJson(String target, String dimension, String kind, @JsonUnwrapped Search search,
            List<Step> steps) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Search(double goodputTarget, Double knee, Double firstFailing) {
    }

    /**
     * One step of a sweep or search.
     *
     * @param passed  whether a search's step met the goodput target; null for a sweep's
     * @param figures the step's figures by metric key, written after the other fields
     */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Step(int index, double level, Double wallSeconds, int requests, int ok, int good, Double goodput,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean passed, Double requestsPerSecond,
            Double outputTokensPerSecond, int lateStarts, Map<String, Integer> outcomes,
            @JsonAnyGetter Map<String, StepFigures> figures) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record StepFigures(Double mean, Double p50, Double p90, Double p99, Double worst10) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Failure(String requestId, String target, String outcome, int httpStatus, String error) {
    }

    /** How healthy the client was while it measured. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Client(String verdict, List<String> reasons, Lag eventLoopLagMs, GcPauses gcPauseMs,
            Double cpuThrottledMs, Double cpuSeconds, Double coresAvailable, long lateStarts, long lagAffectedRequests,
            Double dropLaggedMs, long leftOutRequests) {
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
