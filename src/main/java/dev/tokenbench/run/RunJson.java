package dev.tokenbench.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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
        root.put("wall_seconds", round(run.wallSeconds()));
        root.put("client_cpu_seconds", round(run.clientCpuSeconds()));
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
        if (plan.load().open() != null) {
            load.put("rate", plan.load().open().ratePerSecond());
            load.put("arrival", plan.load().open().arrival());
            load.put("seed", plan.load().open().seed());
        }
        ObjectNode slo = root.putObject("slo");
        slo.put("ttft_ms", plan.slo().ttft().toMillis());
        slo.put("stream_tps", plan.slo().streamTokensPerSecond());
        root.put("baseline", plan.baseline());
        root.set("config", plan.redactedConfig() == null ? JSON.createObjectNode() : plan.redactedConfig());

        ArrayNode targets = root.putArray("targets");
        for (int i = 0; i < run.targets().size(); i++) {
            targets.add(target(plan.targets().get(i), run.targets().get(i)));
        }
        root.set("comparisons", comparisons(run));
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
        return root;
    }

    private static ObjectNode target(TargetSpec spec, TargetSummary s) {
        ObjectNode t = JSON.createObjectNode();
        t.put("name", spec.name());
        t.put("api", spec.api());
        t.put("model", spec.model());
        if (spec.deployment() != null) {
            t.put("deployment", spec.deployment());
        }
        t.put("base_url", spec.baseUrl());
        ObjectNode labels = t.putObject("labels");
        spec.labels().forEach(labels::put);
        ObjectNode requests = t.putObject("requests");
        requests.put("measured", s.requests());
        requests.put("ok", s.ok());
        requests.put("failed", s.failed());
        requests.put("warmup", s.warmups());
        ObjectNode outcomes = t.putObject("outcomes");
        s.outcomes().forEach(outcomes::put);
        ObjectNode goodput = t.putObject("goodput");
        goodput.put("good", s.good());
        goodput.put("total", s.requests());
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

    public static void write(Path file, ObjectNode json) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), json);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void putNumber(ObjectNode node, String field, double value) {
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
