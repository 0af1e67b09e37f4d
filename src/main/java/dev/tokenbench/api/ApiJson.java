package dev.tokenbench.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.config.ConfigError;
import dev.tokenbench.core.Json;
import dev.tokenbench.serve.RunService;
import dev.tokenbench.serve.Schedules;
import dev.tokenbench.store.HistoryPoint;
import dev.tokenbench.store.RunInfo;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * The JSON bodies of the REST API as records, written by the one mapper ({@link Json#MAPPER}): properties appear
 * in component order, snake_case on the wire. Registered for reflection, which Jackson needs for records in the
 * native image.
 */
final class ApiJson {
    private ApiJson() {
    }

    /** The body as compact JSON. */
    static String write(Object body) {
        try {
            return Json.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

    @RegisterForReflection
    record ErrorMessage(String error) {
    }

    /** A benchmark that did not load: every problem at once. */
    @RegisterForReflection
    record Rejected(String error, List<Problem> errors) {
    }

    @RegisterForReflection
    record Problem(String file, String field, String fix, String message) {
        static Problem of(ConfigError e) {
            return new Problem(e.file(), e.field(), e.fix(), e.toString());
        }
    }

    /** A run queued (POST /api/runs) or imported (POST /api/runs/import). */
    @RegisterForReflection
    record Accepted(String id, String status) {
    }

    /** One scheduled benchmark: runs started and turns skipped because the previous run was still going. */
    @RegisterForReflection
    record Schedule(String cron, long started, long skipped) {
        static Schedule of(Schedules.Counts c) {
            return new Schedule(c.cron(), c.started(), c.skipped());
        }
    }

    @RegisterForReflection
    record Runs(List<Object> runs) {
    }

    /** A run queued or running in this service: no figures yet. */
    @RegisterForReflection
    record Tracked(String id, String benchmark, String status, @JsonProperty("queued_at") String queuedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) String error) {
        static Tracked of(RunService.Tracked t) {
            return new Tracked(t.id(), t.name(), t.status(), t.queuedAt().toString(), t.error());
        }
    }

    /**
     * A finished run as the runs list shows it, read from {@link RunInfo}; {@code note} only for one the history
     * store does not have yet.
     */
    @RegisterForReflection
    @JsonPropertyOrder({"id", "benchmark", "status", "probe", "region", "started_at", "ended_at", "measured",
            "failed", "cost_usd", "targets", "note"})
    record Finished(@JsonIgnore RunInfo info, @JsonInclude(JsonInclude.Include.NON_NULL) String note) {
        static final String NOT_IN_HISTORY = "not in the history store yet (the store did not answer when the run "
                + "ended); its run directory has everything, and it is stored when the store answers";

        static Finished stored(RunInfo info) {
            return new Finished(info, null);
        }

        static Finished notInHistory(RunInfo info) {
            return new Finished(info, NOT_IN_HISTORY);
        }

        @JsonProperty("id")
        String id() {
            return info.id();
        }

        @JsonProperty("benchmark")
        String benchmark() {
            return info.name();
        }

        @JsonProperty("status")
        String status() {
            return info.status();
        }

        @JsonProperty("probe")
        String probe() {
            return info.probe();
        }

        @JsonProperty("region")
        String region() {
            return info.region();
        }

        @JsonProperty("started_at")
        String startedAt() {
            return info.startedAt().toString();
        }

        @JsonProperty("ended_at")
        String endedAt() {
            return info.endedAt().toString();
        }

        @JsonProperty("measured")
        int measured() {
            return info.measured();
        }

        @JsonProperty("failed")
        int failed() {
            return info.failed();
        }

        @JsonProperty("cost_usd")
        double costUsd() {
            return info.costUsd();
        }

        @JsonProperty("targets")
        List<String> targets() {
            return info.targets();
        }
    }

    /** GET /api/runs/{id} of a finished run: its line of the list, then figures from its run.json as stored. */
    @RegisterForReflection
    record Detail(@JsonUnwrapped Finished run, List<Summary> summaries, JsonNode comparisons, JsonNode failures) {
    }

    /** One target's figures, copied from run.json. */
    @RegisterForReflection
    record Summary(String target, JsonNode requests, JsonNode outcomes, JsonNode goodput,
            @JsonProperty("cost_usd") JsonNode costUsd, JsonNode metrics) {
        static Summary of(JsonNode target) {
            return new Summary(target.path("name").asText(), target.path("requests"), target.path("outcomes"),
                    target.path("goodput"), target.path("cost_usd"), target.path("metrics"));
        }
    }

    @RegisterForReflection
    record History(String target, String metric, String agg, String from, String to, List<Point> points) {
    }

    /** One run's value of a history series; null when the run had no successful request. */
    @RegisterForReflection
    record Point(@JsonProperty("run_id") String runId, String probe, String region,
            @JsonProperty("started_at") String startedAt, Double value, long count) {
        static Point of(HistoryPoint p) {
            return new Point(p.runId(), p.probe(), p.region(), p.startedAt().toString(),
                    Double.isNaN(p.value()) ? null : p.value(), p.count());
        }
    }
}
