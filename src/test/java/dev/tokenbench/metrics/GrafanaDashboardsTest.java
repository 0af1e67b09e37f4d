package dev.tokenbench.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.core.Json;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a reader of the shipped Grafana dashboards sees at a glance: a stat row of headline numbers on top, rates in
 * tok/s and times in seconds, SLO lines on TTFT and stream TPS, errors as a share of requests, and the TTFT and TPS
 * ratios to the baseline on separate axes (above 1 is worse for one and better for the other). MetricsStackIT runs
 * every query against a real Prometheus; this test reads the panels' settings.
 */
class GrafanaDashboardsTest {
    private static final String TOK_S = "suffix: tok/s";

    private static List<JsonNode> panels(Path file) throws Exception {
        List<JsonNode> list = new ArrayList<>();
        Json.MAPPER.readTree(file.toFile()).path("panels").forEach(list::add);
        return list;
    }

    private static String exprs(JsonNode panel) {
        StringBuilder all = new StringBuilder();
        panel.path("targets").forEach(t -> all.append(t.path("expr").asText()).append('\n'));
        return all.toString();
    }

    @Test
    void theComparisonOpensWithAStatRowOfHeadlineNumbers() throws Exception {
        List<JsonNode> panels = panels(PrometheusStack.DASHBOARDS.get(0));
        List<JsonNode> top = panels.stream().filter(p -> p.path("gridPos").path("y").asInt() == 0).toList();
        assertEquals(6, top.size(), "six headline numbers across the top");
        int width = 0;
        for (JsonNode p : top) {
            assertEquals("stat", p.path("type").asText(), p.path("title").asText());
            assertTrue(p.path("targets").get(0).path("instant").asBoolean(), "a stat reads the latest value");
            assertFalse(p.path("fieldConfig").path("defaults").path("thresholds").path("steps").isEmpty(),
                    p.path("title") + " is coloured by its thresholds");
            width += p.path("gridPos").path("w").asInt();
        }
        assertEquals(24, width, "the row fills the width");
        List<String> titles = top.stream().map(p -> p.path("title").asText()).toList();
        assertEquals(List.of("Stream TPS, mean", "Stream TPS, worst 10 %", "TTFT p50", "TTFT, worst 10 %",
                "Error ratio", "Goodput (last run)"), titles);
        assertTrue(exprs(top.get(1)).startsWith("histogram_quantile(0.1,"), "worst 10 % of a rate is its p10");
        assertTrue(exprs(top.get(3)).startsWith("histogram_quantile(0.9,"), "worst 10 % of a latency is its p90");
    }

    /** Every per-target query filters by the $benchmark variable, which lists the benchmark label's values. */
    @Test
    void bothDashboardsFilterByBenchmark() throws Exception {
        for (Path file : PrometheusStack.DASHBOARDS) {
            JsonNode variables = Json.MAPPER.readTree(file.toFile()).path("templating").path("list");
            boolean found = false;
            for (JsonNode v : variables) {
                if (v.path("name").asText().equals("benchmark")) {
                    found = true;
                    assertEquals("label_values(tokenbench_requests_total, benchmark)", v.path("definition").asText());
                    assertTrue(v.path("multi").asBoolean() && v.path("includeAll").asBoolean(), file.toString());
                }
                if (v.path("name").asText().equals("target")) {
                    assertTrue(v.path("definition").asText().contains("benchmark=~\"$benchmark\""),
                            file + ": the target list follows the benchmark chosen");
                }
            }
            assertTrue(found, file + " has a $benchmark variable");
            for (JsonNode p : panels(file)) {
                for (JsonNode t : p.path("targets")) {
                    String expr = t.path("expr").asText();
                    if (expr.contains("$target") || expr.contains("$baseline")) {
                        int targets = expr.split("target=~?\"\\$(target|baseline)\"", -1).length - 1;
                        int benchmarks = expr.split("benchmark=~\"\\$benchmark\"", -1).length - 1;
                        assertEquals(targets, benchmarks, file + ": " + p.path("title") + ": " + expr);
                    }
                }
            }
        }
    }

    @Test
    void unitsThresholdsAndRatiosReadRightInBothDashboards() throws Exception {
        int tps = 0;
        int ttftLines = 0;
        for (Path file : PrometheusStack.DASHBOARDS) {
            for (JsonNode p : panels(file)) {
                String title = p.path("title").asText();
                String expr = exprs(p);
                JsonNode defaults = p.path("fieldConfig").path("defaults");
                String unit = defaults.path("unit").asText();
                if (expr.contains("tokens_per_second") && !title.contains("ratio")) {
                    assertEquals(TOK_S, unit, file + ": " + title);
                    tps++;
                }
                if (expr.contains("tokenbench_ttft_seconds_bucket") && !title.contains("ratio")) {
                    assertEquals("s", unit, file + ": " + title);
                }
                if (p.path("type").asText().equals("timeseries") && (title.startsWith("TTFT p50")
                        || title.contains("stream TPS") || title.startsWith("Stream TPS p10"))) {
                    assertEquals(2, defaults.path("thresholds").path("steps").size(), file + ": " + title);
                    assertFalse(defaults.path("custom").path("thresholdsStyle").path("mode").asText("off")
                            .equals("off"), file + ": " + title + " draws its SLO line");
                    ttftLines++;
                }
                if (expr.contains("tokenbench_requests_total") && expr.contains("outcome")) {
                    assertEquals("percentunit", unit, file + ": " + title + " shows errors as a share");
                    assertTrue(expr.contains(" / "), file + ": " + title);
                }
                if (title.contains("ratio to baseline")) {
                    assertEquals(1, p.path("targets").size(), title + ": one kind of ratio per axis");
                    boolean latency = expr.contains("ttft");
                    assertTrue(title.contains(latency ? "above 1 = slower" : "below 1 = slower"), title);
                }
            }
        }
        assertTrue(tps >= 6, "rate panels found: " + tps);
        assertTrue(ttftLines >= 4, "SLO lines found: " + ttftLines);
    }
}
