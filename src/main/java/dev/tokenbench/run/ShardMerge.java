package dev.tokenbench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.core.Json;
import dev.tokenbench.measure.ClientHealth;
import dev.tokenbench.measure.HistogramCodec;
import dev.tokenbench.measure.Metric;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run from the shards of a sharded run ({@code merge DIR…}, and the central service for shards published with
 * one group id). The shards must share one plan (every field of plan.json that says what was run: name, prompts,
 * load, SLO, baseline, config, exact durations, targets); their records are put together, each tagged with its
 * shard and its times moved onto the first shard's clock by the shards' wall-clock starts, and the run is rebuilt
 * from them by {@link RunRebuild} as {@code report DIR} rebuilds one run: every count is the sum, every percentile
 * comes from the pooled requests' HdrHistograms, exactly what {@link Histogram#add} of the shards' histograms
 * gives. What no record carries is merged from the shards' run.json: inter-token latency histograms added, late
 * starts and CPU summed, the run's span from the earliest start to the latest end, the worst client verdict.
 */
public final class ShardMerge {
    /** The fields of plan.json that say what was run: shards must agree on every one. */
    public static final List<String> PLAN_FIELDS = List.of("name", "prompts", "load", "slo", "baseline", "config",
            "exact", "targets");
    /** What a target is (not what it measured: a run.json's targets carry figures too). */
    private static final List<String> TARGET_FIELDS = List.of("name", "api", "model", "deployment", "base_url",
            "http_version", "insecure_skip_verify", "labels", "tokenizer", "pricing");
    /** The field each merged record gets: the index of the shard that sent it. */
    public static final String SHARD_FIELD = "shard";
    private static final Pattern SHARD_SUFFIX = Pattern.compile("-s(\\d{1,5})of(\\d{1,5})$");
    private static final List<String> RECORD_TIMES = List.of("t_intended_ns", "t_first_attempt_send_ns", "t_send_ns",
            "t_headers_ns", "t_first_output_ns", "t_first_token_ns", "t_first_tool_call_ns", "t_end_ns");

    /**
     * One shard's files.
     *
     * @param name what the shard is called in messages (its directory)
     * @param plan its plan.json, or its run.json when it has none (a run published to the central service)
     * @param run  its run.json
     */
    public record Part(String name, JsonNode plan, JsonNode run) {
    }

    /**
     * The merged plan.json and run.json (the latter what {@link RunRebuild} keeps of an earlier run.json: merged
     * inter-token latency, late starts, span, CPU, client, shard block), and how each part's records are rewritten.
     */
    public static final class Merged {
        private final ObjectNode plan;
        private final ObjectNode run;
        private final List<Part> parts;
        private final int[] shardIndex;
        private final long[] shiftNanos;

        private Merged(ObjectNode plan, ObjectNode run, List<Part> parts, int[] shardIndex, long[] shiftNanos) {
            this.plan = plan;
            this.run = run;
            this.parts = parts;
            this.shardIndex = shardIndex;
            this.shiftNanos = shiftNanos;
        }

        public ObjectNode plan() {
            return plan;
        }

        public ObjectNode run() {
            return run;
        }

        /** The parts, by shard index: what {@link #record} numbers them by. */
        public List<Part> parts() {
            return parts;
        }

        public String runId() {
            return plan.path("run_id").asText();
        }

        /**
         * A record line of part {@code part}, tagged with its shard and its times on the merged clock; null for a
         * line that is not a JSON object (a line cut short by a crash: the rebuild would skip it too).
         */
        public String record(int part, String line) {
            JsonNode node;
            try {
                node = Json.MAPPER.readTree(line);
            } catch (IOException e) {
                return null;
            }
            if (!(node instanceof ObjectNode record)) {
                return null;
            }
            record.put(SHARD_FIELD, shardIndex[part]);
            long shift = shiftNanos[part];
            if (shift != 0) {
                for (String field : RECORD_TIMES) {
                    JsonNode t = record.path(field);
                    if (t.isIntegralNumber() && t.asLong() != 0) {
                        record.put(field, t.asLong() + shift);
                    }
                }
            }
            return record.toString();
        }
    }

    private ShardMerge() {
    }

    /**
     * Checks that the parts are shards of one run and merges their plan.json and run.json.
     *
     * @param warnings told about what is merged but odd (a shard missing, two tokenbench versions)
     * @throws IllegalArgumentException naming the part that does not fit and why: another plan, another group or
     *                                  count, a shard twice, a file that is not a shard's
     */
    public static Merged merge(List<Part> given, Consumer<String> warnings) {
        if (given.size() < 2) {
            throw new IllegalArgumentException("merge needs the directories of two or more shards of one run");
        }
        List<Part> parts = new ArrayList<>();
        List<Sharding.Shard> shards = new ArrayList<>();
        List<Sharding> facts = new ArrayList<>();
        for (Part p : given) {
            RunJsonReader.check(p.plan(), p.name() + "/" + RunManifest.FILE);
            RunJsonReader reader = RunJsonReader.of(p.run(), p.name() + "/run.json");
            Sharding sharding = reader.sharding();
            if (sharding == null) {
                sharding = fromRunId(p);
            }
            if (sharding.shards().size() != 1 || sharding.count() < 2) {
                throw new IllegalArgumentException(p.name() + " is not one shard of a sharded run (its run.json has "
                        + (sharding.shards().size() == 1 ? "shard count 1" : "the shard block of a merged run")
                        + "); merge the directories that `run --shard I/N` wrote");
            }
            parts.add(p);
            facts.add(sharding);
            shards.add(sharding.shards().get(0));
        }
        Part first = parts.get(0);
        Sharding firstFacts = facts.get(0);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            Sharding f = facts.get(i);
            for (String field : PLAN_FIELDS) {
                if (!planField(first.plan(), field).equals(planField(p.plan(), field))) {
                    throw new IllegalArgumentException(p.name() + " ran another plan than " + first.name() + " (its "
                            + RunManifest.FILE + " differs in " + field + "): only shards of one plan are merged");
                }
            }
            if (f.count() != firstFacts.count()) {
                throw new IllegalArgumentException(p.name() + " is a shard of " + f.count() + ", " + first.name()
                        + " of " + firstFacts.count() + ": not shards of one run");
            }
            if (f.group() != null && firstFacts.group() != null && !f.group().equals(firstFacts.group())) {
                throw new IllegalArgumentException(p.name() + " is of shard group " + f.group() + ", " + first.name()
                        + " of " + firstFacts.group() + ": not shards of one run");
            }
            if (!seen.add(shards.get(i).index())) {
                throw new IllegalArgumentException(p.name() + " is shard " + shards.get(i).index() + " again: give "
                        + "each shard's directory once");
            }
            if (!first.plan().path("tokenbench_version").equals(p.plan().path("tokenbench_version"))) {
                warnings.accept(p.name() + " was run by tokenbench " + p.plan().path("tokenbench_version").asText()
                        + ", " + first.name() + " by " + first.plan().path("tokenbench_version").asText());
            }
        }
        if (seen.size() < firstFacts.count()) {
            List<Integer> missing = new ArrayList<>();
            for (int i = 0; i < firstFacts.count(); i++) {
                if (!seen.contains(i)) {
                    missing.add(i);
                }
            }
            warnings.accept("merging " + seen.size() + " of " + firstFacts.count() + " shards: shard(s) " + missing
                    + " missing, so the merged run has only part of the plan's load");
        }
        // By shard index, so that the merged files read in order whatever order the directories came in.
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> shards.get(i).index()));
        List<Part> sorted = new ArrayList<>();
        List<Sharding.Shard> sortedShards = new ArrayList<>();
        for (int i : order) {
            sorted.add(parts.get(i));
            sortedShards.add(shards.get(i));
        }
        return build(sorted, sortedShards, firstFacts);
    }

    /** A field of what was run; targets by what they are, so that a run.json (which has no plan.json) compares. */
    private static JsonNode planField(JsonNode plan, String field) {
        if (!field.equals("targets")) {
            return plan.path(field);
        }
        ArrayNode targets = Json.MAPPER.createArrayNode();
        for (JsonNode t : plan.path("targets")) {
            ObjectNode identity = targets.addObject();
            for (String key : TARGET_FIELDS) {
                if (t.has(key)) {
                    identity.set(key, t.get(key));
                }
            }
        }
        return targets;
    }

    private static Merged build(List<Part> parts, List<Sharding.Shard> shards, Sharding facts) {
        int n = parts.size();
        Instant[] started = new Instant[n];
        long[] startNanos = new long[n];
        for (int i = 0; i < n; i++) {
            started[i] = Instant.parse(parts.get(i).plan().path("started_at").asText());
            startNanos[i] = parts.get(i).plan().path("start_nanos").asLong();
        }
        // Records move onto shard 0's monotonic clock by the wall-clock starts: each shard's own durations are kept
        // exactly, and their order across shards is as good as the machines' clocks agree.
        long[] shift = new long[n];
        boolean clocksKnown = true;
        for (Part p : parts) {
            clocksKnown &= p.plan().path("start_nanos").asLong() != 0;
        }
        for (int i = 1; i < n && clocksKnown; i++) {
            shift[i] = Duration.between(started[0], started[i]).toNanos() - (startNanos[i] - startNanos[0]);
        }
        int[] index = new int[n];
        for (int i = 0; i < n; i++) {
            index[i] = shards.get(i).index();
        }
        String runId = SHARD_SUFFIX.matcher(parts.get(0).plan().path("run_id").asText()).replaceFirst("")
                + "-merged";
        Instant earliest = started[0];
        for (Instant s : started) {
            earliest = s.isBefore(earliest) ? s : earliest;
        }
        ObjectNode plan = parts.get(0).plan().deepCopy();
        plan.put("run_id", runId);
        plan.put("started_at", started[0].toString());
        plan.remove("start_at_nanos");
        ObjectNode run = mergeRunJson(parts, runId, earliest);
        Sharding merged = new Sharding(facts.group(), facts.count(), facts.startAt(), List.copyOf(shards),
                Sharding.spreadMs(shards, facts.startAt()));
        run.set(RunJson.SHARD_FIELD, Json.MAPPER.valueToTree(RunJson.sharding(merged)));
        return new Merged(plan, run, List.copyOf(parts), index, shift);
    }

    /** What the rebuild keeps of run.json, merged: ITL added, late starts and CPU summed, span, status, client. */
    private static ObjectNode mergeRunJson(List<Part> parts, String runId, Instant earliest) {
        ObjectNode run = parts.get(0).run().deepCopy();
        run.put("run_id", runId);
        run.put("started_at", earliest.toString());
        Instant latest = null;
        double cpu = 0;
        boolean anyInterrupted = false;
        boolean anyDone = false;
        JsonNode worstClient = null;
        for (Part p : parts) {
            JsonNode r = p.run();
            if (r.path("ended_at").isTextual()) {
                Instant end = Instant.parse(r.path("ended_at").asText());
                latest = latest == null || end.isAfter(latest) ? end : latest;
            }
            cpu += r.path("client_cpu_seconds").asDouble(0);
            String status = r.path("status").asText(RunResult.INTERRUPTED);
            anyInterrupted |= RunResult.INTERRUPTED.equals(status) || !r.path("ended_at").isTextual();
            anyDone |= RunResult.DONE.equals(status);
            if (worstClient == null || rank(r.path("client")) > rank(worstClient)) {
                worstClient = r.path("client");
            }
        }
        if (latest != null && !anyInterrupted) {
            run.put("ended_at", latest.toString());
            run.put("wall_seconds", Duration.between(earliest, latest).toNanos() / 1e9);
        } else {
            run.remove("ended_at"); // the rebuild then takes the span from the records
        }
        run.put("status", anyInterrupted ? RunResult.INTERRUPTED : anyDone ? RunResult.DONE : RunResult.FAILED);
        run.put("client_cpu_seconds", cpu);
        if (worstClient != null && worstClient.isObject()) {
            run.set("client", worstClient.deepCopy());
        }
        ArrayNode targets = (ArrayNode) run.path("targets");
        for (int t = 0; t < targets.size(); t++) {
            ObjectNode target = (ObjectNode) targets.get(t);
            Histogram itl = null;
            int lateStarts = 0;
            List<String> stopped = new ArrayList<>();
            for (Part p : parts) {
                JsonNode other = p.run().path("targets").path(t);
                lateStarts += other.path("late_starts").asInt();
                if (other.path("stopped_early").isTextual()) {
                    JsonNode shard = p.run().path(RunJson.SHARD_FIELD).path("shards").path(0).path("index");
                    stopped.add("shard " + (shard.isInt() ? shard.asInt() : "?") + ": "
                            + other.path("stopped_early").asText());
                }
                JsonNode data = other.path("histograms").path(Metric.ITL_MS.key()).path("data");
                if (data.isTextual()) {
                    Histogram h = HistogramCodec.decode(data.asText());
                    if (itl == null) {
                        itl = h;
                    } else {
                        itl.add(h);
                    }
                }
            }
            target.put("late_starts", lateStarts);
            if (stopped.isEmpty()) {
                target.remove("stopped_early");
            } else {
                target.put("stopped_early", String.join("; ", stopped)); // each shard stops on its own
            }
            // Each shard charted its own typical and worst request; which are the merged run's, no record says.
            if (target.path("stream_shape").isObject()) {
                ((ObjectNode) target.path("stream_shape")).remove("examples");
            }
            if (itl != null) {
                ((ObjectNode) target.path("histograms").path(Metric.ITL_MS.key())).put("data",
                        HistogramCodec.encode(itl));
            }
        }
        mergeStepWalls(run, parts);
        return run;
    }

    /** A sweep's step took as long as its slowest shard's. */
    private static void mergeStepWalls(ObjectNode run, List<Part> parts) {
        JsonNode steps = run.path("steps");
        for (int t = 0; t < steps.size(); t++) {
            JsonNode list = steps.path(t).path("steps");
            for (int s = 0; s < list.size(); s++) {
                double wall = 0;
                for (Part p : parts) {
                    wall = Math.max(wall, p.run().path("steps").path(t).path("steps").path(s).path("wall_seconds")
                            .asDouble(0));
                }
                ((ObjectNode) list.get(s)).put("wall_seconds", wall);
            }
        }
    }

    private static int rank(JsonNode client) {
        String verdict = client.path("verdict").asText("");
        return switch (verdict) {
            case ClientHealth.UNTRUSTWORTHY -> 3;
            case ClientHealth.DEGRADED -> 2;
            case ClientHealth.GOOD -> 1;
            default -> 0;
        };
    }

    /** A shard's facts from its run id's -sIofN, for a shard whose run.json was rebuilt after a crash. */
    private static Sharding fromRunId(Part p) {
        String runId = p.plan().path("run_id").asText();
        Matcher m = SHARD_SUFFIX.matcher(runId);
        if (!m.find()) {
            throw new IllegalArgumentException(p.name() + " is not a shard's run directory: its run.json has no "
                    + "shard block and its run id " + runId + " does not end in -sIofN");
        }
        int index = Integer.parseInt(m.group(1));
        int count = Integer.parseInt(m.group(2));
        return new Sharding(null, count, null, List.of(new Sharding.Shard(index, runId, null, Double.NaN,
                Sharding.ClockOffset.UNKNOWN)), Double.NaN);
    }
}
