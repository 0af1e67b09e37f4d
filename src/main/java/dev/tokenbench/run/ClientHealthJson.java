package dev.tokenbench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.measure.ClientHealth;

import java.util.ArrayList;
import java.util.List;

/** run.json's {@code client} block, written and read back as a tree (no reflection). */
final class ClientHealthJson {
    static final String FIELD = "client";

    private ClientHealthJson() {
    }

    static void put(ObjectNode root, ClientHealth c) {
        if (c == null) {
            return;
        }
        ObjectNode node = root.putObject(FIELD);
        node.put("verdict", c.verdict());
        ArrayNode reasons = node.putArray("reasons");
        c.reasons().forEach(reasons::add);
        ObjectNode lag = node.putObject("event_loop_lag_ms");
        RunJson.putNumber(lag, "p50", c.lagP50Ms());
        RunJson.putNumber(lag, "p99", c.lagP99Ms());
        RunJson.putNumber(lag, "max", c.lagMaxMs());
        ObjectNode gc = node.putObject("gc_pause_ms");
        RunJson.putNumber(gc, "total", c.gcPauseTotalMs());
        RunJson.putNumber(gc, "max", c.gcPauseMaxMs());
        gc.put("count", c.gcPauses());
        RunJson.putNumber(node, "cpu_throttled_ms", c.cpuThrottledMs());
        RunJson.putNumber(node, "cpu_seconds", c.cpuSeconds());
        RunJson.putNumber(node, "cores_available", c.coresAvailable());
        node.put("late_starts", c.lateStarts());
        node.put("lag_affected_requests", c.lagAffectedRequests());
        if (Double.isNaN(c.dropLaggedMs())) {
            node.putNull("drop_lagged_ms");
        } else {
            RunJson.putNumber(node, "drop_lagged_ms", c.dropLaggedMs());
        }
        node.put("left_out_requests", c.leftOutRequests());
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
