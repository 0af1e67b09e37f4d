package dev.tokenbench.run;

import dev.tokenbench.core.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.Comparison;
import dev.tokenbench.measure.HeadlineComparison;
import dev.tokenbench.measure.HistogramCodec;
import dev.tokenbench.measure.Metric;
import dev.tokenbench.measure.MetricSummary;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.Significance;
import dev.tokenbench.measure.Bootstrap;
import dev.tokenbench.measure.TargetSummary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * run.json: the run's config (secrets redacted), per-target summaries and encoded histograms, comparisons and
 * failures. The schema is documented in the README; {@link #SCHEMA_VERSION} changes when a field changes
 * meaning or goes away (adding fields does not change it). Built as a tree, no reflection.
 */
public final class RunJson {
    public static final int SCHEMA_VERSION = 1;
    /** The figures the headline comparisons are made on, as Azure Bench reports them. */
    public static final List<Map.Entry<Metric, String>> HEADLINE = HeadlineComparison.FIGURES;
    /** The figures each step of a sweep or search is summarised by. */
    public static final List<Metric> STEP_METRICS = List.of(Metric.TTFT_MS, Metric.TTFT_FROM_INTENDED_MS,
            Metric.STREAM_TPS, Metric.E2E_LATENCY_MS);
    private static final ObjectMapper JSON = Json.MAPPER;

    private RunJson() {
    }

    public static ObjectNode toJson(RunResult run, String version) {
        RunPlan plan = run.plan();
        ObjectNode root = JSON.createObjectNode();
        root.put("schema_version", SCHEMA_VERSION);
        root.put("tokenbench_version", version);
        root.put("probe", Probe.current());
        root.put("run_id", run.runId());
        root.put("name", plan.name());
        root.put("benchmark_file", plan.sourceFile());
        root.put("status", run.status());
        root.put("started_at", run.startedAt().toString());
        root.put("ended_at", run.endedAt().toString());
        putNumber(root, "wall_seconds", run.wallSeconds());
        putNumber(root, "client_cpu_seconds", run.clientCpuSeconds());
        putPlan(root, plan);
        ClientHealthJson.put(root, run.client());

        ArrayNode targets = root.putArray("targets");
        for (int i = 0; i < run.targets().size(); i++) {
            targets.add(target(plan.targets().get(i), run.targets().get(i)));
        }
        root.set("comparisons", comparisons(run));
        if (!run.steps().isEmpty()) {
            root.set("steps", steps(run));
        }
        ArrayNode failures = root.putArray("failures");
        for (TargetSummary s : run.targets()) {
            for (RequestRecord r : s.failures()) {
                ObjectNode f = failures.addObject();
                f.put("request_id", r.requestId());
                f.put("target", r.target());
                f.put("outcome", r.outcome().label());
                f.put("http_status", r.httpStatus());
                f.put("error", r.error());
            }
        }
        return plan.secrets().scrubTree(root);
    }

    /**
     * The plan's part of run.json (prompts, load, slo, baseline, redacted config): also what the run directory's
     * plan.json holds from the start, so that {@code report DIR} can rebuild run.json after a crash
     * ({@link RunManifest} reads it back).
     */
    static void putPlan(ObjectNode root, RunPlan plan) {
        ObjectNode prompts = root.putObject("prompts");
        prompts.put("name", plan.prompts().name());
        prompts.put("source", plan.prompts().source());
        prompts.put("count", plan.prompts().prompts().size());
        ObjectNode load = root.putObject("load");
        load.put("mode", plan.load().mode());
        load.put("concurrency", plan.load().concurrency());
        load.put("requests", plan.load().requests());
        load.put("warmup", plan.load().warmup());
        load.put("timeout_ms", plan.load().timeout().toMillis());
        load.put("stall_timeout_ms", plan.load().stallTimeout().toMillis());
        if (plan.load().duration() != null) {
            load.put("duration_ms", plan.load().duration().toMillis());
        }
        if (plan.load().requests() == LoadSpec.UNBOUNDED) {
            load.putNull("requests");
        }
        if (plan.load().open() != null) {
            if (plan.load().steps() == null) {
                load.put("rate", plan.load().open().ratePerSecond());
            }
            load.put("arrival", plan.load().open().arrival());
            load.put("seed", plan.load().open().seed());
        }
        LoadSpec.Steps steps = plan.load().steps();
        if (steps != null) {
            load.put("dimension", steps.dimension());
            if (steps.isSearch()) {
                load.put("min", steps.min());
                load.put("max", steps.max());
                load.put("goodput", steps.goodput());
                load.put("max_steps", steps.maxSteps());
                if (LoadSpec.Steps.RATE.equals(steps.dimension())) {
                    load.put("resolution", steps.resolution());
                }
            } else {
                ArrayNode levels = load.putArray("levels");
                steps.levels().forEach(levels::add);
            }
        }
        LoadSpec.Retries retries = plan.load().retries();
        ObjectNode retryNode = load.putObject("retries");
        retryNode.put("max", retries.max());
        retryNode.put("backoff_ms", retries.backoff().toMillis());
        retryNode.put("max_backoff_ms", retries.maxBackoff().toMillis());
        retryNode.put("retry_after", retries.honourRetryAfter());
        if (plan.load().budgetUsd() != null) {
            load.put("budget_usd", plan.load().budgetUsd());
        }
        load.put("prompt_order", plan.load().prompts().order());
        load.put("prompt_seed", plan.load().prompts().seed());
        load.put("random_prefix", plan.load().prompts().randomPrefix());
        ObjectNode slo = root.putObject("slo");
        slo.put("ttft_ms", plan.slo().ttft().toMillis());
        slo.put("stream_tps", plan.slo().streamTokensPerSecond());
        root.put("baseline", plan.baseline());
        root.set("config", plan.redactedConfig() == null ? JSON.createObjectNode() : plan.redactedConfig());
    }

    private static ObjectNode target(TargetSpec spec, TargetSummary s) {
        ObjectNode t = JSON.createObjectNode();
        putSpec(t, spec);
        ObjectNode requests = t.putObject("requests");
        requests.put("measured", s.requests());
        requests.put("ok", s.ok());
        requests.put("failed", s.failed());
        requests.put("warmup", s.warmups());
        ObjectNode outcomes = t.putObject("outcomes");
        s.outcomes().forEach(outcomes::put);
        ObjectNode goodput = t.putObject("goodput");
        goodput.put("good", s.good());
        goodput.put("total", s.endedOnTheirOwn());
        putNumber(goodput, "ratio", s.goodput());
        ObjectNode tokens = t.putObject("tokens");
        tokens.put("output", s.outputTokens());
        tokens.put("input", s.inputTokens());
        tokens.put("reasoning", s.reasoningTokens());
        tokens.put("estimated", s.tokensEstimated());
        ObjectNode cost = t.putObject("cost_usd");
        cost.put("total", s.costUsd());
        putNumber(cost, "per_request", s.costPerRequestUsd());
        putNumber(cost, "per_1m_output_tokens",
                s.outputTokens() == 0 ? Double.NaN : s.costUsd() / s.outputTokens() * 1e6);
        t.put("late_starts", s.lateStarts());
        t.put("retried_attempts", s.retriedAttempts());
        ObjectNode connections = t.putObject("connections");
        connections.put("new", s.newConnections());
        connections.put("reused", s.reusedConnections());
        ObjectNode metrics = t.putObject("metrics");
        ObjectNode histograms = t.putObject("histograms");
        for (Metric m : Metric.values()) {
            MetricSummary ms = s.metric(m);
            ObjectNode node = metrics.putObject(m.key());
            node.put("unit", m.unit());
            node.put("count", ms.count());
            putNumber(node, "mean", ms.mean());
            putNumber(node, "min", ms.min());
            putNumber(node, "max", ms.max());
            putNumber(node, "p50", ms.p50());
            putNumber(node, "p90", ms.p90());
            putNumber(node, "p99", ms.p99());
            putNumber(node, "worst10", ms.worst10());
            putNumber(node, "worst10_mean", ms.worst10Mean());
            ObjectNode h = histograms.putObject(m.key());
            h.put("encoding", HistogramCodec.ENCODING);
            h.put("scale", m.histogramScale());
            h.put("data", HistogramCodec.encode(s.histograms().get(m)));
        }
        return t;
    }

    /** Per target, each step of a sweep or search: its level, its throughput and its latency, and a search's knee. */
    static ArrayNode steps(RunResult run) {
        ArrayNode list = JSON.createArrayNode();
        for (TargetSteps t : run.steps()) {
            ObjectNode n = list.addObject();
            n.put("target", t.target());
            n.put("dimension", t.dimension());
            n.put("kind", t.search() ? LoadSpec.SEARCH : LoadSpec.SWEEP);
            if (t.search()) {
                n.put("goodput_target", t.goodputTarget());
                putNumber(n, "knee", t.knee());
                putNumber(n, "first_failing", t.firstFailing());
            }
            ArrayNode stepList = n.putArray("steps");
            for (StepResult step : t.steps()) {
                TargetSummary s = step.summary();
                ObjectNode sn = stepList.addObject();
                sn.put("index", step.index());
                sn.put("level", step.level());
                putNumber(sn, "wall_seconds", step.wallSeconds());
                sn.put("requests", s.requests());
                sn.put("ok", s.ok());
                sn.put("good", s.good());
                putNumber(sn, "goodput", s.goodput());
                if (step.passed() != null) {
                    sn.put("passed", step.passed());
                }
                putNumber(sn, "requests_per_second", step.requestsPerSecond());
                putNumber(sn, "output_tokens_per_second", step.outputTokensPerSecond());
                sn.put("late_starts", s.lateStarts());
                ObjectNode outcomes = sn.putObject("outcomes");
                s.outcomes().forEach(outcomes::put);
                for (Metric m : STEP_METRICS) {
                    MetricSummary ms = s.metric(m);
                    ObjectNode mn = sn.putObject(m.key());
                    putNumber(mn, "mean", ms.mean());
                    putNumber(mn, "p50", ms.p50());
                    putNumber(mn, "p90", ms.p90());
                    putNumber(mn, "p99", ms.p99());
                    putNumber(mn, "worst10", ms.worst10());
                }
            }
        }
        return list;
    }

    /** A target's identity: what run.json and plan.json both show of it. */
    static void putSpec(ObjectNode t, TargetSpec spec) {
        t.put("name", spec.name());
        t.put("api", spec.api());
        t.put("model", spec.model());
        if (spec.deployment() != null) {
            t.put("deployment", spec.deployment());
        }
        t.put("base_url", spec.baseUrl());
        t.put("http_version", spec.tls().httpVersion());
        // Said wherever the run's figures go: they were measured against a server nobody verified.
        t.put("insecure_skip_verify", spec.tls().insecureSkipVerify());
        ObjectNode labels = t.putObject("labels");
        spec.labels().forEach(labels::put);
    }

    static ArrayNode comparisons(RunResult run) {
        ArrayNode list = JSON.createArrayNode();
        for (HeadlineComparison h : headlineOf(run)) {
            Comparison c = h.comparison();
            ObjectNode n = list.addObject();
            n.put("target", c.target());
            n.put("baseline", c.baseline());
            n.put("metric", c.metric().key());
            n.put("stat", c.stat());
            putNumber(n, "target_value", c.targetValue());
            putNumber(n, "baseline_value", c.baselineValue());
            putNumber(n, "slowdown", c.slowdown());
            n.put("verdict", c.verdict());
            n.put("sentence", h.sentence());
            Significance s = h.significance();
            ObjectNode sig = n.putObject("significance");
            sig.put("verdict", s.kind().label());
            sig.put("target_samples", s.targetSamples());
            sig.put("baseline_samples", s.baselineSamples());
            putNumber(sig, "ci95_low", s.ciLow());
            putNumber(sig, "ci95_high", s.ciHigh());
            if (Double.isNaN(s.pValue())) {
                sig.putNull("mann_whitney_p");
            } else {
                sig.put("mann_whitney_p", s.pValue());
            }
            sig.put("bootstrap_resamples", Bootstrap.DEFAULT_RESAMPLES);
            sig.put("bootstrap_seed", Bootstrap.DEFAULT_SEED);
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

    static void putNumber(ObjectNode node, String field, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            node.putNull(field);
        } else {
            node.put(field, round(value));
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
