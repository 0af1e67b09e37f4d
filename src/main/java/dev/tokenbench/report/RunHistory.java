package dev.tokenbench.report;

import dev.tokenbench.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.measure.Metric;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.run.RunResult;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Earlier runs of the same benchmark, for the report's history charts. Until the run store exists, the history
 * is the run directories beside this one (the same parent, e.g. {@code runs/}) whose run.json names the same
 * benchmark. Unreadable or foreign directories are skipped: a history is a bonus, never a reason to fail.
 */
final class RunHistory {
    /** The charts show at most this many runs, the most recent. */
    static final int MAX_RUNS = 30;
    /** The figures charted over time. */
    static final List<Map.Entry<Metric, String>> FIGURES = List.of(Map.entry(Metric.TTFT_MS, "mean"),
            Map.entry(Metric.STREAM_TPS, "worst10"));
    private static final ObjectMapper JSON = Json.MAPPER;

    private RunHistory() {
    }

    /** One run: its start and, per target name, the charted figures (keys "ttft_ms.mean", …). */
    record Point(String runId, Instant startedAt, boolean current, Map<String, Map<String, Double>> targets) {
    }

    static String key(Map.Entry<Metric, String> figure) {
        return figure.getKey().key() + "." + figure.getValue();
    }

    /** The run itself and its earlier siblings, oldest first; just the run itself when it has none. */
    static List<Point> of(RunResult run) {
        List<Point> points = new ArrayList<>();
        Path dir = run.runDir() == null ? null : run.runDir().toAbsolutePath().normalize();
        Path parent = dir == null ? null : dir.getParent();
        if (parent != null && Files.isDirectory(parent)) {
            try (DirectoryStream<Path> siblings = Files.newDirectoryStream(parent)) {
                for (Path sibling : siblings) {
                    if (!sibling.equals(dir)) {
                        Point p = read(sibling.resolve("run.json"), run.plan().name());
                        if (p != null && p.startedAt().isBefore(run.startedAt())) {
                            points.add(p);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // No history then; the report says so.
            }
        }
        points.sort(Comparator.comparing(Point::startedAt));
        if (points.size() > MAX_RUNS - 1) {
            points = new ArrayList<>(points.subList(points.size() - (MAX_RUNS - 1), points.size()));
        }
        Map<String, Map<String, Double>> current = new LinkedHashMap<>();
        for (TargetSummary s : run.targets()) {
            Map<String, Double> figures = new LinkedHashMap<>();
            for (Map.Entry<Metric, String> f : FIGURES) {
                figures.put(key(f), s.metric(f.getKey()).stat(f.getValue()));
            }
            current.put(s.target(), figures);
        }
        points.add(new Point(run.runId(), run.startedAt(), true, current));
        return points;
    }

    private static Point read(Path runJson, String benchmark) {
        if (!Files.isRegularFile(runJson)) {
            return null;
        }
        try {
            JsonNode root = JSON.readTree(runJson.toFile());
            if (!benchmark.equals(root.path("name").asText()) || "failed".equals(root.path("status").asText())) {
                return null;
            }
            Instant started = Instant.parse(root.path("started_at").asText());
            Map<String, Map<String, Double>> targets = new LinkedHashMap<>();
            for (JsonNode t : root.path("targets")) {
                Map<String, Double> figures = new LinkedHashMap<>();
                for (Map.Entry<Metric, String> f : FIGURES) {
                    JsonNode v = t.path("metrics").path(f.getKey().key()).path(f.getValue());
                    figures.put(key(f), v.isNumber() ? v.asDouble() : Double.NaN);
                }
                targets.put(t.path("name").asText(), figures);
            }
            return new Point(root.path("run_id").asText(runJson.getParent().getFileName().toString()), started,
                    false, targets);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
