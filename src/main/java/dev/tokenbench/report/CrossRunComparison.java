package dev.tokenbench.report;

import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.Metric;
import dev.tokenbench.measure.MetricSummary;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.RequestSamples;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.run.RunResult;
import dev.tokenbench.run.SavedRun;
import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Several saved runs as one report: e.g. the same benchmark from two regions or two days. Each target of each
 * run stays a target of its own, renamed {@code run-label/target} when another run has a target of the same name;
 * with {@code merge}, same-named targets become one, their histograms added (exact percentiles of all the
 * requests together), counters summed and per-request values pooled.
 */
public final class CrossRunComparison {
    private static final int FAILURES_KEPT = 50;

    private CrossRunComparison() {
    }

    /** The combined run, and where its parts came from for the report's context section. */
    public record Result(RunResult run, RunOrigin origin) {
    }

    /** How same-named targets of several runs are put together. */
    public enum Grouping {
        /** Each run's targets on their own, prefixed with the run's label where names collide. */
        RUN,
        /** Same-named targets of all runs become one. */
        ALL,
        /** Same-named targets become one per probe, named {@code target@probe}: "fast@us-east vs fast@eu-west". */
        PROBE,
        /** Same-named targets become one per region, named {@code target@region}. */
        REGION,
        /**
         * One comparison per target name, of that target across the runs, each run's part named
         * {@code target@run-label} and compared with the first run's: "azure on Tuesday vs azure on Monday".
         * See {@link #byTarget}.
         */
        TARGET
    }

    /** {@link #of(List, String, Grouping, Path, String)} with RUN, or ALL when merge. */
    public static Result of(List<SavedRun> runs, String baseline, boolean merge, Path outDir, String runId) {
        return of(runs, baseline, merge ? Grouping.ALL : Grouping.RUN, outDir, runId);
    }

    /**
     * @param baseline a target name of the combined report (after renaming); null for the first run's baseline
     * @throws IllegalArgumentException when {@code baseline} names no target (the message lists them)
     */
    public static Result of(List<SavedRun> runs, String baseline, Grouping grouping, Path outDir, String runId) {
        if (grouping == Grouping.TARGET) {
            throw new IllegalArgumentException("grouping by target makes one comparison per target: use byTarget");
        }
        return combine(runs, baseline, grouping, outDir, runId, null);
    }

    /** One target across the runs: {@link Grouping#TARGET}'s comparison of one target name. */
    public record TargetAcrossRuns(String target, Result result) {
    }

    /**
     * Per target name (in first-seen order), that target across the runs (oldest first), each run's part named
     * {@code target@run-label}; its baseline is the part from {@code baselineRun} (a run label), else from the
     * first run that has the target. Significance and ratios then say how the target changed from run to run.
     *
     * @throws IllegalArgumentException when {@code baselineRun} is no run's label (the message lists them)
     */
    public static List<TargetAcrossRuns> byTarget(List<SavedRun> runs, String baselineRun, Path outDir,
            String runId) {
        List<String> labels = labels(runs);
        if (baselineRun != null && !labels.contains(baselineRun)) {
            throw new IllegalArgumentException("--baseline " + baselineRun + " names no run: with --by target it "
                    + "names the run the others are compared with, one of: " + String.join(", ", labels));
        }
        List<String> names = new ArrayList<>();
        for (SavedRun run : runs) {
            run.targets().stream().map(t -> t.spec().name()).filter(n -> !names.contains(n)).forEach(names::add);
        }
        List<TargetAcrossRuns> list = new ArrayList<>();
        for (String name : names) {
            String baseline = null;
            if (baselineRun != null) {
                int r = labels.indexOf(baselineRun);
                boolean has = runs.get(r).targets().stream().anyMatch(t -> t.spec().name().equals(name));
                baseline = has ? name + "@" + baselineRun : null;
            }
            list.add(new TargetAcrossRuns(name, combine(runs, baseline, Grouping.TARGET,
                    outDir.resolve(directoryName(name)), runId + "-" + directoryName(name), name)));
        }
        return list;
    }

    /** A target name as a directory name: letters, digits, dot, dash and underscore kept, anything else '_'. */
    public static String directoryName(String target) {
        String safe = target.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.startsWith(".") ? "_" + safe : safe;
    }

    /** The comparison of the runs' targets (only the one named {@code only} when it is not null). */
    private static Result combine(List<SavedRun> runs, String baseline, Grouping grouping, Path outDir,
            String runId, String only) {
        List<String> labels = labels(runs);
        Map<String, Integer> runsPerName = new HashMap<>();
        for (SavedRun run : runs) {
            run.targets().stream().map(t -> t.spec().name()).distinct()
                    .forEach(n -> runsPerName.merge(n, 1, Integer::sum));
        }

        // Final name -> the parts it is made of, in first-seen order.
        Map<String, List<SavedRun.Target>> parts = new LinkedHashMap<>();
        String defaultBaseline = null;
        for (int r = 0; r < runs.size(); r++) {
            SavedRun run = runs.get(r);
            for (SavedRun.Target t : run.targets()) {
                String original = t.spec().name();
                if (only != null && !only.equals(original)) {
                    continue;
                }
                String name = switch (grouping) {
                    case ALL -> original;
                    case PROBE -> original + "@" + (run.probe() == null ? "unknown" : run.probe());
                    case REGION -> original + "@" + (run.region().isEmpty() ? "unknown" : run.region());
                    case TARGET -> original + "@" + labels.get(r);
                    case RUN -> runsPerName.get(original) == 1 ? original : labels.get(r) + "/" + original;
                };
                parts.computeIfAbsent(name, k -> new ArrayList<>()).add(t);
                if (defaultBaseline == null && (grouping == Grouping.TARGET || original.equals(run.baseline()))) {
                    defaultBaseline = name;
                }
            }
        }
        String chosen = baseline != null ? baseline : defaultBaseline;
        if (baseline != null && !parts.containsKey(baseline)) {
            throw new IllegalArgumentException("--baseline " + baseline + " names no target of these runs; the "
                    + "targets are: " + String.join(", ", parts.keySet()));
        }

        List<TargetSpec> specs = new ArrayList<>();
        List<TargetSummary> summaries = new ArrayList<>();
        for (Map.Entry<String, List<SavedRun.Target>> e : parts.entrySet()) {
            TargetSpec first = e.getValue().get(0).spec();
            specs.add(TargetSpec.builder()
                    .name(e.getKey())
                    .api(first.api())
                    .baseUrl(first.baseUrl())
                    .model(first.model())
                    .deployment(first.deployment())
                    .apiVersion(null)
                    .apiKey(null)
                    .pricing(null)
                    .labels(commonLabels(e.getValue()))
                    .params(Map.of())
                    .maxOutputTokens(null)
                    .maxTokensField(null)
                    .tokenizer(null)
                    .access(first.access())
                    .build());
            summaries.add(combine(e.getKey(), e.getValue()));
        }

        Instant started = runs.get(0).startedAt();
        Instant ended = runs.get(0).endedAt();
        double cpu = 0;
        String status = RunResult.DONE;
        StringJoiner names = new StringJoiner(" + ");
        List<String> seenNames = new ArrayList<>();
        List<Map.Entry<String, String>> sources = new ArrayList<>();
        for (int r = 0; r < runs.size(); r++) {
            SavedRun run = runs.get(r);
            started = run.startedAt().isBefore(started) ? run.startedAt() : started;
            ended = run.endedAt().isAfter(ended) ? run.endedAt() : ended;
            cpu += run.clientCpuSeconds();
            if (!RunResult.DONE.equals(run.status()) && RunResult.DONE.equals(status)) {
                status = run.status();
            }
            if (!seenNames.contains(run.name())) {
                seenNames.add(run.name());
                names.add(run.name());
            }
            sources.add(Map.entry(labels.get(r), describe(run)));
        }
        RunPlan plan = RunPlan.builder()
                .name(names.toString())
                .sourceFile(null)
                .targets(specs)
                .prompts(null)
                .load(null)
                .maxOutputTokens(null)
                .slo(runs.get(0).slo())
                .baseline(chosen)
                .simulator(null)
                .redactedConfig(null)
                .build();
        RunResult combined = RunResult.builder()
                .runId(runId)
                .plan(plan)
                .runDir(outDir)
                .startedAt(started)
                .endedAt(ended)
                .status(status)
                .wallSeconds(Duration.between(started, ended).toMillis() / 1000.0)
                .clientCpuSeconds(cpu)
                .targets(summaries)
                .build();
        return new Result(combined, new RunOrigin(null, null, sources));
    }

    /** The runs' labels (directory names, stored ids), made unique ("name", "name#2") when two are alike. */
    static List<String> labels(List<SavedRun> runs) {
        List<String> labels = new ArrayList<>();
        for (SavedRun run : runs) {
            String base = run.label();
            String label = base;
            for (int k = 2; labels.contains(label); k++) {
                label = base + "#" + k;
            }
            labels.add(label);
        }
        return labels;
    }

    private static String describe(SavedRun run) {
        StringBuilder d = new StringBuilder();
        d.append(run.source()).append(" · benchmark ").append(run.name()).append(" · run ").append(run.runId())
                .append(" · started ").append(Formats.timestamp(run.startedAt())).append(" · status ").append(run.status());
        if (run.probe() != null) {
            d.append(" · probe ").append(run.probe());
        }
        if (!run.region().isEmpty()) {
            d.append(" · region ").append(run.region());
        }
        if (run.tokenbenchVersion() != null) {
            d.append(" · tokenbench ").append(run.tokenbenchVersion());
        }
        if (run.promptsText() != null) {
            d.append(" · prompts ").append(run.promptsText());
        }
        if (run.loadText() != null) {
            d.append(" · load ").append(run.loadText());
        }
        d.append(run.fromRequests() ? " · per-request values from its request records"
                : " · no request records: values rebuilt from histograms, no timeline");
        return d.toString();
    }

    private static Map<String, String> commonLabels(List<SavedRun.Target> parts) {
        Map<String, String> common = new LinkedHashMap<>(parts.get(0).spec().labels());
        for (SavedRun.Target t : parts) {
            common.entrySet().removeIf(e -> !e.getValue().equals(t.spec().labels().get(e.getKey())));
        }
        return common;
    }

    /** One part as it is, renamed; several added together. */
    static TargetSummary combine(String name, List<SavedRun.Target> parts) {
        if (parts.size() == 1) {
            TargetSummary s = parts.get(0).summary();
            return TargetSummary.builder()
                    .target(name)
                    .requests(s.requests())
                    .ok(s.ok())
                    .warmups(s.warmups())
                    .good(s.good())
                    .outcomes(s.outcomes())
                    .outputTokens(s.outputTokens())
                    .inputTokens(s.inputTokens())
                    .reasoningTokens(s.reasoningTokens())
                    .costUsd(s.costUsd())
                    .tokensEstimated(s.tokensEstimated())
                    .newConnections(s.newConnections())
                    .reusedConnections(s.reusedConnections())
                    .metrics(s.metrics())
                    .histograms(s.histograms())
                    .failures(s.failures())
                    .lateStarts(s.lateStarts())
                    .retriedAttempts(s.retriedAttempts())
                    .samples(s.samples())
                    .build();
        }
        int requests = 0;
        int ok = 0;
        int warmups = 0;
        int good = 0;
        long output = 0;
        long input = 0;
        long reasoning = 0;
        double cost = 0;
        boolean estimated = false;
        int newConnections = 0;
        int reused = 0;
        int lateStarts = 0;
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        List<RequestRecord> failures = new ArrayList<>();
        List<RequestSamples> samples = new ArrayList<>();
        Map<Metric, Histogram> histograms = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            histograms.put(m, new Histogram(3));
        }
        for (SavedRun.Target part : parts) {
            TargetSummary s = part.summary();
            requests += s.requests();
            ok += s.ok();
            warmups += s.warmups();
            good += s.good();
            output += s.outputTokens();
            input += s.inputTokens();
            reasoning += s.reasoningTokens();
            cost += s.costUsd();
            estimated |= s.tokensEstimated();
            newConnections += s.newConnections();
            reused += s.reusedConnections();
            lateStarts += s.lateStarts();
            s.outcomes().forEach((k, v) -> outcomes.merge(k, v, Integer::sum));
            for (RequestRecord f : s.failures()) {
                if (failures.size() < FAILURES_KEPT) {
                    failures.add(f);
                }
            }
            samples.add(s.samples());
            s.histograms().forEach((m, h) -> histograms.get(m).add(h));
        }
        Map<Metric, MetricSummary> metrics = new EnumMap<>(Metric.class);
        histograms.forEach((m, h) -> metrics.put(m, MetricSummary.ofHistogram(h, m.histogramScale(),
                m.higherIsBetter())));
        return TargetSummary.builder()
                .target(name)
                .requests(requests)
                .ok(ok)
                .warmups(warmups)
                .good(good)
                .outcomes(outcomes)
                .outputTokens(output)
                .inputTokens(input)
                .reasoningTokens(reasoning)
                .costUsd(cost)
                .tokensEstimated(estimated)
                .newConnections(newConnections)
                .reusedConnections(reused)
                .metrics(metrics)
                .histograms(histograms)
                .failures(List.copyOf(failures))
                .lateStarts(lateStarts)
                .retriedAttempts(parts.stream().mapToInt(p -> p.summary().retriedAttempts()).sum())
                .samples(RequestSamples.concat(samples))
                .build();
    }
}
