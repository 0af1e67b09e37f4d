package dev.tokenbench.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.metrics.PrometheusStack;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service as Prometheus sees it: the packaged {@code tokenbench serve} runs two benchmarks against the built-in
 * simulator, the real Prometheus (Debian's, on 127.0.0.1) scrapes its /q/metrics every second, and every query of
 * every dashboard panel and every alert rule's figure returns data.
 */
class ServeScrapeIT {
    private static final String TOKEN = "scrape-it-token-0123456789";
    private static final String PROBE = "serve-it";
    private static final int REQUESTS = 6;
    private static final String BENCHMARK = String.join("\n",
            "name: scraped",
            "targets:",
            "  - name: fast",
            "    api: openai-chat",
            "    base-url: sim://fast/v1",
            "    model: gpt-4.1-mini",
            "    pricing: {input-per-1m: 0.40, output-per-1m: 1.60}",
            "    labels: {cloud: openai, region: us-east}",
            "  - name: slow",
            "    api: anthropic",
            "    base-url: sim://slow",
            "    model: claude-sonnet-4-5",
            "    pricing: {input-per-1m: 3, output-per-1m: 15}",
            "    labels: {region: eu-west}",
            "prompts: {synthetic: {input-tokens: 30, output-tokens: 20, count: 2}}",
            "load: {mode: closed, concurrency: 2, requests: " + REQUESTS + ", warmup: 0, timeout: 20s}",
            "max-output-tokens: 20",
            "baseline: fast",
            "simulator:",
            "  scenarios:",
            "    fast: {ttft: 60ms, tokens-per-second: 200}",
            "    slow: {ttft: 200ms, tokens-per-second: 60}",
            "");

    @Test
    void prometheusScrapesServeAndEveryDashboardQueryAndRuleReturnsData() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "serve-scrape-it-");
        try (ServiceProcess serve = ServiceProcess.serve(dir, Map.of("tokenbench.probe.name", PROBE,
                "tokenbench.probe.region", "it-region"), Map.of("TOKENBENCH_API_TOKEN", TOKEN));
                PrometheusStack stack = PrometheusStack.start("127.0.0.1:" + serve.port)) {
            ServiceClient client = serve.client();
            // Two runs, the second after Prometheus has scraped the first, so every counter and histogram grows
            // between scrapes and rate() has something to show.
            for (int run = 1; run <= 2; run++) {
                HttpResponse<String> accepted = client.post("/api/runs", TOKEN, "application/yaml", BENCHMARK);
                assertEquals(202, accepted.statusCode(), accepted.body());
                JsonNode finished = client.awaitFinished(ServiceClient.json(accepted).path("id").asText());
                assertEquals("done", finished.path("status").asText(), finished.toString());
                stack.awaitValue("tokenbench_runs_total{job=\"tokenbench-serve\",status=\"done\",probe=\"" + PROBE
                        + "\"}", run);
            }

            JsonNode series = stack.query("tokenbench_ttft_seconds_count{job=\"tokenbench-serve\"}");
            assertEquals(2, series.size(), "one series per target: " + series);
            for (JsonNode s : series) {
                JsonNode labels = s.path("metric");
                boolean fast = labels.path("target").asText().equals("fast");
                assertEquals(fast ? "openai-chat" : "anthropic", labels.path("api").asText(), labels.toString());
                assertEquals(fast ? "gpt-4.1-mini" : "claude-sonnet-4-5", labels.path("model").asText());
                assertEquals(fast ? "us-east" : "eu-west", labels.path("region").asText());
                assertEquals(fast ? "openai" : "simulator", labels.path("cloud").asText(), "a sim:// target without a cloud label");
                assertEquals(PROBE, labels.path("probe").asText());
                assertEquals(2.0 * REQUESTS, s.path("value").get(1).asDouble(), "both runs' requests: " + s);
            }

            List<String> queries = PrometheusStack.dashboardAndRuleQueries();
            Map<String, String> empty = stack.withoutData(queries);
            assertTrue(empty.isEmpty(), "queries without a finite value: " + empty);
        }
    }
}
