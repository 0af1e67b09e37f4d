package dev.tokenbench.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.config.ConfigException;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.core.Json;
import dev.tokenbench.serve.RunService;
import dev.tokenbench.serve.Schedules;
import dev.tokenbench.serve.ShardGroups;
import dev.tokenbench.store.HistoryPoint;
import dev.tokenbench.store.HistoryStore;
import dev.tokenbench.store.HistoryStores;
import dev.tokenbench.store.RunFilter;
import dev.tokenbench.store.RunInfo;
import dev.tokenbench.store.StoredRun;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;

/**
 * The REST API of {@code serve}. Bodies are {@link ApiJson} records written by the one mapper. Who may call
 * what is {@link ApiAuth}'s rule, applied by {@link BearerTokenFilter} before any method here runs.
 */
@Path("/api")
@BearerToken
public class RunsResource {
    static final String NDJSON = "application/x-ndjson";

    private final RunService runs;
    private final HistoryStores stores;
    private final Schedules schedules;

    public RunsResource(RunService runs, HistoryStores stores, Schedules schedules) {
        this.runs = runs;
        this.stores = stores;
        this.schedules = schedules;
    }

    /** Per scheduled benchmark: runs started and turns skipped because the previous run was still going. */
    @GET
    @Path("/schedules")
    @Produces(MediaType.APPLICATION_JSON)
    public Response schedules() {
        Map<String, ApiJson.Schedule> json = new LinkedHashMap<>();
        schedules.counts().forEach((name, counts) -> json.put(name, ApiJson.Schedule.of(counts)));
        return ok(json);
    }

    @POST
    @Path("/runs")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response start(String body) {
        if (body == null || body.isBlank()) {
            return error(Response.Status.BAD_REQUEST, "the body must be a benchmark file (YAML or JSON) or "
                    + "{\"benchmark\": \"<name>\"} for a configured one");
        }
        RunPlan plan;
        try {
            Optional<String> configured = configuredName(body);
            if (configured.isPresent()) {
                Optional<RunPlan> loaded = runs.loadConfigured(configured.get());
                if (loaded.isEmpty()) {
                    return error(Response.Status.NOT_FOUND, "no configured benchmark '" + configured.get()
                            + "' (looked for NAME.yaml, .yml or .json in tokenbench.serve.benchmarks-dir)");
                }
                plan = loaded.get();
            } else {
                plan = runs.load("request body", body);
            }
        } catch (ConfigException e) {
            ApiJson.Rejected json = new ApiJson.Rejected("the benchmark has " + e.errors().size()
                    + (e.errors().size() == 1 ? " problem" : " problems") + "; nothing was started",
                    e.errors().stream().map(ApiJson.Problem::of).toList());
            return Response.status(Response.Status.BAD_REQUEST).entity(ApiJson.write(json)).build();
        }
        String id;
        try {
            id = runs.submit(plan);
        } catch (RejectedExecutionException e) {
            return error(Response.Status.TOO_MANY_REQUESTS, "too many runs queued; try again when one finished");
        }
        return Response.accepted(ApiJson.write(new ApiJson.Accepted(id, RunService.QUEUED))).header("Location", "/api/runs/" + id).build();
    }

    /** {"benchmark": "name"} and nothing else names a configured benchmark; anything else is a benchmark file. */
    private static Optional<String> configuredName(String body) {
        String trimmed = body.strip();
        if (!trimmed.startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(trimmed);
            if (node.isObject() && node.size() == 1 && node.path("benchmark").isTextual()) {
                return Optional.of(node.path("benchmark").asText());
            }
        } catch (IOException e) {
            // Not JSON: the loader reports it as YAML.
        }
        return Optional.empty();
    }

    @GET
    @Path("/runs")
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("benchmark") String benchmark, @QueryParam("target") String target,
            @QueryParam("probe") String probe, @QueryParam("since") String since, @QueryParam("limit") String limit) {
        Instant from;
        try {
            from = since == null || since.isBlank() ? null : parseSince(since);
        } catch (IllegalArgumentException e) {
            return error(Response.Status.BAD_REQUEST, e.getMessage());
        }
        int most = limit == null || limit.isBlank() ? RunFilter.DEFAULT_LIMIT : wholeNumber(limit.strip());
        if (most < 1 || most > RunFilter.MAX_LIMIT) {
            return error(Response.Status.BAD_REQUEST, "limit must be a whole number from 1 to " + RunFilter.MAX_LIMIT
                    + " (default " + RunFilter.DEFAULT_LIMIT + "); found '" + limit + "'");
        }
        List<Object> list = new ArrayList<>();
        for (RunService.Tracked t : runs.trackedRuns()) {
            if ((benchmark == null || benchmark.equals(t.name())) && target == null && probe == null) {
                list.add(ApiJson.Tracked.of(t));
            }
        }
        for (RunInfo r : runs.runsNotInHistory()) {
            if ((benchmark == null || benchmark.equals(r.name())) && target == null && probe == null) {
                list.add(ApiJson.Finished.notInHistory(r));
            }
        }
        for (RunInfo info : stores.store().list(new RunFilter(blankToNull(benchmark), blankToNull(target),
                blankToNull(probe), from, most))) {
            list.add(ApiJson.Finished.stored(info));
        }
        return ok(new ApiJson.Runs(list));
    }

    @GET
    @Path("/runs/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("id") String id) {
        Optional<RunService.Tracked> tracked = runs.tracked(id);
        if (tracked.isPresent()) {
            return ok(ApiJson.Tracked.of(tracked.get()));
        }
        Optional<StoredRun> notStored = runs.notInHistory(id);
        ApiJson.Finished run;
        String storedJson;
        if (notStored.isPresent()) {
            run = ApiJson.Finished.notInHistory(notStored.get().info());
            storedJson = notStored.get().runJson();
        } else {
            HistoryStore store = stores.store();
            Optional<RunInfo> info = store.info(id);
            if (info.isEmpty()) {
                return notFound(id);
            }
            run = ApiJson.Finished.stored(info.get());
            storedJson = store.runJson(id).orElse("{}");
        }
        JsonNode runJson;
        try {
            runJson = Json.MAPPER.readTree(storedJson);
        } catch (IOException e) {
            return error(Response.Status.INTERNAL_SERVER_ERROR, "the stored run.json of " + id + " is not JSON");
        }
        List<ApiJson.Summary> summaries = new ArrayList<>();
        for (JsonNode t : runJson.path("targets")) {
            summaries.add(ApiJson.Summary.of(t));
        }
        return ok(new ApiJson.Detail(run, summaries, runJson.path("comparisons"), runJson.path("failures")));
    }

    @GET
    @Path("/runs/{id}/report")
    @Produces(MediaType.TEXT_HTML)
    public Response reportHtml(@PathParam("id") String id) throws IOException {
        return file(id, "report.html", "text/html; charset=utf-8");
    }

    @GET
    @Path("/runs/{id}/report.md")
    @Produces("text/markdown")
    public Response reportMarkdown(@PathParam("id") String id) throws IOException {
        return file(id, "report.md", "text/markdown; charset=utf-8");
    }

    /** The run's run.json as stored (config redacted, summaries, encoded histograms): what compare --server reads. */
    @GET
    @Path("/runs/{id}/run.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response runJson(@PathParam("id") String id) {
        if (runs.tracked(id).isPresent()) {
            return error(Response.Status.CONFLICT, "run " + id + " has no run.json yet: it is "
                    + runs.tracked(id).get().status());
        }
        Optional<StoredRun> kept = runs.notInHistory(id);
        if (kept.isPresent()) {
            return Response.ok(kept.get().runJson(), MediaType.APPLICATION_JSON).build();
        }
        Optional<String> json = stores.store().runJson(id);
        if (json.isEmpty()) {
            return notFound(id);
        }
        return Response.ok(json.get(), MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("/runs/{id}/requests")
    @Produces(NDJSON)
    public Response requests(@PathParam("id") String id) {
        StringBuilder lines = new StringBuilder();
        Optional<StoredRun> kept = runs.notInHistory(id);
        if (kept.isPresent()) {
            kept.get().records().forEach(line -> lines.append(line).append('\n'));
        } else if (!stores.store().records(id, line -> lines.append(line).append('\n'))) {
            return notFound(id);
        }
        return Response.ok(lines.toString(), NDJSON).build();
    }

    private Response file(String id, String name, String type) throws IOException {
        if (runs.tracked(id).isPresent()) {
            return error(Response.Status.CONFLICT, "run " + id + " has no report yet: it is "
                    + runs.tracked(id).get().status());
        }
        var dir = runs.reportDirectory(id);
        if (dir.isEmpty()) {
            return notFound(id);
        }
        return Response.ok(Files.readString(dir.get().resolve(name), StandardCharsets.UTF_8), type).build();
    }

    @GET
    @Path("/history")
    @Produces(MediaType.APPLICATION_JSON)
    public Response history(@QueryParam("target") String target, @QueryParam("metric") String metric,
            @QueryParam("agg") String agg, @QueryParam("range") String range, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        if (target == null || target.isBlank()) {
            return error(Response.Status.BAD_REQUEST, "target is required, e.g. ?target=openai&metric=stream_tps"
                    + "&agg=mean&range=1d");
        }
        String m = metric == null || metric.isBlank() ? "stream_tps" : metric;
        String a = agg == null || agg.isBlank() ? "mean" : agg;
        if (!HistoryStore.AGGREGATIONS.contains(a)) {
            return error(Response.Status.BAD_REQUEST, "agg must be one of " + HistoryStore.AGGREGATIONS
                    + ", found '" + a + "'");
        }
        Instant end;
        Instant start;
        try {
            end = to == null || to.isBlank() ? Instant.now() : Instant.parse(to);
            start = from != null && !from.isBlank() ? Instant.parse(from)
                    : end.minus(parseRange(range == null || range.isBlank() ? "1d" : range));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return error(Response.Status.BAD_REQUEST, "range must be like 4h, 1d or 7d, and from/to ISO-8601 "
                    + "instants like 2025-05-01T10:00:00Z: " + e.getMessage());
        }
        List<HistoryPoint> points = stores.store().history(target, m, a, start, end.plusMillis(1));
        return ok(new ApiJson.History(target, m, a, start.toString(), end.toString(),
                points.stream().map(ApiJson.Point::of).toList()));
    }

    /** A finished run from a remote probe: {"probe", "region", "run": run.json, "records": [line, …]}. */
    /** The service's wall clock in microseconds since the epoch: shards estimate their clock's offset from it. */
    @GET
    @Path("/clock")
    @Produces(MediaType.TEXT_PLAIN)
    public String clock() {
        return Long.toString(Duration.between(Instant.EPOCH, Instant.now()).toNanos() / 1_000);
    }

    @POST
    @Path("/runs/import")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response importRun(String body) {
        StoredRun run;
        try {
            JsonNode bundle = Json.MAPPER.readTree(body == null ? "" : body);
            String probe = bundle.path("probe").asText("");
            if (probe.isBlank() || !probe.matches("[A-Za-z0-9._-]+")) {
                return error(Response.Status.BAD_REQUEST, "probe is required: the sending probe's name "
                        + "(letters, digits, . _ -)");
            }
            List<String> records = new ArrayList<>();
            for (JsonNode line : bundle.path("records")) {
                records.add(line.isTextual() ? line.asText() : line.toString());
            }
            JsonNode runJson = bundle.path("run");
            String id = probe + "-" + runJson.path("run_id").asText();
            run = StoredRun.fromRunJson(runJson, records, id, probe, bundle.path("region").asText(""));
        } catch (IOException | IllegalArgumentException e) {
            return error(Response.Status.BAD_REQUEST, "not a run bundle: " + e.getMessage());
        }
        ShardGroups.Outcome outcome;
        try {
            outcome = runs.storeImported(run);
        } catch (IOException | IllegalArgumentException e) {
            return error(Response.Status.BAD_REQUEST, "not a shard of the group it names: " + e.getMessage());
        }
        if (outcome.toStore().isEmpty()) {
            // A shard of a sharded run: stored once its group is complete, as one run.
            return Response.status(Response.Status.ACCEPTED).entity(ApiJson.write(new ApiJson.Accepted(run.id(),
                    outcome.status() + " (" + outcome.arrived() + " of " + outcome.count() + ")"))).build();
        }
        StoredRun stored = outcome.toStore().get();
        return Response.status(Response.Status.CREATED)
                .entity(ApiJson.write(new ApiJson.Accepted(stored.id(), stored.status())))
                .header("Location", "/api/runs/" + stored.id()).build();
    }

    static Duration parseRange(String range) {
        return RunFilter.parseRange(range);
    }

    /** The value of a whole-number parameter, or -1 when it is not one (or too long to be one). */
    private static int wholeNumber(String text) {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Integer.parseInt(text);
    }

    private static Instant parseSince(String since) {
        return RunFilter.parseSince(since, Instant.now());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Response ok(Object json) {
        return Response.ok(ApiJson.write(json), MediaType.APPLICATION_JSON).build();
    }

    private static Response notFound(String id) {
        return error(Response.Status.NOT_FOUND, "no run " + id);
    }

    static Response error(Response.Status status, String message) {
        return Response.status(status).entity(errorJson(message)).type(MediaType.APPLICATION_JSON).build();
    }

    static String errorJson(String message) {
        return ApiJson.write(new ApiJson.ErrorMessage(message));
    }
}
