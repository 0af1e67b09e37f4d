package dev.tokenbench.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.measure.ClientHealth;
import dev.tokenbench.run.RunJsonSchema.Client;
import dev.tokenbench.run.RunJsonSchema.GcPauses;
import dev.tokenbench.run.RunJsonSchema.Lag;

import java.util.ArrayList;
import java.util.List;

/** run.json's {@code client} block: written as a record ({@link Client}), read back from the tree. */
final class ClientHealthJson {
    static final String FIELD = "client";

    private ClientHealthJson() {
    }

    /** The block, or null for a run without it (left out of run.json then). */
    static Client of(ClientHealth c) {
        if (c == null) {
            return null;
        }
        return Client.builder()
                .verdict(c.verdict())
                .reasons(c.reasons())
                .eventLoopLagMs(new Lag(RunJson.number(c.lagP50Ms()),
                        RunJson.number(c.lagP99Ms()), RunJson.number(c.lagMaxMs())))
                .gcPauseMs(new GcPauses(RunJson.number(c.gcPauseTotalMs()), RunJson.number(c.gcPauseMaxMs()),
                        c.gcPauses()))
                .cpuThrottledMs(RunJson.number(c.cpuThrottledMs()))
                .cpuSeconds(RunJson.number(c.cpuSeconds()))
                .coresAvailable(RunJson.number(c.coresAvailable()))
                .lateStarts(c.lateStarts())
                .lagAffectedRequests(c.lagAffectedRequests())
                .dropLaggedMs(RunJson.number(c.dropLaggedMs()))
                .leftOutRequests(c.leftOutRequests())
                .build();
    }

    /** The block of a run.json, or null for a run written before it existed. */
    static ClientHealth read(JsonNode root) {
        JsonNode node = root == null ? null : root.get(FIELD);
        if (node == null || !node.isObject() || !node.path("verdict").isTextual()) {
            return null;
        }
        List<String> reasons = new ArrayList<>();
        node.path("reasons").forEach(r -> reasons.add(r.asText()));
        JsonNode lag = node.path("event_loop_lag_ms");
        JsonNode gc = node.path("gc_pause_ms");
        return ClientHealth.builder()
                .lagMs(number(lag.path("p50")), number(lag.path("p99")), number(lag.path("max")))
                .gcPauseMs(number(gc.path("total")), number(gc.path("max")), gc.path("count").asLong())
                .cpuThrottledMs(number(node.path("cpu_throttled_ms")))
                .cpuSeconds(number(node.path("cpu_seconds")), number(node.path("cores_available")))
                .lateStarts(node.path("late_starts").asLong())
                .requests(0, node.path("lag_affected_requests").asLong())
                .leftOut(number(node.path("drop_lagged_ms")), node.path("left_out_requests").asLong())
                .as(node.path("verdict").asText(), reasons);
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }
}
