package dev.tokenbench.run;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/**
 * The per-target part of run.json's shape ({@link RunJsonSchema}): a target's identity, figures, comparisons against
 * the baseline, steps and failures. Records written by the one mapper, named in snake_case, registered for reflection.
 */
public final class RunJsonTargetSchema {
    private RunJsonTargetSchema() {
    }

    /** A target's identity: what run.json and plan.json both show of it. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TargetIdentity(String name, String api, String model,
            @JsonInclude(JsonInclude.Include.NON_NULL) String deployment, String baseUrl, String httpVersion,
            boolean insecureSkipVerify, Map<String, String> labels) {
        /** TargetIdentity's fields by name, instead of one long positional call. */
        public static Builder builder() {
            return new Builder();
        }

        /** Builds a {@link TargetIdentity} field by field. Unset fields are null, 0 or false. */
        public static final class Builder {
            private String name;
            private String api;
            private String model;
            private String deployment;
            private String baseUrl;
            private String httpVersion;
            private boolean insecureSkipVerify;
            private Map<String, String> labels;

            private Builder() {
            }

            public Builder name(String name) { this.name = name; return this; }
            public Builder api(String api) { this.api = api; return this; }
            public Builder model(String model) { this.model = model; return this; }
            public Builder deployment(String deployment) { this.deployment = deployment; return this; }
            public Builder baseUrl(String baseUrl) { this.baseUrl = baseUrl; return this; }
            public Builder httpVersion(String httpVersion) { this.httpVersion = httpVersion; return this; }
            public Builder insecureSkipVerify(boolean insecureSkipVerify) {
                this.insecureSkipVerify = insecureSkipVerify;
                return this;
            }
            public Builder labels(Map<String, String> labels) { this.labels = labels; return this; }

            /** The one place the canonical constructor is called. */
            public TargetIdentity build() {
                return new TargetIdentity(name, api, model, deployment, baseUrl, httpVersion, insecureSkipVerify,
                        labels);
            }
        }
    }

    /** A target of run.json: its identity and figures; metrics and histograms by metric key. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Target(@JsonUnwrapped TargetIdentity identity, Requests requests, Map<String, Integer> outcomes,
            Goodput goodput, Tokens tokens, Cost costUsd, int lateStarts, int retriedAttempts,
            @JsonInclude(JsonInclude.Include.NON_NULL) String stoppedEarly,
            Connections connections, Map<String, MetricFigures> metrics, Map<String, Histogram> histograms,
            StreamShapeJson streamShape, DialectsJson dialects,
            @JsonInclude(JsonInclude.Include.NON_NULL) ToolCallsJson toolCalls,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<TurnRow> byTurn) {
        /** Target's fields by name, instead of one long positional call. */
        public static Builder builder() {
            return new Builder();
        }

        /** Builds a {@link Target} field by field. Unset fields are null, 0 or false. */
        public static final class Builder {
            private TargetIdentity identity;
            private Requests requests;
            private Map<String, Integer> outcomes;
            private Goodput goodput;
            private Tokens tokens;
            private Cost costUsd;
            private int lateStarts;
            private int retriedAttempts;
            private String stoppedEarly;
            private Connections connections;
            private Map<String, MetricFigures> metrics;
            private Map<String, Histogram> histograms;
            private StreamShapeJson streamShape;
            private DialectsJson dialects;
            private ToolCallsJson toolCalls;
            private List<TurnRow> byTurn;

            private Builder() {
            }

            public Builder identity(TargetIdentity identity) { this.identity = identity; return this; }
            public Builder requests(Requests requests) { this.requests = requests; return this; }
            public Builder outcomes(Map<String, Integer> outcomes) { this.outcomes = outcomes; return this; }
            public Builder goodput(Goodput goodput) { this.goodput = goodput; return this; }
            public Builder tokens(Tokens tokens) { this.tokens = tokens; return this; }
            public Builder costUsd(Cost costUsd) { this.costUsd = costUsd; return this; }
            public Builder lateStarts(int lateStarts) { this.lateStarts = lateStarts; return this; }
            public Builder retriedAttempts(int retriedAttempts) { this.retriedAttempts = retriedAttempts; return this; }
            public Builder stoppedEarly(String stoppedEarly) { this.stoppedEarly = stoppedEarly; return this; }
            public Builder connections(Connections connections) { this.connections = connections; return this; }
            public Builder metrics(Map<String, MetricFigures> metrics) { this.metrics = metrics; return this; }
            public Builder histograms(Map<String, Histogram> histograms) { this.histograms = histograms; return this; }
            public Builder streamShape(StreamShapeJson streamShape) { this.streamShape = streamShape; return this; }
            public Builder dialects(DialectsJson dialects) { this.dialects = dialects; return this; }
            public Builder toolCalls(ToolCallsJson toolCalls) { this.toolCalls = toolCalls; return this; }
            public Builder byTurn(List<TurnRow> byTurn) { this.byTurn = byTurn; return this; }

            /** The one place the canonical constructor is called. */
            public Target build() {
                return new Target(identity, requests, outcomes, goodput, tokens, costUsd, lateStarts,
                        retriedAttempts, stoppedEarly, connections, metrics, histograms, streamShape, dialects,
                        toolCalls, byTurn);
            }
        }
    }

    /**
     * A target's tool calls; absent when none of its requests answered with one.
     *
     * @param requests measured ok requests that answered with at least one tool call
     * @param tokens   their tool-call tokens (arguments, counted with the target's tokenizer)
     */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ToolCallsJson(int requests, long tokens, Double timeToFirstToolCallMsP50,
            Double timeToFirstToolCallMsP99) {
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
     * Each count's source: "provider" when every request's count of that kind is the provider's usage, "estimated"
     * when at least one was counted with the tokenizer (for the output count, {@code estimated} is then true too),
     * absent when no request said (a requests.jsonl from before sources were kept); each request's own sources are in
     * requests.jsonl ({@code *_tokens_source}).
     *
     * @param visibleSource where the visible-token count behind {@code visible_tps} came from
     */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Tokens(long output, long input, long reasoning, boolean estimated, String outputSource,
            String inputSource, String reasoningSource, String visibleSource) {
        public static Builder builder() {
            return new Builder();
        }

        /** Builds {@link Tokens} field by field. Unset fields are 0, false or null. */
        public static final class Builder {
            private long output;
            private long input;
            private long reasoning;
            private boolean estimated;
            private String outputSource;
            private String inputSource;
            private String reasoningSource;
            private String visibleSource;

            private Builder() {
            }

            public Builder counts(long output, long input, long reasoning) {
                this.output = output;
                this.input = input;
                this.reasoning = reasoning;
                return this;
            }

            public Builder estimated(boolean estimated) { this.estimated = estimated; return this; }
            public Builder outputSource(String outputSource) { this.outputSource = outputSource; return this; }
            public Builder inputSource(String inputSource) { this.inputSource = inputSource; return this; }
            public Builder reasoningSource(String source) { this.reasoningSource = source; return this; }
            public Builder visibleSource(String visibleSource) { this.visibleSource = visibleSource; return this; }

            /** The one place the canonical constructor is called. */
            public Tokens build() {
                return new Tokens(output, input, reasoning, estimated, outputSource, inputSource, reasoningSource,
                        visibleSource);
            }
        }
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
        /** MetricFigures's fields by name, instead of one long positional call. */
        public static Builder builder() {
            return new Builder();
        }

        /** Builds a {@link MetricFigures} field by field. Unset fields are null, 0 or false. */
        public static final class Builder {
            private String unit;
            private long count;
            private Double mean;
            private Double min;
            private Double max;
            private Double p50;
            private Double p90;
            private Double p99;
            private Double worst10;
            private Double worst10Mean;

            private Builder() {
            }

            public Builder unit(String unit) { this.unit = unit; return this; }
            public Builder count(long count) { this.count = count; return this; }
            public Builder mean(Double mean) { this.mean = mean; return this; }
            public Builder min(Double min) { this.min = min; return this; }
            public Builder max(Double max) { this.max = max; return this; }
            public Builder p50(Double p50) { this.p50 = p50; return this; }
            public Builder p90(Double p90) { this.p90 = p90; return this; }
            public Builder p99(Double p99) { this.p99 = p99; return this; }
            public Builder worst10(Double worst10) { this.worst10 = worst10; return this; }
            public Builder worst10Mean(Double worst10Mean) { this.worst10Mean = worst10Mean; return this; }

            /** The one place the canonical constructor is called. */
            public MetricFigures build() {
                return new MetricFigures(unit, count, mean, min, max, p50, p90, p99, worst10, worst10Mean);
            }
        }
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
        /** HeadlineComparisonJson's fields by name, instead of one long positional call. */
        public static Builder builder() {
            return new Builder();
        }

        /** Builds a {@link HeadlineComparisonJson} field by field. Unset fields are null, 0 or false. */
        public static final class Builder {
            private String target;
            private String baseline;
            private String metric;
            private String stat;
            private Double targetValue;
            private Double baselineValue;
            private Double slowdown;
            private String verdict;
            private String sentence;
            private SignificanceJson significance;

            private Builder() {
            }

            public Builder target(String target) { this.target = target; return this; }
            public Builder baseline(String baseline) { this.baseline = baseline; return this; }
            public Builder metric(String metric) { this.metric = metric; return this; }
            public Builder stat(String stat) { this.stat = stat; return this; }
            public Builder targetValue(Double targetValue) { this.targetValue = targetValue; return this; }
            public Builder baselineValue(Double baselineValue) { this.baselineValue = baselineValue; return this; }
            public Builder slowdown(Double slowdown) { this.slowdown = slowdown; return this; }
            public Builder verdict(String verdict) { this.verdict = verdict; return this; }
            public Builder sentence(String sentence) { this.sentence = sentence; return this; }
            public Builder significance(SignificanceJson significance) {
                this.significance = significance;
                return this;
            }

            /** The one place the canonical constructor is called. */
            public HeadlineComparisonJson build() {
                return new HeadlineComparisonJson(target, baseline, metric, stat, targetValue, baselineValue,
                        slowdown, verdict, sentence, significance);
            }
        }
    }

    /** @param mannWhitneyP null when the test could not be made */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SignificanceJson(String verdict, int targetSamples, int baselineSamples, Double ci95Low,
            Double ci95High, Double mannWhitneyP, int bootstrapResamples, long bootstrapSeed) {
        /** SignificanceJson's fields by name, instead of one long positional call. */
        public static Builder builder() {
            return new Builder();
        }

        /** Builds a {@link SignificanceJson} field by field. Unset fields are null, 0 or false. */
        public static final class Builder {
            private String verdict;
            private int targetSamples;
            private int baselineSamples;
            private Double ci95Low;
            private Double ci95High;
            private Double mannWhitneyP;
            private int bootstrapResamples;
            private long bootstrapSeed;

            private Builder() {
            }

            public Builder verdict(String verdict) { this.verdict = verdict; return this; }
            public Builder targetSamples(int targetSamples) { this.targetSamples = targetSamples; return this; }
            public Builder baselineSamples(int baselineSamples) { this.baselineSamples = baselineSamples; return this; }
            public Builder ci95Low(Double ci95Low) { this.ci95Low = ci95Low; return this; }
            public Builder ci95High(Double ci95High) { this.ci95High = ci95High; return this; }
            public Builder mannWhitneyP(Double mannWhitneyP) { this.mannWhitneyP = mannWhitneyP; return this; }
            public Builder bootstrapResamples(int bootstrapResamples) {
                this.bootstrapResamples = bootstrapResamples;
                return this;
            }
            public Builder bootstrapSeed(long bootstrapSeed) { this.bootstrapSeed = bootstrapSeed; return this; }

            /** The one place the canonical constructor is called. */
            public SignificanceJson build() {
                return new SignificanceJson(verdict, targetSamples, baselineSamples, ci95Low, ci95High, mannWhitneyP,
                        bootstrapResamples, bootstrapSeed);
            }
        }
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
        /** Step's fields by name, instead of one long positional call. */
        public static Builder builder() {
            return new Builder();
        }

        /** Builds a {@link Step} field by field. Unset fields are null, 0 or false. */
        public static final class Builder {
            private int index;
            private double level;
            private Double wallSeconds;
            private int requests;
            private int ok;
            private int good;
            private Double goodput;
            private Boolean passed;
            private Double requestsPerSecond;
            private Double outputTokensPerSecond;
            private int lateStarts;
            private Map<String, Integer> outcomes;
            private Map<String, StepFigures> figures;

            private Builder() {
            }

            public Builder index(int index) { this.index = index; return this; }
            public Builder level(double level) { this.level = level; return this; }
            public Builder wallSeconds(Double wallSeconds) { this.wallSeconds = wallSeconds; return this; }
            public Builder requests(int requests) { this.requests = requests; return this; }
            public Builder ok(int ok) { this.ok = ok; return this; }
            public Builder good(int good) { this.good = good; return this; }
            public Builder goodput(Double goodput) { this.goodput = goodput; return this; }
            public Builder passed(Boolean passed) { this.passed = passed; return this; }
            public Builder requestsPerSecond(Double requestsPerSecond) {
                this.requestsPerSecond = requestsPerSecond;
                return this;
            }
            public Builder outputTokensPerSecond(Double outputTokensPerSecond) {
                this.outputTokensPerSecond = outputTokensPerSecond;
                return this;
            }
            public Builder lateStarts(int lateStarts) { this.lateStarts = lateStarts; return this; }
            public Builder outcomes(Map<String, Integer> outcomes) { this.outcomes = outcomes; return this; }
            public Builder figures(Map<String, StepFigures> figures) { this.figures = figures; return this; }

            /** The one place the canonical constructor is called. */
            public Step build() {
                return new Step(index, level, wallSeconds, requests, ok, good, goodput, passed, requestsPerSecond,
                        outputTokensPerSecond, lateStarts, outcomes, figures);
            }
        }
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record StepFigures(Double mean, Double p50, Double p90, Double p99, Double worst10) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Failure(String requestId, String target, String outcome, int httpStatus, String error) {
    }

    /**
     * A target's stream shape (measure/StreamShape): figures null when no request had them; examples, the typical and
     * the worst request the report's chart draws (their gaps are kept here only, never in requests.jsonl).
     */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record StreamShapeJson(String verdict, @JsonUnwrapped ShapeFiguresJson figures,
            List<ShapeExampleJson> examples) {
    }

    /** The figures of a stream shape, written beside its verdict. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ShapeFiguresJson(Double tokensPerEventP50, Double tokensPerEventP90, Double eventGapMsP50,
            Double eventGapMsP99, Double pauseShare) {
    }

    /** One charted request: typical or worst, its id, tokens per event, pause share and gaps (µs, in order). */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ShapeExampleJson(String role, String requestId, Double tokensPerEvent, Double pauseShare,
            int[] eventGapsUs) {
    }

    /**
     * A target's TTFT, ITL and TPOT under other tools' definitions (measure/Dialects), and the sums they come from (a
     * merge adds those up).
     */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DialectsJson(DialectJson vllm, DialectJson guidellm, DialectJson aiperf, DialectJson llmperf,
            DialectSumsJson sums) {
    }

    /** One tool's figures in milliseconds; null where it defines none. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DialectJson(Double ttftMs, Double itlMs, Double tpotMs) {
    }

    /** measure/Dialects.Sums as run.json keeps it: per figure, how many requests and their sum. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DialectSumsJson(MeanJson ttftMs, MeanJson timeToFirstOutputMs, MeanJson tpotMs,
            MeanJson e2ePerTokenMs, MeanJson decodeFromFirstOutputMs) {
    }

    /** A count and a sum. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record MeanJson(long count, double sum) {
    }

    /**
     * A conversation run's figures for one turn ({@code targets[].by_turn}): its ok measured requests, TTFT
     * percentiles, and the mean input and cached input tokens, which show a provider's prefix cache at work.
     */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TurnRow(int turn, int requests, Double ttftP50Ms, Double ttftP90Ms, Double meanInputTokens,
            Double meanCachedInputTokens) {
    }
}
