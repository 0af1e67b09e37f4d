package dev.tokenbench.store;

import dev.tokenbench.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.measure.Metric;
import dev.tokenbench.run.RunRebuild;
import dev.tokenbench.run.RunJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One finished run as the history store keeps it: taken apart from its run.json (which is kept whole too) and its
 * requests.jsonl lines. run.json's config is already redacted, and records carry no credential.
 *
 * @param id      the store's key: the run id, prefixed with the probe for runs imported from another probe
 * @param probe   which probe ran it ("local" for this instance's own runs unless configured)
 * @param records requests.jsonl, one line per element
 */
public record StoredRun(String id, String name, String status, String probe, String region, Instant startedAt,
        Instant endedAt, double wallSeconds, int measured, int failed, double costUsd, String version,
        String configJson, String runJson, List<Target> targets, List<String> records) {

    private static final ObjectMapper JSON = Json.MAPPER;

    /** A target's row: its run.json node without histograms, and one {@link MetricRow} per metric. */
    public record Target(String name, String api, String model, int measured, int ok, int failed, double costUsd,
            String summaryJson, List<MetricRow> metrics) {
    }

    /** The figures of one metric, and its encoded histogram (null when the run.json had none). */
    public record MetricRow(String metric, long count, double mean, double p50, double p90, double p99,
            double worst10, String histogram) {
    }

    /** Reads a run directory: run.json when the run wrote one, else rebuilt from requests.jsonl and plan.json. */
    public static StoredRun fromDirectory(Path dir, String id, String probe, String region) throws IOException {
        Path runJsonFile = dir.resolve("run.json");
        JsonNode runJson;
        if (Files.exists(runJsonFile)) {
            runJson = JSON.readTree(runJsonFile.toFile());
        } else {
            RunRebuild.Rebuilt rebuilt = RunRebuild.rebuild(dir, warning -> { });
            runJson = RunJson.toJson(rebuilt.result(), rebuilt.version());
        }
        return fromRunJson(runJson, records(dir), id, probe, region);
    }

    /** A run directory's requests.jsonl, one line per element (none when it has no such file). */
    public static List<String> records(Path dir) throws IOException {
        Path requests = dir.resolve("requests.jsonl");
        List<String> lines = new ArrayList<>();
        if (Files.exists(requests)) {
            for (String line : Files.readAllLines(requests, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    /**
     * @param id null: run.json's run_id
     * @throws IllegalArgumentException when runJson is not a run.json (names the missing field)
     */
    public static StoredRun fromRunJson(JsonNode runJson, List<String> records, String id, String probe,
            String region) {
        String runId = required(runJson, "run_id").asText();
        List<Target> targets = new ArrayList<>();
        int measured = 0;
        int failed = 0;
        double cost = 0;
        for (JsonNode t : runJson.path("targets")) {
            ObjectNode summary = ((ObjectNode) t).deepCopy();
            summary.remove("histograms");
            List<MetricRow> metrics = new ArrayList<>();
            for (Metric m : Metric.values()) {
                JsonNode node = t.path("metrics").path(m.key());
                if (node.isMissingNode()) {
                    continue;
                }
                JsonNode data = t.path("histograms").path(m.key()).path("data");
                metrics.add(new MetricRow(m.key(), node.path("count").asLong(), number(node.path("mean")),
                        number(node.path("p50")), number(node.path("p90")), number(node.path("p99")),
                        number(node.path("worst10")), data.isTextual() ? data.asText() : null));
            }
            int tMeasured = t.path("requests").path("measured").asInt();
            int tFailed = t.path("requests").path("failed").asInt();
            double tCost = t.path("cost_usd").path("total").asDouble();
            measured += tMeasured;
            failed += tFailed;
            cost += tCost;
            targets.add(new Target(required(t, "name").asText(), t.path("api").asText(""),
                    t.path("model").isTextual() ? t.path("model").asText() : null, tMeasured,
                    t.path("requests").path("ok").asInt(), tFailed, tCost, summary.toString(), List.copyOf(metrics)));
        }
        Instant started = Instant.parse(required(runJson, "started_at").asText());
        Instant ended = runJson.path("ended_at").isTextual() ? Instant.parse(runJson.path("ended_at").asText())
                : started;
        return new StoredRun(id != null ? id : runId, required(runJson, "name").asText(),
                runJson.path("status").asText("done"), probe, region == null ? "" : region, started, ended,
                number(runJson.path("wall_seconds")), measured, failed, cost,
                runJson.path("tokenbench_version").asText(null), runJson.path("config").toString(),
                runJson.toString(), List.copyOf(targets), List.copyOf(records));
    }

    /** What {@link HistoryStore#info} gives for this run once it is stored. */
    public RunInfo info() {
        return new RunInfo(id, name, status, probe, region, startedAt, endedAt, measured, failed, costUsd,
                targets.stream().map(Target::name).toList());
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            throw new IllegalArgumentException("not a run.json: field '" + field + "' is missing");
        }
        return value;
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }
}
