package dev.tokenbench.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.core.Json;
import dev.tokenbench.measure.ClientHealth;
import dev.tokenbench.measure.Dialects;
import dev.tokenbench.measure.EventGaps;
import dev.tokenbench.measure.HistogramCodec;
import dev.tokenbench.measure.Metric;
import dev.tokenbench.measure.MetricSummary;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.RequestSamples;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.measure.TokenSources;
import dev.tokenbench.measure.ToolCallTally.ToolCallSummary;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what {@link RunJson} writes: a run.json (or plan.json) checked for the fields every reader needs, then its
 * facts and each target's figures from its encoded histograms and counters. A run.json comes from outside (a run
 * directory, an imported bundle, a service's API), so the check names the file and field that is wrong, and a
 * figure that is missing or not a number reads as absent (NaN, 0) rather than failing the whole run, as reports of
 * runs from earlier versions need. It walks the tree rather than binding records for that reason: a record would
 * turn a field of the wrong type into an error or a silent coercion.
 */
public final class RunJsonReader {
    private final JsonNode root;
    private final String name;

    private RunJsonReader(JsonNode root, String name) {
        this.root = root;
        this.name = name;
    }

    /**
     * A checked run.json.
     *
     * @param name what the file is called in messages (its path, "run X's run.json")
     * @throws IllegalArgumentException when it is not a run's JSON (the message names the file and field)
     */
    public static RunJsonReader of(JsonNode root, String name) {
        check(root, name);
        return new RunJsonReader(root, name);
    }

    /**
     * A checked run.json that must name its run, as a history store keys it: run_id is checked first.
     *
     * @throws IllegalArgumentException when it is not a run's JSON (the message names the file and field)
     */
    public static RunJsonReader ofIdentifiedRun(JsonNode root, String name) {
        if (root.isObject() && (root.path("run_id").isMissingNode() || root.path("run_id").isNull())) {
            throw new IllegalArgumentException(name + ": field run_id is missing");
        }
        return of(root, name);
    }

    /** A file's JSON tree; a file that is missing or not JSON is an IllegalArgumentException naming it. */
    public static JsonNode readFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON (line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + "): " + e.getOriginalMessage(),
                    e);
        }
    }

    /** What every run.json and plan.json has: this schema, a name, a start; targets as a list of named ones. */
    public static void check(JsonNode root, String name) {
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

    public JsonNode tree() {
        return root;
    }

    /** The probe it names, null when none. */
    public String probe() {
        JsonNode p = root.path("probe");
        return p.isTextual() && !p.asText().isBlank() ? p.asText() : null;
    }

    /** Whether the run wrote its end (a run.json written at the end of a run does; none is written after a crash). */
    public boolean hasEnd() {
        return root.path("ended_at").isTextual();
    }

    /** Its end, or {@code otherwise} when it names none. */
    public Instant endedAt(Instant otherwise) {
        return hasEnd() ? instant(root, "ended_at", name) : otherwise;
    }

    /** Its status; interrupted when it names none. */
    public String status() {
        return status(RunResult.INTERRUPTED);
    }

    /** Its status, or {@code otherwise} when it names none. */
    public String status(String otherwise) {
        return root.path("status").asText(otherwise);
    }

    /**
     * Its run id.
     *
     * @throws IllegalArgumentException when it names none (the message names the file and field)
     */
    public String runId() {
        JsonNode id = root.path("run_id");
        if (id.isMissingNode() || id.isNull()) {
            throw new IllegalArgumentException(name + ": field run_id is missing");
        }
        return id.asText();
    }

    public String name() {
        return root.path("name").asText();
    }

    public Instant startedAt() {
        return instant(root, "started_at", name);
    }

    /** The tokenbench version that wrote it, null when it names none. */
    public String tokenbenchVersion() {
        return root.path("tokenbench_version").asText(null);
    }

    /** Its (redacted) benchmark configuration, a missing node when it has none. */
    public JsonNode config() {
        return root.path("config");
    }

    public double wallSeconds() {
        return number(root.path("wall_seconds"));
    }

    public double clientCpuSeconds() {
        return number(root.path("client_cpu_seconds"));
    }

    /** The client's health block; null for a run from before the probe. */
    public ClientHealth client() {
        return ClientHealthJson.read(root);
    }

    /**
     * The shard block: which shard of a sharded run this was, or the shards it was merged from; null when the run was
     * not sharded.
     *
     * @throws IllegalArgumentException when the block is there but malformed (the message names the field)
     */
    public Sharding sharding() {
        JsonNode s = root.path(RunJson.SHARD_FIELD);
        if (s.isMissingNode() || s.isNull()) {
            return null;
        }
        String field = RunJson.SHARD_FIELD;
        if (!s.isObject() || !s.path("count").canConvertToInt() || s.path("count").asInt() < 1
                || !s.path("shards").isArray()) {
            throw new IllegalArgumentException(name + ": field " + field + " needs a count of 1 or more and a list "
                    + "of shards");
        }
        List<Sharding.Shard> shards = new ArrayList<>();
        int i = 0;
        for (JsonNode one : s.path("shards")) {
            String at = field + ".shards[" + i++ + "]";
            if (!one.path("index").canConvertToInt() || !one.path("run_id").isTextual()) {
                throw new IllegalArgumentException(name + ": field " + at + " needs an index and a run_id");
            }
            JsonNode clock = one.path("clock");
            shards.add(new Sharding.Shard(one.path("index").asInt(), one.path("run_id").asText(),
                    one.path("first_send_at").isTextual() ? instant(one, "first_send_at", name + ": " + at) : null,
                    number(one.path("start_lateness_ms")), new Sharding.ClockOffset(number(clock.path("offset_ms")),
                            number(clock.path("uncertainty_ms")), clock.path("source").asText("none"))));
        }
        JsonNode group = s.path("group");
        return new Sharding(group.isTextual() ? group.asText() : null, s.path("count").asInt(),
                s.path("start_at").isTextual() ? instant(s, "start_at", name + ": " + field) : null,
                List.copyOf(shards), number(s.path("start_spread_ms")));
    }

    public int targetCount() {
        return root.path("targets").size();
    }

    /** targets[index]'s name (checked to be there). */
    public String targetName(int index) {
        return root.path("targets").path(index).path("name").asText();
    }

    /** targets[index]'s api, "" when it names none. */
    public String api(int index) {
        return root.path("targets").path(index).path("api").asText("");
    }

    /** targets[index]'s model, null when it names none. */
    public String model(int index) {
        JsonNode model = root.path("targets").path(index).path("model");
        return model.isTextual() ? model.asText() : null;
    }

    /** A target's request counts as run.json writes them. */
    public record Requests(int measured, int ok, int failed) {
    }

    public Requests requests(int index) {
        JsonNode requests = root.path("targets").path(index).path("requests");
        return new Requests(requests.path("measured").asInt(), requests.path("ok").asInt(),
                requests.path("failed").asInt());
    }

    /** targets[index]'s total cost, 0 when not written. */
    public double costUsd(int index) {
        return root.path("targets").path(index).path("cost_usd").path("total").asDouble();
    }

    /** targets[index] as run.json writes it, without its encoded histograms: a copy the caller may keep. */
    public ObjectNode targetWithoutHistograms(int index) {
        ObjectNode target = ((ObjectNode) root.path("targets").path(index)).deepCopy();
        target.remove("histograms");
        return target;
    }

    /** One metric's figures as run.json writes them; a figure that is not a number reads as NaN. */
    public record Figures(long count, double mean, double p50, double p90, double p99, double worst10) {
    }

    /** targets[index]'s figures of a metric, null when run.json has none for it. */
    public Figures figures(int index, Metric metric) {
        JsonNode node = root.path("targets").path(index).path("metrics").path(metric.key());
        if (node.isMissingNode()) {
            return null;
        }
        return new Figures(node.path("count").asLong(), number(node.path("mean")), number(node.path("p50")),
                number(node.path("p90")), number(node.path("p99")), number(node.path("worst10")));
    }

    /** targets[index]'s encoded histogram of a metric (not decoded), null when it has none. */
    public String histogramData(int index, Metric metric) {
        JsonNode data = root.path("targets").path(index).path("histograms").path(metric.key()).path("data");
        return data.isTextual() ? data.asText() : null;
    }

    /** Whether targets[index] is the target named so. */
    public boolean isTarget(int index, String target) {
        return target.equals(root.path("targets").path(index).path("name").asText());
    }

    /** targets[index]'s inter-token latency histogram, null when it has none. */
    public Histogram interTokenLatency(int index) {
        JsonNode itl = root.path("targets").path(index).path("histograms").path(Metric.ITL_MS.key()).path("data");
        return itl.isTextual() ? decode(itl.asText(), index, Metric.ITL_MS) : null;
    }

    public int lateStarts(int index) {
        return root.path("targets").path(index).path("late_starts").asInt();
    }

    /** Why targets[index] stopped sending early (fail-fast), null when it did not. */
    public String stoppedEarly(int index) {
        return root.path("targets").path(index).path("stopped_early").asText(null);
    }

    /**
     * targets[index]'s figures from its encoded histograms and counters, with the failures run.json lists for it.
     *
     * @throws IllegalArgumentException when targets[index] is not the target named {@code target}
     */
    public TargetSummary summary(int index, String target) {
        if (!isTarget(index, target)) {
            throw new IllegalArgumentException(name + ": targets[" + index + "] is not target " + target);
        }
        JsonNode t = root.path("targets").path(index);
        Map<Metric, Histogram> histograms = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            JsonNode h = t.path("histograms").path(m.key()).path("data");
            histograms.put(m, h.isTextual() ? decode(h.asText(), index, m) : new Histogram(3));
        }
        List<RequestRecord> kept = new ArrayList<>();
        for (JsonNode f : root.path("failures")) {
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
        return TargetSummary.builder()
                .target(target)
                .requests(requests.path("measured").asInt())
                .ok(requests.path("ok").asInt())
                .warmups(requests.path("warmup").asInt())
                .good(t.path("goodput").path("good").asInt())
                .outcomes(outcomes)
                .outputTokens(tokens.path("output").asLong())
                .inputTokens(tokens.path("input").asLong())
                .reasoningTokens(tokens.path("reasoning").asLong())
                .costUsd(t.path("cost_usd").path("total").asDouble())
                .tokensEstimated(tokens.path("estimated").asBoolean())
                .tokenSources(new TokenSources(tokens.path("output_source").asText(null),
                        tokens.path("input_source").asText(null), tokens.path("reasoning_source").asText(null),
                        tokens.path("visible_source").asText(null)))
                .stoppedEarly(t.path("stopped_early").asText(null))
                .newConnections(t.path("connections").path("new").asInt())
                .reusedConnections(t.path("connections").path("reused").asInt())
                .metrics(metrics)
                .histograms(histograms)
                .failures(List.copyOf(kept))
                .lateStarts(t.path("late_starts").asInt())
                .retriedAttempts(t.path("retried_attempts").asInt())
                .samples(RequestSamples.ofHistograms(histograms))
                .dialectSums(dialectSums(t.path("dialects").path("sums")))
                .shapeExamples(shapeExamples(t.path("stream_shape").path("examples"), target))
                                .toolCalls(toolCalls(t.path("tool_calls")))
                .build();
    }

    /** A target's tool_calls block; none when absent (no tool calls, or a run.json from before them). */
    private static ToolCallSummary toolCalls(JsonNode calls) {
        if (!calls.isObject()) {
            return ToolCallSummary.NONE;
        }
        JsonNode p50 = calls.path("time_to_first_tool_call_ms_p50");
        JsonNode p99 = calls.path("time_to_first_tool_call_ms_p99");
        return new ToolCallSummary(calls.path("requests").asInt(), calls.path("tokens").asLong(),
                p50.isNumber() ? p50.asDouble() : Double.NaN, p99.isNumber() ? p99.asDouble() : Double.NaN);
    }

    /** The requests targets[index]'s stream-shape chart drew (typical first, then worst); empty when none. */
    public List<RequestRecord> shapeExamples(int index, String target) {
        return shapeExamples(root.path("targets").path(index).path("stream_shape").path("examples"), target);
    }

    /** The charted requests run.json keeps: a typical one first, then a worst one; none when it keeps none. */
    private static List<RequestRecord> shapeExamples(JsonNode examples, String target) {
        List<RequestRecord> list = new ArrayList<>();
        for (JsonNode e : examples) {
            JsonNode gaps = e.path("event_gaps_us");
            if (!gaps.isArray() || gaps.isEmpty()) {
                continue;
            }
            int[] micros = new int[gaps.size()];
            for (int i = 0; i < micros.length; i++) {
                if (!gaps.get(i).isIntegralNumber() || !gaps.get(i).canConvertToInt() || gaps.get(i).asInt() < 0) {
                    return List.of();
                }
                micros[i] = gaps.get(i).asInt();
            }
            list.add(RequestRecord.builder().requestId(e.path("request_id").asText()).target(target)
                    .outcome(Outcome.OK).contentEvents(micros.length + 1)
                    .tokensPerEvent(number(e.path("tokens_per_event")))
                    .pauseShare(number(e.path("pause_share"))).eventGaps(new EventGaps(micros)).costUsd(0).build());
        }
        return list;
    }

    /** The dialect sums run.json keeps; none in a run.json from before them. */
    private static Dialects.Sums dialectSums(JsonNode sums) {
        if (!sums.isObject()) {
            return Dialects.Sums.NONE;
        }
        return new Dialects.Sums(mean(sums.path("ttft_ms")), mean(sums.path("time_to_first_output_ms")),
                mean(sums.path("tpot_ms")), mean(sums.path("e2e_per_token_ms")),
                mean(sums.path("decode_from_first_output_ms")));
    }

    private static Dialects.Mean mean(JsonNode mean) {
        return new Dialects.Mean(mean.path("count").asLong(), mean.path("sum").asDouble());
    }

    /** A step as the live run saw it: its level (NaN when not written) and wall time. */
    public record StepFacts(double level, double wallSeconds) {
    }

    /** The steps run.json lists for a target, in order; empty when it lists none. */
    public List<StepFacts> steps(String target) {
        JsonNode found = null;
        for (JsonNode t : root.path("steps")) {
            if (t.path("target").asText().equals(target)) {
                found = t.path("steps");
            }
        }
        List<StepFacts> steps = new ArrayList<>();
        if (found != null) {
            for (JsonNode s : found) {
                steps.add(new StepFacts(number(s.path("level")), number(s.path("wall_seconds"))));
            }
        }
        return steps;
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

    private static Instant instant(JsonNode root, String field, String name) {
        try {
            return Instant.parse(root.path(field).asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": " + field + " is not an ISO-8601 instant (like "
                    + "2025-05-01T10:00:00Z): '" + root.path(field).asText() + "'");
        }
    }

    private Histogram decode(String data, int target, Metric m) {
        try {
            return HistogramCodec.decode(data);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": targets[" + target + "].histograms." + m.key() + ": "
                    + e.getMessage(), e);
        }
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }
}
