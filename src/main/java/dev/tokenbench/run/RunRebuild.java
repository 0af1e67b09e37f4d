package dev.tokenbench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.HistogramCodec;
import dev.tokenbench.measure.Metric;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.TargetAggregate;
import dev.tokenbench.measure.TargetSummary;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
 */
public final class RunRebuild {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The result and how much of it came from where. */
    public record Rebuilt(RunResult result, String version, int records, boolean fromRunJson) {
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
        JsonNode planJson = Files.exists(planFile) ? readJson(planFile) : runJson;
        if (planJson == null) {
            throw new IllegalArgumentException(dir + " holds neither " + RunManifest.FILE
                    + " nor run.json: not a run directory (give the directory a run wrote, e.g. runs/<id>)");
        }
        if (!Files.exists(requests)) {
            throw new IllegalArgumentException(dir + " has no requests.jsonl: nothing to rebuild from");
        }
        RunManifest.Manifest manifest = RunManifest.read(planJson);
        RunPlan plan = manifest.plan();
        Map<String, TargetAggregate> aggregates = new LinkedHashMap<>();
        for (TargetSpec spec : plan.targets()) {
            aggregates.put(spec.name(), new TargetAggregate(spec.name(), plan.slo()));
        }

        // A sweep's or search's records carry their step: each step is summarised again on its own.
        boolean stepped = plan.load().steps() != null;
        Map<String, List<TargetAggregate>> stepAggregates = new LinkedHashMap<>();
        int records = 0;
        long lastEndNanos = 0;
        try (BufferedReader in = Files.newBufferedReader(requests, StandardCharsets.UTF_8)) {
            String line;
            int lineNumber = 0;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException e) {
                    warnings.accept(requests + " line " + lineNumber
                            + " is not a whole JSON record (cut short by a crash?): skipped");
                    continue;
                }
                RequestRecord record = RequestRecordJson.read(node);
                TargetAggregate aggregate = aggregates.get(record.target());
                if (aggregate == null) {
                    warnings.accept(requests + " line " + lineNumber + ": target '" + record.target()
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
                records++;
                lastEndNanos = Math.max(lastEndNanos, record.endNanos());
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(dir + " has no requests.jsonl: nothing to rebuild from");
        }

        List<TargetSummary> summaries = new ArrayList<>();
        int t = 0;
        for (TargetAggregate aggregate : aggregates.values()) {
            JsonNode previous = runJson == null ? null : runJson.path("targets").path(t);
            if (previous != null && previous.path("name").asText().equals(aggregate.target())) {
                JsonNode itl = previous.path("histograms").path(Metric.ITL_MS.key()).path("data");
                if (itl.isTextual()) {
                    aggregate.addInterTokenLatency(HistogramCodec.decode(itl.asText()));
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
            endedAt = Instant.parse(runJson.path("ended_at").asText());
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
                wallSeconds, cpuSeconds, summaries, steps);
        return new Rebuilt(result, manifest.version(), records, runJson != null);
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
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }
}
