package dev.tokenbench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.Pricing;
import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.PromptSet;
import dev.tokenbench.config.ProviderAccess;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.SloSpec;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.config.TlsSpec;
import dev.tokenbench.config.TraceSpec;
import dev.tokenbench.core.Json;
import dev.tokenbench.run.RunJsonSchema.Exact;
import dev.tokenbench.run.RunJsonSchema.ManifestFile;
import dev.tokenbench.run.RunJsonSchema.PlannedTarget;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * plan.json: what a run directory holds from the run's first moment so that {@code report DIR} can rebuild
 * run.json and the reports from requests.jsonl alone, even after {@code kill -9}. It is run.json's plan part
 * (name, prompts, load, SLO, baseline, the redacted config, targets with api, model, labels) plus what run.json
 * does not show: pricing and tokenizer per target, the prompt ids, exact durations, and the monotonic clock
 * reading at the start, which the records' {@code t_*_ns} share. No secret is in it: the config is the
 * redacted one and targets carry no credential.
 */
public final class RunManifest {
    public static final String FILE = "plan.json";
    private static final ObjectMapper JSON = Json.MAPPER;

    /** What the rebuild gets back. startNanos: the run's System.nanoTime at its start; 0 when unknown. */
    public record Manifest(RunPlan plan, String runId, Instant startedAt, long startNanos, String version) {
    }

    private RunManifest() {
    }

    public static ObjectNode toJson(RunPlan plan, String runId, Instant startedAt, long startNanos, String version) {
        Exact exact = new Exact(plan.load().timeout().toNanos(), plan.load().stallTimeout().toNanos(),
                plan.slo().ttft().toNanos(), plan.prompts().prompts().stream().map(Prompt::id).toList(),
                plan.maxOutputTokens());
        List<PlannedTarget> targets = new ArrayList<>();
        for (TargetSpec spec : plan.targets()) {
            Pricing pricing = spec.pricing() == null ? Pricing.NONE : spec.pricing();
            targets.add(new PlannedTarget(RunJson.identity(spec), spec.tokenizer(),
                    new RunJsonSchema.Pricing(pricing.inputPer1m(), pricing.outputPer1m())));
        }
        ManifestFile file = ManifestFile.builder()
                .schemaVersion(RunJson.SCHEMA_VERSION)
                .tokenbenchVersion(version)
                .runId(runId)
                .name(plan.name())
                .benchmarkFile(plan.sourceFile())
                .startedAt(startedAt.toString())
                .startNanos(startNanos)
                .plan(RunJson.plan(plan))
                .exact(exact)
                .targets(targets)
                .build();
        return plan.secrets().scrubTree(JSON.valueToTree(file));
    }

    public static void write(Path runDir, ObjectNode manifest) throws IOException {
        Files.createDirectories(runDir);
        RunJson.write(runDir.resolve(FILE), manifest);
    }

    /**
     * Reads plan.json, or a run.json (older run directories have no plan.json; run.json holds all but pricing,
     * tokenizer and exact durations, which then default).
     */
    public static Manifest read(JsonNode n) {
        JsonNode exact = n.path("exact");
        JsonNode load = n.path("load");
        Duration timeout = exact.has("timeout_nanos") ? Duration.ofNanos(exact.path("timeout_nanos").asLong())
                : Duration.ofMillis(load.path("timeout_ms").asLong());
        Duration stall = exact.has("stall_timeout_nanos")
                ? Duration.ofNanos(exact.path("stall_timeout_nanos").asLong())
                : Duration.ofMillis(load.path("stall_timeout_ms").asLong());
        LoadSpec.OpenLoop open = load.has("arrival") ? new LoadSpec.OpenLoop(load.path("rate").asDouble(1),
                load.path("arrival").asText(), load.path("seed").asLong()) : null;
        LoadSpec.Steps steps = null;
        if (load.has("dimension")) {
            List<Double> levels = new ArrayList<>();
            load.path("levels").forEach(l -> levels.add(l.asDouble()));
            steps = levels.isEmpty()
                    ? LoadSpec.Steps.search(load.path("dimension").asText(), load.path("min").asDouble(),
                            load.path("max").asDouble(), load.path("goodput").asDouble(),
                            load.path("max_steps").asInt(), load.path("resolution").asDouble(0.1))
                    : LoadSpec.Steps.sweep(load.path("dimension").asText(), levels);
        }
        JsonNode r = load.path("retries");
        LoadSpec.Retries retries = r.isObject() ? new LoadSpec.Retries(r.path("max").asInt(),
                Duration.ofMillis(r.path("backoff_ms").asLong()), Duration.ofMillis(r.path("max_backoff_ms").asLong()),
                r.path("retry_after").asBoolean(true)) : LoadSpec.Retries.NONE;
        LoadSpec.PromptOrder order = new LoadSpec.PromptOrder(
                load.path("prompt_order").asText(LoadSpec.PromptOrder.CYCLE_ORDER), load.path("prompt_seed").asLong(1),
                load.path("random_prefix").asBoolean(false));
        LoadSpec loadSpec = LoadSpec.builder()
                .mode(load.path("mode").asText(LoadSpec.CLOSED))
                .concurrency(load.path("concurrency").asInt())
                .requests(load.path("requests").isNull() ? LoadSpec.UNBOUNDED : load.path("requests").asInt())
                .duration(load.has("duration_ms") ? Duration.ofMillis(load.path("duration_ms").asLong()) : null)
                .warmup(load.path("warmup").asInt())
                .timeout(timeout)
                .stallTimeout(stall)
                .open(open)
                .steps(steps)
                .retries(retries)
                .budgetUsd(load.has("budget_usd") ? load.path("budget_usd").asDouble() : null)
                .prompts(order)
                .trace(trace(load.path("trace")))
                .build();
        JsonNode slo = n.path("slo");
        SloSpec sloSpec = new SloSpec(exact.has("slo_ttft_nanos")
                ? Duration.ofNanos(exact.path("slo_ttft_nanos").asLong())
                : Duration.ofMillis(slo.path("ttft_ms").asLong()), slo.path("stream_tps").asDouble());

        JsonNode promptsNode = n.path("prompts");
        List<Prompt> prompts = new ArrayList<>();
        if (exact.path("prompt_ids").isArray()) {
            exact.path("prompt_ids").forEach(id -> prompts.add(new Prompt(id.asText(), null, "", null)));
        } else {
            for (int i = 0; i < promptsNode.path("count").asInt(); i++) {
                prompts.add(new Prompt("p" + i, null, "", null));
            }
        }
        PromptSet promptSet = new PromptSet(promptsNode.path("name").asText(null),
                promptsNode.path("source").asText(null), List.copyOf(prompts));

        List<TargetSpec> targets = new ArrayList<>();
        for (JsonNode t : n.path("targets")) {
            Map<String, String> labels = new LinkedHashMap<>();
            t.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            JsonNode price = t.path("pricing");
            Pricing pricing = price.isObject() ? new Pricing(price.path("input_per_1m").asDouble(),
                    price.path("output_per_1m").asDouble()) : Pricing.NONE;
            targets.add(TargetSpec.builder()
                    .name(t.path("name").asText())
                    .api(t.path("api").asText())
                    .baseUrl(t.path("base_url").asText(null))
                    .model(text(t, "model"))
                    .deployment(text(t, "deployment"))
                    .apiVersion(null)
                    .apiKey(null)
                    .pricing(pricing)
                    .labels(Collections.unmodifiableMap(labels))
                    .params(Map.of())
                    .maxOutputTokens(null)
                    .maxTokensField(null)
                    .tokenizer(t.path("tokenizer").asText("o200k_base"))
                    .access(ProviderAccess.NONE)
                    .estimateAlongsideUsage(true)
                    .tls(new TlsSpec(t.path("http_version").asText(TlsSpec.HTTP_1_1),
                            t.path("insecure_skip_verify").asBoolean(), null, null, null))
                    .build());
        }
        JsonNode config = n.path("config");
        RunPlan plan = RunPlan.builder()
                .name(n.path("name").asText())
                .sourceFile(text(n, "benchmark_file"))
                .targets(List.copyOf(targets))
                .prompts(promptSet)
                .load(loadSpec)
                .maxOutputTokens(exact.has("max_output_tokens") ? exact.path("max_output_tokens").asInt() : null)
                .slo(sloSpec)
                .baseline(text(n, "baseline"))
                .simulator(null)
                .redactedConfig(config.isObject() ? (ObjectNode) config.deepCopy() : null)
                .build();
        return new Manifest(plan, n.path("run_id").asText(), Instant.parse(n.path("started_at").asText()),
                n.path("start_nanos").asLong(0), n.path("tokenbench_version").asText("dev"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() ? v.asText() : null;
    }

    /**
     * What a trace run replayed, as plan.json names it: the file, format, speed and row count, for the reports of a
     * rebuilt run. Its schedule is not kept (a rebuild never replays), so the offsets are all 0 and no prompts.
     */
    private static TraceSpec trace(JsonNode trace) {
        return !trace.isObject() ? null : new TraceSpec(trace.path("source").asText(), trace.path("format").asText(),
                trace.path("speed").asDouble(1), new long[trace.path("rows").asInt()], null);
    }
}
