package dev.tokenbench.run;

import dev.tokenbench.core.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.HistogramCodec;
import dev.tokenbench.measure.Metric;
import dev.tokenbench.measure.MetricSummary;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.RequestSamples;
import dev.tokenbench.measure.TargetAggregate;
import dev.tokenbench.measure.TargetSummary;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code report DIR}: the run's result rebuilt from what the run directory holds, through the same aggregation
 * the live run used. requests.jsonl holds every finished request and plan.json the plan, so everything in
 * run.json follows from them but what no record carries: inter-token latency (recorded from the streams, not
 * per request), open-loop late starts, client CPU time, and how the run ended. Those are taken from an existing
 * run.json; after a crash there is none: the run is {@code interrupted}, its end is its last record's end, and
 * the other three are absent.
 *
 * <p>It is also the one reader of run.json: {@code compare} reads saved runs through it ({@link SavedRun}), from a
 * directory, the history store or a service's API alike, and without records it takes every figure from
 * run.json's encoded histograms and counters.
 */
public final class RunRebuild {
    private static final ObjectMapper JSON = Json.MAPPER;

    /**
     * The result and how much of it came from where.
     *
     * @param records      request records read (0 when there were none to read)
     * @param fromRunJson  whether a run.json was there (its status, end, CPU time, ITL, late starts were kept)
     * @param fromRequests whether per-request records were there; without them every figure comes from run.json's
     *                     encoded histograms and counters (per-request values rebuilt from the histograms to their
     *                     three significant digits, no timeline)
     * @param probe        run.json's probe, null when it names none
     */
    public record Rebuilt(RunResult result, String version, int records, boolean fromRunJson, boolean fromRequests,
            String probe) {
    }

    private RunRebuild() {
    }

    /**
     * @param warnings told about lines it skipped (a line cut short by a crash, an unknown target)
     * @throws IllegalArgumentException when DIR is not a run directory (the message says what is missing)
     */
    public static Rebuilt rebuild(Path dir, Consumer<String> warnings) throws IOException {
        Path planFile = dir.resolve(RunManifest.FILE);
        Path runJsonFile = dir.resolve("run.json");
        Path requests = dir.resolve("requests.jsonl");
        JsonNode runJson = Files.exists(runJsonFile) ? readJson(runJsonFile) : null;
        JsonNode planJson = Files.exists(planFile) ? readJson(planFile) : null;
        if (planJson == null && runJson == null) {
            throw new IllegalArgumentException(dir + " holds neither " + RunManifest.FILE
                    + " nor run.json: not a run directory (give the directory a run wrote, e.g. runs/<id>)");
        }
        if (!Files.exists(requests)) {
            throw new IllegalArgumentException(dir + " has no requests.jsonl: nothing to rebuild from");
        }
        try (BufferedReader in = Files.newBufferedReader(requests, StandardCharsets.UTF_8)) {
            return rebuild(dir, planJson, runJson, lines(in), requests.toString(), warnings);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(dir + " has no requests.jsonl: nothing to rebuild from");
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * A saved run read for a comparison: run.json must be there; requests.jsonl is used when it is, else the
     * figures come from run.json's histograms.
     *
     * @throws IllegalArgumentException when DIR holds no readable run.json (the message names the file and why)
     */
    public static Rebuilt read(Path dir, Consumer<String> warnings) throws IOException {
        Path runJsonFile = dir.resolve("run.json");
        JsonNode runJson = readJson(runJsonFile);
        Path planFile = dir.resolve(RunManifest.FILE);
        JsonNode planJson = Files.exists(planFile) ? readJson(planFile) : null;
        Path requests = dir.resolve("requests.jsonl");
        if (!Files.isRegularFile(requests)) {
            return rebuild(dir, planJson, runJson, null, requests.toString(), warnings);
        }
        try (BufferedReader in = Files.newBufferedReader(requests, StandardCharsets.UTF_8)) {
            return rebuild(dir, planJson, runJson, lines(in), requests.toString(), warnings);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * The one reader of a run's files, wherever they are kept (a run directory, the history store, a service's
     * API): plan.json and run.json as JSON trees, requests.jsonl as lines.
     *
     * @param planJson    plan.json, or null to take the plan from run.json
     * @param runJson     run.json, or null after a crash (then the run is interrupted)
     * @param records     requests.jsonl's lines, or null when there are none: figures then come from run.json
     * @param recordsName what the lines are called in warnings (a file name, "run X's records")
     * @throws IllegalArgumentException when the JSON is not a run's (the message names the field)
     */
    public static Rebuilt rebuild(Path dir, JsonNode planJson, JsonNode runJson, Iterator<String> records,
            String recordsName, Consumer<String> warnings) {
        String runJsonName = dir == null ? "run.json" : dir.resolve("run.json").toString();
        if (runJson != null) {
            check(runJson, runJsonName);
        }
        if (planJson != null) {
            check(planJson, dir == null ? RunManifest.FILE : dir.resolve(RunManifest.FILE).toString());
        }
        if (records == null && runJson == null) {
            throw new IllegalArgumentException((dir == null ? "the run" : dir.toString())
                    + " has neither run.json nor requests.jsonl: nothing to read");
        }
        RunManifest.Manifest manifest = RunManifest.read(planJson != null ? planJson : runJson);
        RunPlan plan = manifest.plan();
        if (records == null) {
            return fromRunJson(dir, manifest, runJson, runJsonName);
        }
        Map<String, TargetAggregate> aggregates = new LinkedHashMap<>();
        for (TargetSpec spec : plan.targets()) {
            aggregates.put(spec.name(), new TargetAggregate(spec.name(), plan.slo()));
        }

        // A sweep's or search's records carry their step: each step is summarised again on its own.
        boolean stepped = plan.load().steps() != null;
        Map<String, List<TargetAggregate>> stepAggregates = new LinkedHashMap<>();
        int count = 0;
        long lastEndNanos = 0;
        int lineNumber = 0;
        while (records.hasNext()) {
            String line = records.next();
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (IOException e) {
                warnings.accept(recordsName + " line " + lineNumber
                        + " is not a whole JSON record (cut short by a crash?): skipped");
                continue;
            }
            RequestRecord record = RequestRecordJson.read(node);
            TargetAggregate aggregate = aggregates.get(record.target());
            if (aggregate == null) {
                warnings.accept(recordsName + " line " + lineNumber + ": target '" + record.target()
                        + "' is not in the plan: skipped");
                continue;
            }
            aggregate.add(record);
            if (stepped && !record.warmup()) {
                List<TargetAggregate> steps = stepAggregates.computeIfAbsent(record.target(),
                        k -> new ArrayList<>());
                while (steps.size() <= record.step()) {
                    steps.add(new TargetAggregate(record.target(), plan.slo()));
                }
                steps.get(record.step()).add(record);
            }
            count++;
            lastEndNanos = Math.max(lastEndNanos, record.endNanos());
        }

        List<TargetSummary> summaries = new ArrayList<>();
        int t = 0;
        for (TargetAggregate aggregate : aggregates.values()) {
            JsonNode previous = runJson == null ? null : runJson.path("targets").path(t);
            if (previous != null && previous.path("name").asText().equals(aggregate.target())) {
                JsonNode itl = previous.path("histograms").path(Metric.ITL_MS.key()).path("data");
                if (itl.isTextual()) {
                    aggregate.addInterTokenLatency(decode(itl.asText(), runJsonName, t, Metric.ITL_MS));
                }
                aggregate.setLateStarts(previous.path("late_starts").asInt());
            }
            summaries.add(aggregate.summarize());
            t++;
        }

        String status;
        Instant endedAt;
        double wallSeconds;
        double cpuSeconds;
        if (runJson != null && runJson.path("ended_at").isTextual()) {
            status = runJson.path("status").asText(RunResult.INTERRUPTED);
            endedAt = instant(runJson, "ended_at", runJsonName);
            wallSeconds = number(runJson.path("wall_seconds"));
            cpuSeconds = number(runJson.path("client_cpu_seconds"));
        } else {
            status = RunResult.INTERRUPTED;
            boolean clockKnown = manifest.startNanos() != 0 && lastEndNanos > manifest.startNanos();
            wallSeconds = clockKnown ? (lastEndNanos - manifest.startNanos()) / 1e9 : Double.NaN;
            endedAt = clockKnown ? manifest.startedAt().plusNanos(lastEndNanos - manifest.startNanos())
                    : manifest.startedAt();
            cpuSeconds = Double.NaN;
        }
        List<TargetSteps> steps = stepped ? steps(plan, stepAggregates, runJson) : List.of();
        RunResult result = new RunResult(manifest.runId(), plan, dir, manifest.startedAt(), endedAt, status,
                wallSeconds, cpuSeconds, summaries, steps, ClientHealthJson.read(runJson));
        return new Rebuilt(result, manifest.version(), count, runJson != null, true, probe(runJson));
    }

    /** Without records: each target's figures from run.json's encoded histograms and counters, failures listed. */
    private static Rebuilt fromRunJson(Path dir, RunManifest.Manifest manifest, JsonNode runJson, String name) {
        RunPlan plan = manifest.plan();
        List<TargetSummary> summaries = new ArrayList<>();
        JsonNode targets = runJson.path("targets");
        for (int i = 0; i < plan.targets().size(); i++) {
            String target = plan.targets().get(i).name();
            JsonNode t = targets.path(i);
            if (!target.equals(t.path("name").asText())) {
                throw new IllegalArgumentException(name + ": targets[" + i + "] is not target " + target);
            }
            summaries.add(summaryOf(t, i, runJson.path("failures"), name));
        }
        RunResult result = new RunResult(manifest.runId(), plan, dir, manifest.startedAt(),
                runJson.path("ended_at").isTextual() ? instant(runJson, "ended_at", name) : manifest.startedAt(),
                runJson.path("status").asText(RunResult.INTERRUPTED), number(runJson.path("wall_seconds")),
                number(runJson.path("client_cpu_seconds")), summaries, List.of(), ClientHealthJson.read(runJson));
        return new Rebuilt(result, manifest.version(), 0, true, false, probe(runJson));
    }

    private static TargetSummary summaryOf(JsonNode t, int index, JsonNode failures, String name) {
        String target = t.path("name").asText();
        Map<Metric, Histogram> histograms = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            JsonNode h = t.path("histograms").path(m.key()).path("data");
            histograms.put(m, h.isTextual() ? decode(h.asText(), name, index, m) : new Histogram(3));
        }
        List<RequestRecord> kept = new ArrayList<>();
        for (JsonNode f : failures) {
            if (target.equals(f.path("target").asText())) {
                kept.add(failure(f));
            }
        }
        Map<Metric, MetricSummary> metrics = new EnumMap<>(Metric.class);
        histograms.forEach((m, h) -> metrics.put(m, MetricSummary.ofHistogram(h, m.histogramScale(),
                m.higherIsBetter())));
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        t.path("outcomes").fields().forEachRemaining(e -> outcomes.put(e.getKey(), e.getValue().asInt()));
        JsonNode requests = t.path("requests");
        JsonNode tokens = t.path("tokens");
        return new TargetSummary(target, requests.path("measured").asInt(), requests.path("ok").asInt(),
                requests.path("warmup").asInt(), t.path("goodput").path("good").asInt(), outcomes,
                tokens.path("output").asLong(), tokens.path("input").asLong(), tokens.path("reasoning").asLong(),
                t.path("cost_usd").path("total").asDouble(), tokens.path("estimated").asBoolean(),
                t.path("connections").path("new").asInt(), t.path("connections").path("reused").asInt(), metrics,
                histograms, List.copyOf(kept), t.path("late_starts").asInt(), t.path("retried_attempts").asInt(),
                RequestSamples.ofHistograms(histograms));
    }

    /** A failure as run.json lists it: what is known of it (no times). */
    private static RequestRecord failure(JsonNode f) {
        Outcome outcome = Outcome.PROTOCOL_ERROR;
        for (Outcome o : Outcome.values()) {
            if (o.label().equals(f.path("outcome").asText())) {
                outcome = o;
            }
        }
        JsonNode error = f.path("error");
        return RequestRecord.builder().requestId(f.path("request_id").asText()).target(f.path("target").asText())
                .outcome(outcome).httpStatus(f.path("http_status").asInt()).estimatedOutputTokens(0).costUsd(0)
                .error(error.isTextual() ? error.asText() : null).build();
    }

    /** What every run.json and plan.json has: this schema, a name, a start; targets as a list. */
    private static void check(JsonNode root, String name) {
        if (!root.isObject()) {
            throw new IllegalArgumentException(name + ": not a JSON object");
        }
        if (root.path("schema_version").asInt(-1) != RunJson.SCHEMA_VERSION) {
            throw new IllegalArgumentException(name + ": schema_version " + root.path("schema_version")
                    + " is not " + RunJson.SCHEMA_VERSION + ", the one this tokenbench reads");
        }
        for (String field : List.of("name", "started_at", "targets")) {
            if (root.path(field).isMissingNode() || root.path(field).isNull()) {
                throw new IllegalArgumentException(name + ": field " + field + " is missing");
            }
        }
        if (!root.path("targets").isArray()) {
            throw new IllegalArgumentException(name + ": field targets is not a list");
        }
        int i = 0;
        for (JsonNode t : root.path("targets")) {
            if (!t.path("name").isTextual()) {
                throw new IllegalArgumentException(name + ": field targets[" + i + "].name is missing");
            }
            i++;
        }
        instant(root, "started_at", name);
    }

    private static Instant instant(JsonNode root, String field, String name) {
        try {
            return Instant.parse(root.path(field).asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": " + field + " is not an ISO-8601 instant (like "
                    + "2025-05-01T10:00:00Z): '" + root.path(field).asText() + "'");
        }
    }

    private static Histogram decode(String data, String name, int target, Metric m) {
        try {
            return HistogramCodec.decode(data);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": targets[" + target + "].histograms." + m.key() + ": "
                    + e.getMessage(), e);
        }
    }

    private static String probe(JsonNode runJson) {
        JsonNode p = runJson == null ? null : runJson.path("probe");
        return p != null && p.isTextual() && !p.asText().isBlank() ? p.asText() : null;
    }

    private static Iterator<String> lines(BufferedReader in) {
        return in.lines().iterator();
    }

    /**
     * Each target's steps, summarised from their records. Levels and step times come from run.json when the run
     * wrote one; after a crash a sweep's levels come from the plan, a search's are unknown (NaN), and a search step
     * passes when its goodput meets the target, as it did live.
     */
    private static List<TargetSteps> steps(RunPlan plan, Map<String, List<TargetAggregate>> byTarget,
            JsonNode runJson) {
        LoadSpec.Steps spec = plan.load().steps();
        List<TargetSteps> all = new ArrayList<>();
        for (TargetSpec target : plan.targets()) {
            JsonNode previous = null;
            if (runJson != null) {
                for (JsonNode t : runJson.path("steps")) {
                    if (t.path("target").asText().equals(target.name())) {
                        previous = t.path("steps");
                    }
                }
            }
            List<StepResult> results = new ArrayList<>();
            double knee = Double.NaN;
            double firstFailing = Double.NaN;
            List<TargetAggregate> aggregates = byTarget.getOrDefault(target.name(), List.of());
            for (int i = 0; i < aggregates.size(); i++) {
                TargetSummary summary = aggregates.get(i).summarize();
                JsonNode live = previous == null ? null : previous.path(i);
                double level = live != null && live.path("level").isNumber() ? live.path("level").asDouble()
                        : !spec.isSearch() && i < spec.levels().size() ? spec.levels().get(i) : Double.NaN;
                double wall = live == null ? Double.NaN : number(live.path("wall_seconds"));
                Boolean passed = spec.isSearch() ? summary.goodput() >= spec.goodput() : null;
                if (Boolean.TRUE.equals(passed) && !(level <= knee)) {
                    knee = level;
                }
                if (Boolean.FALSE.equals(passed) && !(level >= firstFailing)) {
                    firstFailing = level;
                }
                results.add(new StepResult(i, level, wall, summary, passed));
            }
            all.add(new TargetSteps(target.name(), spec.dimension(), spec.isSearch(), List.copyOf(results), knee,
                    firstFailing, spec.goodput()));
        }
        return all;
    }

    private static JsonNode readJson(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON (line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + "): " + e.getOriginalMessage(),
                    e);
        }
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }
}
