package dev.tokenbench.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.core.Json;
import dev.tokenbench.measure.Comparison;
import dev.tokenbench.measure.Dialects;
import dev.tokenbench.measure.HeadlineComparison;
import dev.tokenbench.measure.HistogramCodec;
import dev.tokenbench.measure.Metric;
import dev.tokenbench.measure.MetricSummary;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.Significance;
import dev.tokenbench.measure.StreamShape;
import dev.tokenbench.measure.Bootstrap;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.measure.TokenSources;
import dev.tokenbench.measure.ToolCallTally.ToolCallSummary;
import dev.tokenbench.measure.TurnFigures;
import dev.tokenbench.run.RunJsonSchema.Load;
import dev.tokenbench.run.RunJsonSchema.OpenLoad;
import dev.tokenbench.run.RunJsonSchema.Plan;
import dev.tokenbench.run.RunJsonSchema.Prompts;
import dev.tokenbench.run.RunJsonSchema.Retries;
import dev.tokenbench.run.RunJsonSchema.RunFile;
import dev.tokenbench.run.RunJsonSchema.Slo;
import dev.tokenbench.run.RunJsonSchema.StepsLoad;
import dev.tokenbench.run.RunJsonTargetSchema.Connections;
import dev.tokenbench.run.RunJsonTargetSchema.Cost;
import dev.tokenbench.run.RunJsonTargetSchema.DialectJson;
import dev.tokenbench.run.RunJsonTargetSchema.DialectSumsJson;
import dev.tokenbench.run.RunJsonTargetSchema.DialectsJson;
import dev.tokenbench.run.RunJsonTargetSchema.Failure;
import dev.tokenbench.run.RunJsonTargetSchema.Goodput;
import dev.tokenbench.run.RunJsonTargetSchema.HeadlineComparisonJson;
import dev.tokenbench.run.RunJsonTargetSchema.Histogram;
import dev.tokenbench.run.RunJsonTargetSchema.MeanJson;
import dev.tokenbench.run.RunJsonTargetSchema.MetricFigures;
import dev.tokenbench.run.RunJsonTargetSchema.Requests;
import dev.tokenbench.run.RunJsonTargetSchema.Search;
import dev.tokenbench.run.RunJsonTargetSchema.ShapeExampleJson;
import dev.tokenbench.run.RunJsonTargetSchema.ShapeFiguresJson;
import dev.tokenbench.run.RunJsonTargetSchema.SignificanceJson;
import dev.tokenbench.run.RunJsonTargetSchema.Step;
import dev.tokenbench.run.RunJsonTargetSchema.StepFigures;
import dev.tokenbench.run.RunJsonTargetSchema.StreamShapeJson;
import dev.tokenbench.run.RunJsonTargetSchema.Target;
import dev.tokenbench.run.RunJsonTargetSchema.ToolCallsJson;
import dev.tokenbench.run.RunJsonTargetSchema.TargetIdentity;
import dev.tokenbench.run.RunJsonTargetSchema.TargetStepsJson;
import dev.tokenbench.run.RunJsonTargetSchema.Tokens;
import dev.tokenbench.run.RunJsonTargetSchema.TurnRow;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * run.json: the run's config (secrets redacted), per-target summaries and encoded histograms, comparisons and
 * failures. The schema is documented in docs/outputs.md; {@link #SCHEMA_VERSION} changes when a field changes
 * meaning or goes away (adding fields does not change it). Built as records ({@link RunJsonSchema}) by the one
 * mapper, then scrubbed of the run's secrets as a tree.
 */
public final class RunJson {
    public static final int SCHEMA_VERSION = 1;
    /** The figures the headline comparisons are made on, as Azure Bench reports them. */
    public static final List<Map.Entry<Metric, String>> HEADLINE = HeadlineComparison.FIGURES;
    /** The figures each step of a sweep or search is summarised by. */
    public static final List<Metric> STEP_METRICS = List.of(Metric.TTFT_MS, Metric.TTFT_FROM_INTENDED_MS,
            Metric.STREAM_TPS, Metric.E2E_LATENCY_MS);
    /** The block that says which shard a run was, or which shards it was merged from. */
    public static final String SHARD_FIELD = "shard";
    private static final ObjectMapper JSON = Json.MAPPER;

    private RunJson() {
    }

    public static ObjectNode toJson(RunResult run, String version) {
        RunPlan plan = run.plan();
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < run.targets().size(); i++) {
            targets.add(target(plan.targets().get(i), run.targets().get(i)));
        }
        List<Failure> failures = new ArrayList<>();
        for (TargetSummary s : run.targets()) {
            for (RequestRecord r : s.failures()) {
                failures.add(new Failure(r.requestId(), r.target(), r.outcome().label(), r.httpStatus(), r.error()));
            }
        }
        RunFile file = RunFile.builder()
                .schemaVersion(SCHEMA_VERSION)
                .tokenbenchVersion(version)
                .probe(Probe.current())
                .runId(run.runId())
                .name(plan.name())
                .benchmarkFile(plan.sourceFile())
                .status(run.status())
                .startedAt(run.startedAt().toString())
                .endedAt(run.endedAt().toString())
                .wallSeconds(number(run.wallSeconds()))
                .clientCpuSeconds(number(run.clientCpuSeconds()))
                .plan(plan(plan))
                .client(ClientHealthJson.of(run.client()))
                .targets(targets)
                .comparisons(comparisons(run))
                .steps(run.steps().isEmpty() ? null : steps(run))
                .failures(failures)
                .build();
        ObjectNode tree = JSON.valueToTree(file);
        if (run.sharding() != null) {
            tree.set(SHARD_FIELD, JSON.valueToTree(sharding(run.sharding())));
        }
        return plan.secrets().scrubTree(tree);
    }

    /** run.json's shard block (see {@link RunJsonSchema.ShardingJson}). */
    static RunJsonSchema.ShardingJson sharding(Sharding s) {
        List<RunJsonSchema.ShardJson> shards = new ArrayList<>();
        for (Sharding.Shard shard : s.shards()) {
            Sharding.ClockOffset c = shard.clock();
            shards.add(new RunJsonSchema.ShardJson(shard.index(), shard.runId(),
                    shard.firstSendAt() == null ? null : shard.firstSendAt().toString(),
                    number(shard.startLatenessMs()), new RunJsonSchema.ClockJson(number(c.offsetMs()),
                            number(c.uncertaintyMs()), c.source())));
        }
        return new RunJsonSchema.ShardingJson(s.group(), s.count(), s.startAt() == null ? null
                : s.startAt().toString(), number(s.startSpreadMs()), shards);
    }

    /**
     * The plan's part of run.json (prompts, load, slo, baseline, redacted config): also what the run directory's
     * plan.json holds from the start, so that {@code report DIR} can rebuild run.json after a crash
     * ({@link RunManifest} reads it back).
     */
    static Plan plan(RunPlan plan) {
        LoadSpec load = plan.load();
        OpenLoad open = load.open() == null ? null : new OpenLoad(load.steps() == null
                ? load.open().ratePerSecond() : null, load.open().arrival(), load.open().seed());
        LoadSpec.Steps steps = load.steps();
        StepsLoad stepsLoad = null;
        if (steps != null && steps.isSearch()) {
            stepsLoad = StepsLoad.builder()
                    .dimension(steps.dimension())
                    .min(steps.min())
                    .max(steps.max())
                    .goodput(steps.goodput())
                    .maxSteps(steps.maxSteps())
                    .resolution(LoadSpec.Steps.RATE.equals(steps.dimension()) ? steps.resolution() : null)
                    .levels(null)
                    .build();
        } else if (steps != null) {
            stepsLoad = StepsLoad.builder()
                    .dimension(steps.dimension())
                    .min(null)
                    .max(null)
                    .goodput(null)
                    .maxSteps(null)
                    .resolution(null)
                    .levels(steps.levels())
                    .build();
        }
        LoadSpec.Retries retries = load.retries();
        Load loadJson = Load.builder()
                .mode(load.mode())
                .concurrency(load.concurrency())
                .requests(load.requests() == LoadSpec.UNBOUNDED ? null : load.requests())
                .warmup(load.warmup())
                .timeoutMs(load.timeout().toMillis())
                .stallTimeoutMs(load.stallTimeout().toMillis())
                .durationMs(load.duration() == null ? null : load.duration().toMillis())
                .open(open)
                .steps(stepsLoad)
                .retries(new Retries(retries.max(), retries.backoff().toMillis(), retries.maxBackoff().toMillis(),
                        retries.honourRetryAfter()))
                .budgetUsd(load.budgetUsd())
                .promptOrder(load.prompts().order())
                .promptSeed(load.prompts().seed())
                .randomPrefix(load.prompts().randomPrefix())
                .trace(load.trace() == null ? null : new RunJsonSchema.TraceLoad(load.trace().source(),
                        load.trace().format(), load.trace().speed(), load.trace().rows()))
                .build();
        return new Plan(new Prompts(plan.prompts().name(), plan.prompts().source(), plan.prompts().prompts().size()),
                loadJson, new Slo(plan.slo().ttft().toMillis(), plan.slo().streamTokensPerSecond()), plan.baseline(),
                plan.redactedConfig() == null ? JSON.createObjectNode() : plan.redactedConfig());
    }

    /** The target's token counts and where each came from (a run.json written before sources were kept: by flag). */
    private static Tokens tokens(TargetSummary s) {
        TokenSources sources = s.tokenSources();
        return Tokens.builder()
                .counts(s.outputTokens(), s.inputTokens(), s.reasoningTokens())
                .estimated(s.tokensEstimated())
                .outputSource(sources.output() != null ? sources.output() : TokenSources.of(!s.tokensEstimated()))
                .inputSource(sources.input())
                .reasoningSource(sources.reasoning())
                .visibleSource(sources.visible())
                .build();
    }

    private static Target target(TargetSpec spec, TargetSummary s) {
        Map<String, MetricFigures> metrics = new LinkedHashMap<>();
        Map<String, Histogram> histograms = new LinkedHashMap<>();
        for (Metric m : Metric.values()) {
            MetricSummary ms = s.metric(m);
            metrics.put(m.key(), MetricFigures.builder()
                    .unit(m.unit())
                    .count(ms.count())
                    .mean(number(ms.mean()))
                    .min(number(ms.min()))
                    .max(number(ms.max()))
                    .p50(number(ms.p50()))
                    .p90(number(ms.p90()))
                    .p99(number(ms.p99()))
                    .worst10(number(ms.worst10()))
                    .worst10Mean(number(ms.worst10Mean()))
                    .build());
            histograms.put(m.key(), new Histogram(HistogramCodec.ENCODING, m.histogramScale(),
                    HistogramCodec.encode(s.histograms().get(m))));
        }
        return Target.builder()
                .identity(identity(spec))
                .requests(new Requests(s.requests(), s.ok(), s.failed(), s.warmups()))
                .outcomes(s.outcomes())
                .goodput(new Goodput(s.good(), s.endedOnTheirOwn(), number(s.goodput())))
                .tokens(tokens(s))
                .costUsd(new Cost(s.costUsd(), unrounded(s.costPerRequestUsd()),
                        unrounded(s.outputTokens() == 0 ? Double.NaN : s.costUsd() / s.outputTokens() * 1e6)))
                .lateStarts(s.lateStarts())
                .retriedAttempts(s.retriedAttempts())
                .stoppedEarly(s.stoppedEarly()) // load/FailFast's words: HTTP statuses and what to check, no value
                .connections(new Connections(s.newConnections(), s.reusedConnections()))
                .metrics(metrics)
                .histograms(histograms)
                .streamShape(streamShape(StreamShape.of(s), s.shapeExamples()))
                .dialects(dialects(s))
                .toolCalls(toolCalls(s.toolCalls()))
                                .byTurn(byTurn(s))
                .build();
    }

    /** A conversation run's rows by turn; empty otherwise (then run.json has no by_turn). */
    static List<TurnRow> byTurn(TargetSummary s) {
        List<TurnRow> rows = new ArrayList<>(s.byTurn().size());
        for (TurnFigures.Turn t : s.byTurn()) {
            rows.add(new TurnRow(t.turn(), t.requests(), number(t.ttftP50Ms()), number(t.ttftP90Ms()),
                    number(Math.round(t.meanInputTokens() * 10) / 10.0),
                    number(Math.round(t.meanCachedInputTokens() * 10) / 10.0)));
        }
        return rows;
    }

    private static ToolCallsJson toolCalls(ToolCallSummary calls) {
        return calls.requests() == 0 ? null : new ToolCallsJson(calls.requests(), calls.tokens(),
                number(calls.timeToFirstToolCallP50Ms()), number(calls.timeToFirstToolCallP99Ms()));
    }

    private static StreamShapeJson streamShape(StreamShape shape, List<RequestRecord> examples) {
        List<ShapeExampleJson> charted = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            RequestRecord r = examples.get(i);
            charted.add(new ShapeExampleJson(i == 0 ? StreamShape.TYPICAL : StreamShape.WORST, r.requestId(),
                    number(r.tokensPerEvent()), number(r.pauseShare()), r.eventGaps().gapsMicros()));
        }
        return new StreamShapeJson(shape.verdict(), new ShapeFiguresJson(number(shape.tokensPerEventP50()),
                number(shape.tokensPerEventP90()), number(shape.eventGapMsP50()), number(shape.eventGapMsP99()),
                number(shape.pauseShare())), charted);
    }

    private static DialectsJson dialects(TargetSummary s) {
        Dialects d = Dialects.of(s);
        Dialects.Sums sums = s.dialectSums();
        return new DialectsJson(dialect(d.vllm()), dialect(d.guidellm()), dialect(d.aiperf()), dialect(d.llmperf()),
                new DialectSumsJson(mean(sums.ttftMs()), mean(sums.timeToFirstOutputMs()), mean(sums.tpotMs()),
                        mean(sums.e2ePerTokenMs()), mean(sums.decodeFromFirstOutputMs())));
    }

    private static MeanJson mean(Dialects.Mean mean) {
        return new MeanJson(mean.count(), mean.sum());
    }

    private static DialectJson dialect(Dialects.Dialect d) {
        return new DialectJson(number(d.ttftMs()), number(d.itlMs()), number(d.tpotMs()));
    }

    /** Per target, each step of a sweep or search: its level, its throughput and its latency, and a search's knee. */
    static List<TargetStepsJson> steps(RunResult run) {
        List<TargetStepsJson> list = new ArrayList<>();
        for (TargetSteps t : run.steps()) {
            List<Step> steps = new ArrayList<>();
            for (StepResult step : t.steps()) {
                TargetSummary s = step.summary();
                Map<String, StepFigures> figures = new LinkedHashMap<>();
                for (Metric m : STEP_METRICS) {
                    MetricSummary ms = s.metric(m);
                    figures.put(m.key(), new StepFigures(number(ms.mean()), number(ms.p50()), number(ms.p90()),
                            number(ms.p99()), number(ms.worst10())));
                }
                steps.add(Step.builder()
                        .index(step.index())
                        .level(step.level())
                        .wallSeconds(number(step.wallSeconds()))
                        .requests(s.requests())
                        .ok(s.ok())
                        .good(s.good())
                        .goodput(number(s.goodput()))
                        .passed(step.passed())
                        .requestsPerSecond(number(step.requestsPerSecond()))
                        .outputTokensPerSecond(number(step.outputTokensPerSecond()))
                        .lateStarts(s.lateStarts())
                        .outcomes(s.outcomes())
                        .figures(figures)
                        .build());
            }
            list.add(new TargetStepsJson(t.target(), t.dimension(), t.search() ? LoadSpec.SEARCH : LoadSpec.SWEEP,
                    t.search() ? new Search(t.goodputTarget(), number(t.knee()), number(t.firstFailing())) : null,
                    steps));
        }
        return list;
    }

    /** A target's identity: what run.json and plan.json both show of it. */
    static TargetIdentity identity(TargetSpec spec) {
        // insecure_skip_verify is said wherever the run's figures go: they were measured against a server nobody
        // verified.
        return TargetIdentity.builder()
                .name(spec.name())
                .api(spec.api())
                .model(spec.model())
                .deployment(spec.deployment())
                .baseUrl(spec.baseUrl())
                .httpVersion(spec.tls().httpVersion())
                .insecureSkipVerify(spec.tls().insecureSkipVerify())
                .labels(spec.labels())
                .build();
    }

    static List<HeadlineComparisonJson> comparisons(RunResult run) {
        List<HeadlineComparisonJson> list = new ArrayList<>();
        for (HeadlineComparison h : headlineOf(run)) {
            Comparison c = h.comparison();
            Significance s = h.significance();
            SignificanceJson significance = SignificanceJson.builder()
                    .verdict(s.kind().label())
                    .targetSamples(s.targetSamples())
                    .baselineSamples(s.baselineSamples())
                    .ci95Low(number(s.ciLow()))
                    .ci95High(number(s.ciHigh()))
                    .mannWhitneyP(Double.isNaN(s.pValue()) ? null : s.pValue())
                    .bootstrapResamples(Bootstrap.DEFAULT_RESAMPLES)
                    .bootstrapSeed(Bootstrap.DEFAULT_SEED)
                    .build();
            list.add(HeadlineComparisonJson.builder()
                    .target(c.target())
                    .baseline(c.baseline())
                    .metric(c.metric().key())
                    .stat(c.stat())
                    .targetValue(number(c.targetValue()))
                    .baselineValue(number(c.baselineValue()))
                    .slowdown(number(c.slowdown()))
                    .verdict(c.verdict())
                    .sentence(h.sentence())
                    .significance(significance)
                    .build());
        }
        return list;
    }

    /** Every non-baseline target against the baseline on the headline figures. */
    public static List<Comparison> comparisonsOf(RunResult run) {
        return headlineOf(run).stream().map(HeadlineComparison::comparison).toList();
    }

    private static final Object HEADLINE_LOCK = new Object();
    private static RunResult headlineRun;
    private static List<HeadlineComparison> headlineCache;

    /**
     * The headline comparisons with their significance: what run.json, the terminal table, report.md and
     * report.html all state, computed in this one place. The bootstraps are the costly part, so the last run's
     * answer is kept (keyed by identity) while its outputs are written one after the other.
     */
    public static List<HeadlineComparison> headlineOf(RunResult run) {
        synchronized (HEADLINE_LOCK) {
            if (headlineRun == run) {
                return headlineCache;
            }
        }
        List<HeadlineComparison> computed = HeadlineComparison.of(run.targets(), run.plan().baseline());
        synchronized (HEADLINE_LOCK) {
            headlineRun = run;
            headlineCache = computed;
        }
        return computed;
    }

    /** Through a .tmp, forced and renamed ({@link DurableFiles}); a failure is a {@link WriteFailure}. */
    public static void write(Path file, ObjectNode json) throws IOException {
        DurableFiles.replace(file, out -> Json.PRETTY.writeValue(out, json));
    }

    /** A figure as run.json writes it: rounded to 3 decimals; null when it could not be computed. */
    /**
     * Costs at full precision: a request costs fractions of a cent, which {@link #number}'s thousandths would write
     * as 0.0 while the reports show $0.0003372. The reports round; run.json does not.
     */
    static Double unrounded(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? null : value;
    }

    static Double number(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? null : round(value);
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
