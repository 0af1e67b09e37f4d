package dev.tokenbench.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.measure.Metric;
import dev.tokenbench.run.RunJson;
import dev.tokenbench.run.RunJsonReader;
import dev.tokenbench.run.RunRebuild;
import dev.tokenbench.run.RunResult;

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

    /** A target's row: its run.json node without histograms, and one {@link MetricRow} per metric. */
    public record Target(String name, String api, String model, int measured, int ok, int failed, double costUsd,
            String summaryJson, List<MetricRow> metrics) {
        /** Target's fields by name, instead of one long positional call. */
        public static Builder builder() {
            return new Builder();
        }

        /** Builds a {@link Target} field by field. Unset fields are null, 0 or false. */
        public static final class Builder {
            private String name;
            private String api;
            private String model;
            private int measured;
            private int ok;
            private int failed;
            private double costUsd;
            private String summaryJson;
            private List<MetricRow> metrics;

            private Builder() {
            }

            public Builder name(String name) {
                this.name = name;
                return this;
            }

            public Builder api(String api) {
                this.api = api;
                return this;
            }

            public Builder model(String model) {
                this.model = model;
                return this;
            }

            public Builder measured(int measured) {
                this.measured = measured;
                return this;
            }

            public Builder ok(int ok) {
                this.ok = ok;
                return this;
            }

            public Builder failed(int failed) {
                this.failed = failed;
                return this;
            }

            public Builder costUsd(double costUsd) {
                this.costUsd = costUsd;
                return this;
            }

            public Builder summaryJson(String summaryJson) {
                this.summaryJson = summaryJson;
                return this;
            }

            public Builder metrics(List<MetricRow> metrics) {
                this.metrics = metrics;
                return this;
            }

            /** The one place the canonical constructor is called. */
            public Target build() {
                return new Target(name, api, model, measured, ok, failed, costUsd, summaryJson, metrics);
            }
        }
    }

    /** The figures of one metric, and its encoded histogram (null when the run.json had none). */
    public record MetricRow(String metric, long count, double mean, double p50, double p90, double p99,
            double worst10, String histogram) {
        /** MetricRow's fields by name, instead of one long positional call. */
        public static Builder builder() {
            return new Builder();
        }

        /** Builds a {@link MetricRow} field by field. Unset fields are null, 0 or false. */
        public static final class Builder {
            private String metric;
            private long count;
            private double mean;
            private double p50;
            private double p90;
            private double p99;
            private double worst10;
            private String histogram;

            private Builder() {
            }

            public Builder metric(String metric) {
                this.metric = metric;
                return this;
            }

            public Builder count(long count) {
                this.count = count;
                return this;
            }

            public Builder mean(double mean) {
                this.mean = mean;
                return this;
            }

            public Builder p50(double p50) {
                this.p50 = p50;
                return this;
            }

            public Builder p90(double p90) {
                this.p90 = p90;
                return this;
            }

            public Builder p99(double p99) {
                this.p99 = p99;
                return this;
            }

            public Builder worst10(double worst10) {
                this.worst10 = worst10;
                return this;
            }

            public Builder histogram(String histogram) {
                this.histogram = histogram;
                return this;
            }

            /** The one place the canonical constructor is called. */
            public MetricRow build() {
                return new MetricRow(metric, count, mean, p50, p90, p99, worst10, histogram);
            }
        }
    }

    /** Reads a run directory: run.json when the run wrote one, else rebuilt from requests.jsonl and plan.json. */
    public static StoredRun fromDirectory(Path dir, String id, String probe, String region) throws IOException {
        Path runJsonFile = dir.resolve("run.json");
        if (Files.exists(runJsonFile)) {
            return from(RunJsonReader.ofIdentifiedRun(RunJsonReader.readFile(runJsonFile), runJsonFile.toString()),
                    records(dir), id, probe, region);
        }
        RunRebuild.Rebuilt rebuilt = RunRebuild.rebuild(dir, warning -> { });
        return fromRunJson(RunJson.toJson(rebuilt.result(), rebuilt.version()), records(dir), id, probe, region);
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
     * @throws IllegalArgumentException when runJson is not a run.json (names the field)
     */
    public static StoredRun fromRunJson(JsonNode runJson, List<String> records, String id, String probe,
            String region) {
        String runId = id != null ? id : runJson.path("run_id").isTextual() ? runJson.path("run_id").asText() : null;
        String name = runId == null ? "run.json" : "run " + runId + "'s run.json";
        return from(RunJsonReader.ofIdentifiedRun(runJson, name), records, id, probe, region);
    }

    private static StoredRun from(RunJsonReader runJson, List<String> records, String id, String probe,
            String region) {
        String runId = runJson.runId();
        List<Target> targets = new ArrayList<>();
        int measured = 0;
        int failed = 0;
        double cost = 0;
        for (int i = 0; i < runJson.targetCount(); i++) {
            List<MetricRow> metrics = new ArrayList<>();
            for (Metric m : Metric.values()) {
                RunJsonReader.Figures figures = runJson.figures(i, m);
                if (figures != null) {
                    metrics.add(MetricRow.builder()
                            .metric(m.key())
                            .count(figures.count())
                            .mean(figures.mean())
                            .p50(figures.p50())
                            .p90(figures.p90())
                            .p99(figures.p99())
                            .worst10(figures.worst10())
                            .histogram(runJson.histogramData(i, m))
                            .build());
                }
            }
            RunJsonReader.Requests requests = runJson.requests(i);
            double tCost = runJson.costUsd(i);
            measured += requests.measured();
            failed += requests.failed();
            cost += tCost;
            targets.add(Target.builder()
                    .name(runJson.targetName(i))
                    .api(runJson.api(i))
                    .model(runJson.model(i))
                    .measured(requests.measured())
                    .ok(requests.ok())
                    .failed(requests.failed())
                    .costUsd(tCost)
                    .summaryJson(runJson.targetWithoutHistograms(i).toString())
                    .metrics(List.copyOf(metrics))
                    .build());
        }
        Instant started = runJson.startedAt();
        return StoredRun.builder()
                .id(id != null ? id : runId)
                .name(runJson.name())
                .status(runJson.status(RunResult.DONE))
                .probe(probe)
                .region(region == null ? "" : region)
                .startedAt(started)
                .endedAt(runJson.endedAt(started))
                .wallSeconds(runJson.wallSeconds())
                .measured(measured)
                .failed(failed)
                .costUsd(cost)
                .version(runJson.tokenbenchVersion())
                .configJson(runJson.config().toString())
                .runJson(runJson.tree().toString())
                .targets(List.copyOf(targets))
                .records(List.copyOf(records))
                .build();
    }

    /** What {@link HistoryStore#info} gives for this run once it is stored. */
    public RunInfo info() {
        return RunInfo.builder()
                .id(id)
                .name(name)
                .status(status)
                .probe(probe)
                .region(region)
                .startedAt(startedAt)
                .endedAt(endedAt)
                .measured(measured)
                .failed(failed)
                .costUsd(costUsd)
                .targets(targets.stream().map(Target::name).toList())
                .build();
    }

    /** StoredRun's fields by name, instead of one long positional call. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link StoredRun} field by field. Unset fields are null, 0 or false. */
    public static final class Builder {
        private String id;
        private String name;
        private String status;
        private String probe;
        private String region;
        private Instant startedAt;
        private Instant endedAt;
        private double wallSeconds;
        private int measured;
        private int failed;
        private double costUsd;
        private String version;
        private String configJson;
        private String runJson;
        private List<Target> targets;
        private List<String> records;

        private Builder() {
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder status(String status) {
            this.status = status;
            return this;
        }

        public Builder probe(String probe) {
            this.probe = probe;
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder startedAt(Instant startedAt) {
            this.startedAt = startedAt;
            return this;
        }

        public Builder endedAt(Instant endedAt) {
            this.endedAt = endedAt;
            return this;
        }

        public Builder wallSeconds(double wallSeconds) {
            this.wallSeconds = wallSeconds;
            return this;
        }

        public Builder measured(int measured) {
            this.measured = measured;
            return this;
        }

        public Builder failed(int failed) {
            this.failed = failed;
            return this;
        }

        public Builder costUsd(double costUsd) {
            this.costUsd = costUsd;
            return this;
        }

        public Builder version(String version) {
            this.version = version;
            return this;
        }

        public Builder configJson(String configJson) {
            this.configJson = configJson;
            return this;
        }

        public Builder runJson(String runJson) {
            this.runJson = runJson;
            return this;
        }

        public Builder targets(List<Target> targets) {
            this.targets = targets;
            return this;
        }

        public Builder records(List<String> records) {
            this.records = records;
            return this;
        }

        /** The one place the canonical constructor is called. */
        public StoredRun build() {
            return new StoredRun(id, name, status, probe, region, startedAt, endedAt, wallSeconds, measured, failed,
                    costUsd, version, configJson, runJson, targets, records);
        }
    }
}
