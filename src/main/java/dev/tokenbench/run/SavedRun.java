package dev.tokenbench.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.config.ProviderAccess;
import dev.tokenbench.config.SloSpec;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished run read back from its directory, for {@code compare}: run.json gives the context, the counters
 * and the encoded histograms (so figures merge exactly); requests.jsonl, when present, gives the per-request
 * values and times the significance tests and the timeline need. Without it the values are rebuilt from the
 * histograms, to their three significant digits, and there is no timeline.
 *
 * @param targets each target's spec (api, model, labels as run.json records them; no secrets) and results
 */
public record SavedRun(Path dir, String runId, String name, String benchmarkFile, String status,
        String tokenbenchVersion, String probe, Instant startedAt, Instant endedAt, double wallSeconds,
        double clientCpuSeconds, String promptsText, String loadText, SloSpec slo, String baseline,
        ObjectNode config, boolean fromRequests, List<Target> targets) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public record Target(TargetSpec spec, TargetSummary summary) {
    }

    /** Why a directory cannot be read as a run: the message names the path and what to do. */
    public static final class NotARunException extends Exception {
        public NotARunException(String message) {
            super(message);
        }
    }

    public static SavedRun load(Path dir) throws NotARunException {
        if (!Files.exists(dir)) {
            throw new NotARunException(dir + ": no such directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new NotARunException(dir + ": not a directory (give the run directory that holds run.json)");
        }
        Path runJson = dir.resolve("run.json");
        if (!Files.isRegularFile(runJson)) {
            throw new NotARunException(dir + " has no run.json: not a tokenbench run directory (a run that "
                    + "stopped before writing it can be rebuilt with `tokenbench report " + dir + "`)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(runJson.toFile());
        } catch (JsonProcessingException e) {
            throw new NotARunException(runJson + ": not valid JSON (line " + e.getLocation().getLineNr() + "): "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new NotARunException(runJson + ": cannot be read: " + e.getMessage());
        }
        int schema = root.path("schema_version").asInt(-1);
        if (schema != RunJson.SCHEMA_VERSION) {
            throw new NotARunException(runJson + ": schema_version " + root.path("schema_version")
                    + " is not " + RunJson.SCHEMA_VERSION + ", the one this tokenbench reads");
        }
        for (String field : List.of("name", "started_at", "targets")) {
            if (root.path(field).isMissingNode() || root.path(field).isNull()) {
                throw new NotARunException(runJson + ": field " + field + " is missing");
            }
        }
        Instant started;
        Instant ended;
        try {
            started = Instant.parse(root.path("started_at").asText());
            ended = root.path("ended_at").isTextual() ? Instant.parse(root.path("ended_at").asText()) : started;
        } catch (RuntimeException e) {
            throw new NotARunException(runJson + ": started_at/ended_at are not ISO-8601 instants: " + e.getMessage());
        }
        SloSpec slo = root.path("slo").isObject()
                ? new SloSpec(Duration.ofMillis(root.path("slo").path("ttft_ms").asLong(10_000)),
                        root.path("slo").path("stream_tps").asDouble(20))
                : SloSpec.DEFAULT;

        Map<String, List<RequestRecord>> records = readRequests(dir.resolve("requests.jsonl"));
        List<Target> targets = new ArrayList<>();
        int index = 0;
        for (JsonNode t : root.path("targets")) {
            String targetName = t.path("name").asText(null);
            if (targetName == null) {
                throw new NotARunException(runJson + ": field targets[" + index + "].name is missing");
            }
            targets.add(new Target(spec(t), summary(runJson, index, t, root.path("failures"),
                    records == null ? null : records.getOrDefault(targetName, List.of()), slo)));
            index++;
        }
        ObjectNode config = root.path("config").isObject() ? (ObjectNode) root.path("config") : null;
        return new SavedRun(dir, root.path("run_id").asText(dir.getFileName().toString()), root.path("name").asText(),
                text(root, "benchmark_file"), root.path("status").asText("done"), text(root, "tokenbench_version"),
                text(root, "probe"), started, ended, root.path("wall_seconds").asDouble(),
                root.path("client_cpu_seconds").asDouble(), prompts(root.path("prompts")), load(root.path("load")),
                slo, text(root, "baseline"), config, records != null, targets);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isValueNode() && !v.isNull() ? v.asText() : null;
    }

    private static TargetSpec spec(JsonNode t) {
        Map<String, String> labels = new LinkedHashMap<>();
        t.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return new TargetSpec(t.path("name").asText(), text(t, "api"), text(t, "base_url"), text(t, "model"),
                text(t, "deployment"), null, null, null, labels, Map.of(), null, null, null, ProviderAccess.NONE);
    }

    private static TargetSummary summary(Path runJson, int index, JsonNode t, JsonNode failures,
            List<RequestRecord> records, SloSpec slo) throws NotARunException {
        String name = t.path("name").asText();
        Map<Metric, Histogram> histograms = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            JsonNode h = t.path("histograms").path(m.key());
            if (h.path("data").isTextual()) {
                try {
                    histograms.put(m, HistogramCodec.decode(h.path("data").asText()));
                } catch (IllegalArgumentException e) {
                    throw new NotARunException(runJson + ": targets[" + index + "].histograms." + m.key() + ": "
                            + e.getMessage());
                }
            } else {
                histograms.put(m, new Histogram(3));
            }
        }
        RequestSamples samples;
        List<RequestRecord> kept = new ArrayList<>();
        if (records != null) {
            TargetAggregate aggregate = new TargetAggregate(name, slo);
            for (RequestRecord r : records) {
                aggregate.add(r);
            }
            TargetSummary fromRecords = aggregate.summarize();
            samples = fromRecords.samples();
            kept.addAll(fromRecords.failures());
        } else {
            samples = RequestSamples.ofHistograms(histograms);
            for (JsonNode f : failures) {
                if (name.equals(f.path("target").asText())) {
                    kept.add(failure(f));
                }
            }
        }
        Map<Metric, MetricSummary> metrics = new EnumMap<>(Metric.class);
        histograms.forEach((m, h) -> metrics.put(m, MetricSummary.ofHistogram(h, m.histogramScale(),
                m.higherIsBetter())));
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        t.path("outcomes").fields().forEachRemaining(e -> outcomes.put(e.getKey(), e.getValue().asInt()));
        JsonNode requests = t.path("requests");
        JsonNode tokens = t.path("tokens");
        return new TargetSummary(name, requests.path("measured").asInt(), requests.path("ok").asInt(),
                requests.path("warmup").asInt(), t.path("goodput").path("good").asInt(), outcomes,
                tokens.path("output").asLong(), tokens.path("input").asLong(), tokens.path("reasoning").asLong(),
                t.path("cost_usd").path("total").asDouble(), tokens.path("estimated").asBoolean(),
                t.path("connections").path("new").asInt(), t.path("connections").path("reused").asInt(), metrics,
                histograms, List.copyOf(kept), t.path("late_starts").asInt(), t.path("retried_attempts").asInt(),
                samples);
    }

    private static RequestRecord failure(JsonNode f) {
        double nan = Double.NaN;
        Outcome outcome = Outcome.PROTOCOL_ERROR;
        for (Outcome o : Outcome.values()) {
            if (o.label().equals(f.path("outcome").asText())) {
                outcome = o;
            }
        }
        return new RequestRecord(f.path("request_id").asText(), f.path("target").asText(), false, null, outcome, 1,
                f.path("http_status").asInt(), 0, 0, 0, 0, 0, 0, nan, nan, nan, nan, nan, nan, nan, nan, nan, 0, 0, 0,
                0, 0, false, 0, 0, text(f, "error"), null, nan, null, Map.of(), 0, false, 0, nan);
    }

    /** The records of requests.jsonl by target, or null when the file is absent. A torn last line is skipped. */
    private static Map<String, List<RequestRecord>> readRequests(Path file) throws NotARunException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Map<String, List<RequestRecord>> byTarget = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    // A crash can leave the last line half-written; anything else is a damaged file.
                    if (in.ready()) {
                        throw new NotARunException(file + " line " + number + ": not valid JSON: "
                                + e.getOriginalMessage());
                    }
                    continue;
                }
                RequestRecord r = RequestRecordJson.read(n);
                byTarget.computeIfAbsent(r.target(), k -> new ArrayList<>()).add(r);
            }
        } catch (IOException e) {
            throw new NotARunException(file + ": cannot be read: " + e.getMessage());
        }
        return byTarget;
    }

    private static String prompts(JsonNode p) {
        if (!p.isObject()) {
            return null;
        }
        int count = p.path("count").asInt();
        return p.path("name").asText() + " (" + p.path("source").asText() + ", " + count
                + (count == 1 ? " prompt)" : " prompts)");
    }

    private static String load(JsonNode l) {
        if (!l.isObject()) {
            return null;
        }
        String mode = l.path("mode").asText();
        return ("closed".equals(mode) ? "closed loop" : mode) + ", concurrency " + l.path("concurrency").asInt()
                + ", " + l.path("requests").asInt() + " measured requests per target after "
                + l.path("warmup").asInt() + " warm-ups";
    }
}
