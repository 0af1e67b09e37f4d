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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

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
 * what is {@link ApiAuth}'s rule, applied by {@link BearerTokenFilter} before any method here runs. The OpenAPI
 * document at {@code /q/openapi} comes from the annotations here: every status a method answers, with its body's
 * schema, and the bearer scheme on every endpoint (reads need it only with tokenbench.serve.read-requires-token).
 */
@Path("/api")
@BearerToken
@SecurityScheme(securitySchemeName = RunsResource.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A token from tokenbench.api.tokens, TOKENBENCH_API_TOKEN or tokenbench.api.token-file. Writes "
                + "always need it; reads only with tokenbench.serve.read-requires-token.")
@SecurityRequirement(name = RunsResource.BEARER)
@APIResponse(responseCode = "401", description = RunsResource.UNAUTHORIZED,
        content = @Content(mediaType = MediaType.APPLICATION_JSON,
                schema = @Schema(implementation = ApiJson.ErrorMessage.class)))
public class RunsResource {
    static final String NDJSON = "application/x-ndjson";
    static final String BEARER = "bearer";
    static final String UNAUTHORIZED = "The bearer token is missing (WWW-Authenticate: Bearer) or not accepted "
            + "(WWW-Authenticate: Bearer error=\"invalid_token\"); the body says which.";
    private static final String NO_RUN = "No run with this id, in this service or its history.";
    private static final String NOT_YET = "The run is queued or running: it has no such file yet.";

    private final RunService runs;
    private final HistoryStores stores;
    private final Schedules schedules;

    public RunsResource(RunService runs, HistoryStores stores, Schedules schedules) {
        this.runs = runs;
        this.stores = stores;
        this.schedules = schedules;
    }

    /** Per scheduled benchmark: runs started and turns skipped because the previous run was still going. */
    @Operation(summary = "Runs started and turns skipped, per scheduled benchmark")
    @APIResponse(responseCode = "200", description = "A map from benchmark name to its counts.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT,
                    additionalProperties = ApiJson.Schedule.class)))
    @GET
    @Path("/schedules")
    @Produces(MediaType.APPLICATION_JSON)
    public Response schedules() {
        Map<String, ApiJson.Schedule> json = new LinkedHashMap<>();
        schedules.counts().forEach((name, counts) -> json.put(name, ApiJson.Schedule.of(counts)));
        return ok(json);
    }

    @Operation(summary = "Start a run", description = "The body is a benchmark file (YAML or JSON), or "
            + "{\"benchmark\": \"NAME\"} for one in tokenbench.serve.benchmarks-dir. A posted file is untrusted: "
            + "no server secrets, files or commands, no private or link-local addresses.")
    @RequestBody(required = true, content = {@Content(mediaType = "application/yaml",
            schema = @Schema(type = SchemaType.STRING)), @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.OBJECT))})
    @APIResponse(responseCode = "202", description = "Queued; poll the Location.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiJson.Accepted.class)),
            headers = @Header(name = "Location", description = "/api/runs/{id}",
                    schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "The benchmark does not load: every problem at once, each "
            + "naming its field and fix.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiJson.Rejected.class)))
    @APIResponse(responseCode = "404", description = "No configured benchmark of that name.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiJson.ErrorMessage.class)))
    @APIResponse(responseCode = "429", description = "Too many runs queued.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiJson.ErrorMessage.class)))
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
        return Response.accepted(ApiJson.write(new ApiJson.Accepted(id, RunService.QUEUED)))
                .header("Location", "/api/runs/" + id).build();
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

    @Operation(summary = "Runs: queued, running, and finished ones from history, newest first")
    @APIResponse(responseCode = "200", description = "Each run is a Tracked (queued, running) or a Finished run.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiJson.Runs.class)))
    @APIResponse(responseCode = "400", description = "A bad since or limit.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiJson.ErrorMessage.class)))
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

    @Operation(summary = "One run: its status, or for a finished run its summaries, comparisons and failures")
    @APIResponse(responseCode = "200", description = "A Detail for a finished run; a Tracked while it is queued or "
            + "running.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiJson.Detail.class)))
    @APIResponse(responseCode = "404", description = NO_RUN,
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiJson.ErrorMessage.class)))
    @APIResponse(responseCode = "500", description = "The stored run.json is damaged.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiJson.ErrorMessage.class)))
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

    @Operation(summary = "The run's report.html")
    @APIResponse(responseCode = "200", description = "report.html",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(responseCode = "404", description = NO_RUN,
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiJson.ErrorMessage.class)))
    @APIResponse(responseCode = "409", description = NOT_YET,
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiJson.ErrorMessage.class)))
    @GET
    @Path("/runs/{id}/report")
    @Produces(MediaType.TEXT_HTML)
    public Response reportHtml(@PathParam("id") String id) throws IOException {
        return file(id, "report.html", "text/html; charset=utf-8");
    }

    @Operation(summary = "The run's report.md")
    @APIResponse(responseCode = "200", description = "report.md",
            content = @Content(mediaType = "text/markdown"))
    @APIResponse(responseCode = "404", description = NO_RUN,
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiJson.ErrorMessage.class)))
    @APIResponse(responseCode = "409", description = NOT_YET,
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiJson.ErrorMessage.class)))
    @GET
    @Path("/runs/{id}/report.md")
    @Produces("text/markdown")
    public Response reportMarkdown(@PathParam("id") String id) throws IOException {
        return file(id, "report.md", "text/markdown; charset=utf-8");
    }

    /** The run's run.json as stored (config redacted, summaries, encoded histograms): what compare --server reads. */
    @Operation(summary = "The run's run.json as stored (config redacted, summaries, encoded histograms)")
    @APIResponse(responseCode = "200", description = "run.json, as DESIGN.md defines it.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "404", description = NO_RUN,
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiJson.ErrorMessage.class)))
    @APIResponse(responseCode = "409", description = NOT_YET,
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiJson.ErrorMessage.class)))
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

    @Operation(summary = "The run's request records, one JSON object per line")
    @APIResponse(responseCode = "200", description = "requests.jsonl",
            content = @Content(mediaType = NDJSON))
    @APIResponse(responseCode = "404", description = NO_RUN,
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiJson.ErrorMessage.class)))
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

    @Operation(summary = "One target's metric over time, one point per run")
    @APIResponse(responseCode = "200", description = "The series.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiJson.History.class)))
    @APIResponse(responseCode = "400", description = "A missing target, an unknown agg, or a bad range/from/to.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiJson.ErrorMessage.class)))
    @GET
    @Path("/history")
    @Produces(MediaType.APPLICATION_JSON)
    public Response history(@QueryParam("benchmark") String benchmark, @QueryParam("target") String target,
            @QueryParam("metric") String metric, @QueryParam("agg") String agg, @QueryParam("range") String range,
            @QueryParam("from") String from, @QueryParam("to") String to) {
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
        List<HistoryPoint> points = stores.store().history(blankToNull(benchmark), target, m, a, start,
                end.plusMillis(1));
        return ok(new ApiJson.History(target, m, a, start.toString(), end.toString(),
                points.stream().map(ApiJson.Point::of).toList()));
    }

    /** A finished run from a remote probe: {"probe", "region", "run": run.json, "records": [line, …]}. */
    /** The service's wall clock in microseconds since the epoch: shards estimate their clock's offset from it. */
    @Operation(summary = "This service's wall clock, microseconds since the epoch (sharded runs measure their offset)")
    @APIResponse(responseCode = "200", description = "A whole number of microseconds.",
            content = @Content(mediaType = MediaType.TEXT_PLAIN))
    @GET
    @Path("/clock")
    @Produces(MediaType.TEXT_PLAIN)
    public String clock() {
        return Long.toString(Duration.between(Instant.EPOCH, Instant.now()).toNanos() / 1_000);
    }

    @Operation(summary = "Store a finished run sent by a remote probe (tokenbench publish)")
    @APIResponse(responseCode = "201", description = "Stored.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiJson.Accepted.class)))
    @APIResponse(responseCode = "400", description = "Not a run bundle, or no probe name.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiJson.ErrorMessage.class)))
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
