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
 * <p>It is also where {@code compare} reads saved runs ({@link SavedRun}), from a directory, the history store or a
 * service's API alike; run.json itself is read by {@link RunJsonReader}, and without records every figure comes
 * from run.json's encoded histograms and counters.
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
        JsonNode runJson = Files.exists(runJsonFile) ? RunJsonReader.readFile(runJsonFile) : null;
        JsonNode planJson = Files.exists(planFile) ? RunJsonReader.readFile(planFile) : null;
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
        JsonNode runJson = RunJsonReader.readFile(runJsonFile);
        Path planFile = dir.resolve(RunManifest.FILE);
        JsonNode planJson = Files.exists(planFile) ? RunJsonReader.readFile(planFile) : null;
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
        RunJsonReader previous = runJson == null ? null : RunJsonReader.of(runJson, runJsonName);
        if (planJson != null) {
            RunJsonReader.check(planJson, dir == null ? RunManifest.FILE : dir.resolve(RunManifest.FILE).toString());
        }
        if (records == null && runJson == null) {
            throw new IllegalArgumentException((dir == null ? "the run" : dir.toString())
                    + " has neither run.json nor requests.jsonl: nothing to read");
        }
        RunManifest.Manifest manifest = RunManifest.read(planJson != null ? planJson : runJson);
        RunPlan plan = manifest.plan();
        if (records == null) {
            return fromRunJson(dir, manifest, previous);
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
            if (previous != null && previous.isTarget(t, aggregate.target())) {
                Histogram itl = previous.interTokenLatency(t);
                if (itl != null) {
                    aggregate.addInterTokenLatency(itl);
                }
                aggregate.setLateStarts(previous.lateStarts(t));
                // No record keeps event gaps: the requests the live run charted come from its run.json.
                aggregate.setShapeExamples(previous.shapeExamples(t, aggregate.target()));
            }
            TargetSummary summary = aggregate.summarize();
            String stoppedEarly = previous == null || !previous.isTarget(t, aggregate.target()) ? null
                    : previous.stoppedEarly(t);
            summaries.add(stoppedEarly == null ? summary : summary.toBuilder().stoppedEarly(stoppedEarly).build());
            t++;
        }

        String status;
        Instant endedAt;
        double wallSeconds;
        double cpuSeconds;
        if (previous != null && previous.hasEnd()) {
            status = previous.status();
            endedAt = previous.endedAt(null);
            wallSeconds = previous.wallSeconds();
            cpuSeconds = previous.clientCpuSeconds();
        } else {
            status = RunResult.INTERRUPTED;
            boolean clockKnown = manifest.startNanos() != 0 && lastEndNanos > manifest.startNanos();
            wallSeconds = clockKnown ? (lastEndNanos - manifest.startNanos()) / 1e9 : Double.NaN;
            endedAt = clockKnown ? manifest.startedAt().plusNanos(lastEndNanos - manifest.startNanos())
                    : manifest.startedAt();
            cpuSeconds = Double.NaN;
        }
        List<TargetSteps> steps = stepped ? steps(plan, stepAggregates, previous) : List.of();
        RunResult result = RunResult.builder()
                .runId(manifest.runId())
                .plan(plan)
                .runDir(dir)
                .startedAt(manifest.startedAt())
                .endedAt(endedAt)
                .status(status)
                .wallSeconds(wallSeconds)
                .clientCpuSeconds(cpuSeconds)
                .targets(summaries)
                .steps(steps)
                .client(previous == null ? null : previous.client())
                .sharding(previous == null ? null : previous.sharding())
                .build();
        return new Rebuilt(result, manifest.version(), count, previous != null, true,
                previous == null ? null : previous.probe());
    }

    /** Without records: each target's figures from run.json's encoded histograms and counters, failures listed. */
    private static Rebuilt fromRunJson(Path dir, RunManifest.Manifest manifest, RunJsonReader runJson) {
        RunPlan plan = manifest.plan();
        List<TargetSummary> summaries = new ArrayList<>();
        for (int i = 0; i < plan.targets().size(); i++) {
            summaries.add(runJson.summary(i, plan.targets().get(i).name()));
        }
        RunResult result = RunResult.builder()
                .runId(manifest.runId())
                .plan(plan)
                .runDir(dir)
                .startedAt(manifest.startedAt())
                .endedAt(runJson.endedAt(manifest.startedAt()))
                .status(runJson.status())
                .wallSeconds(runJson.wallSeconds())
                .clientCpuSeconds(runJson.clientCpuSeconds())
                .targets(summaries)
                .steps(List.of())
                .client(runJson.client())
                .sharding(runJson.sharding())
                .build();
        return new Rebuilt(result, manifest.version(), 0, true, false, runJson.probe());
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
            RunJsonReader runJson) {
        LoadSpec.Steps spec = plan.load().steps();
        List<TargetSteps> all = new ArrayList<>();
        for (TargetSpec target : plan.targets()) {
            List<RunJsonReader.StepFacts> previous = runJson == null ? List.of() : runJson.steps(target.name());
            List<StepResult> results = new ArrayList<>();
            double knee = Double.NaN;
            double firstFailing = Double.NaN;
            List<TargetAggregate> aggregates = byTarget.getOrDefault(target.name(), List.of());
            for (int i = 0; i < aggregates.size(); i++) {
                TargetSummary summary = aggregates.get(i).summarize();
                RunJsonReader.StepFacts live = i < previous.size() ? previous.get(i) : null;
                double level = live != null && !Double.isNaN(live.level()) ? live.level()
                        : !spec.isSearch() && i < spec.levels().size() ? spec.levels().get(i) : Double.NaN;
                double wall = live == null ? Double.NaN : live.wallSeconds();
                Boolean passed = spec.isSearch() ? summary.goodput() >= spec.goodput() : null;
                if (Boolean.TRUE.equals(passed) && !(level <= knee)) {
                    knee = level;
                }
                if (Boolean.FALSE.equals(passed) && !(level >= firstFailing)) {
                    firstFailing = level;
                }
                results.add(new StepResult(i, level, wall, summary, passed));
            }
            all.add(TargetSteps.builder()
                    .target(target.name())
                    .dimension(spec.dimension())
                    .search(spec.isSearch())
                    .steps(List.copyOf(results))
                    .knee(knee)
                    .firstFailing(firstFailing)
                    .goodputTarget(spec.goodput())
                    .build());
        }
        return all;
    }
}
