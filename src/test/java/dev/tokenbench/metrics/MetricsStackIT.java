package dev.tokenbench.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.cli.RunCommand;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * With the real thing: Debian's Prometheus and Pushgateway on 127.0.0.1 (scripts/prometheus-stack.sh installs and
 * starts them, and stops them by PID). The alert rules pass promtool; two CLI runs against the in-process
 * simulator push to the Pushgateway, Prometheus scrapes it every second, and every query of every dashboard panel
 * and every alert rule's figure returns data.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsStackIT {
    private static final String PROBE = "it-probe";
    private static final String BENCHMARK = "metrics-it";
    private static final int REQUESTS = 6;

    private static PrometheusStack stack;
    private static Vertx vertx;
    private static Path work;

    @BeforeAll
    static void startStack() throws Exception {
        work = Files.createTempDirectory("tokenbench-metrics-it-");
        stack = PrometheusStack.start(null);
        vertx = Vertx.vertx();
        Files.writeString(work.resolve("bench.yaml"), String.join("\n",
                "name: " + BENCHMARK,
                "targets:",
                "  - name: fast",
                "    api: openai-chat",
                "    base-url: sim://fast/v1",
                "    model: gpt-4.1-mini",
                "    pricing: {input-per-1m: 0.40, output-per-1m: 1.60}",
                "    labels: {cloud: openai, region: us-east}",
                "  - name: slow",
                "    api: azure-openai",
                "    base-url: sim://slow",
                "    deployment: gpt-4.1-mini",
                "    pricing: {input-per-1m: 0.40, output-per-1m: 1.60}",
                "    labels: {cloud: azure, region: eastus2}",
                "prompts: {synthetic: {input-tokens: 30, output-tokens: 20, count: 2}}",
                "load: {mode: closed, concurrency: 2, requests: " + REQUESTS + ", warmup: 1, timeout: 20s}",
                "max-output-tokens: 20",
                "baseline: fast",
                "simulator:",
                "  scenarios:",
                "    fast: {ttft: 80ms, tokens-per-second: 200}",
                "    slow: {ttft: 250ms, tokens-per-second: 60}",
                ""));
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void promtoolChecksAndTestsTheAlertRules() throws Exception {
        String check = PrometheusStack.run(List.of("promtool", "check", "rules", PrometheusStack.RULES.toString()));
        assertTrue(check.contains("SUCCESS: 4 rules found"), check);
        String test = PrometheusStack.run(List.of("promtool", "test", "rules",
                PrometheusStack.RULE_TESTS.toString()));
        assertTrue(test.contains("SUCCESS"), test);
        // Loaded at start, evaluated every second: each rule's health is "unknown" until its first evaluation.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonNode groups;
        int healthy;
        do {
            Thread.sleep(200);
            groups = stack.get("/api/v1/rules").path("data").path("groups");
            healthy = 0;
            for (JsonNode g : groups) {
                for (JsonNode r : g.path("rules")) {
                    String health = r.path("health").asText();
                    assertTrue(health.equals("ok") || health.equals("unknown"), r.toString());
                    healthy += health.equals("ok") ? 1 : 0;
                }
            }
        } while (healthy < 4 && System.nanoTime() < deadline);
        assertEquals(4, healthy, "Prometheus loaded the four rules: " + groups);
    }

    @Test
    @Order(2)
    void pushedRunsReachPrometheusWithTheProbeLabelAndAddUp() throws Exception {
        for (int run = 1; run <= 2; run++) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = cli(out, err, "--out", work.resolve("run" + run).toString(), "-q", "--push-gateway",
                    stack.pushgateway, "--probe", PROBE, work.resolve("bench.yaml").toString());
            assertEquals(0, code, out + "\n" + err);
            assertTrue(out.toString().contains("metrics pushed to the Pushgateway (probe " + PROBE + ")"), out.toString());
            stack.awaitValue("tokenbench_runs_total{status=\"done\",probe=\"" + PROBE + "\"}", run);
        }
        JsonNode series = stack.query("tokenbench_ttft_seconds_count{job=\"tokenbench\",probe=\"" + PROBE
                + "\",benchmark=\"" + BENCHMARK + "\"}");
        assertEquals(2, series.size(), "one series per target: " + series);
        for (JsonNode s : series) {
            JsonNode metric = s.path("metric");
            assertEquals(PROBE, metric.path("probe").asText());
            assertTrue(List.of("fast", "slow").contains(metric.path("target").asText()), metric.toString());
            assertEquals(metric.path("target").asText().equals("fast") ? "openai-chat" : "azure-openai",
                    metric.path("api").asText());
            assertEquals("gpt-4.1-mini", metric.path("model").asText());
            assertEquals(2.0 * REQUESTS, s.path("value").get(1).asDouble(), "two runs' requests, added up: " + s);
        }
        JsonNode region = stack.query("tokenbench_stream_tokens_per_second_count{target=\"slow\",region=\"eastus2\","
                + "cloud=\"azure\",probe=\"" + PROBE + "\"}");
        assertEquals(1, region.size(), region.toString());
    }

    @Test
    @Order(3)
    void everyDashboardQueryAndEveryRuleReturnsData() throws Exception {
        Map<String, String> empty = stack.withoutData(PrometheusStack.dashboardAndRuleQueries());
        assertTrue(empty.isEmpty(), "queries without a finite value: " + empty);
    }

    @Test
    @Order(4)
    void aPushThatFailsKeepsTheRunsFilesAndItsExitCode() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path dir = work.resolve("unpushed");
        int code = cli(out, err, "--out", dir.toString(), "-q", "--push-gateway", "http://127.0.0.1:" + closedPort,
                work.resolve("bench.yaml").toString());
        assertEquals(0, code, out + "\n" + err);
        assertTrue(err.toString().contains("pushing metrics to http://127.0.0.1:" + closedPort + " failed"),
                err.toString());
        for (String f : List.of("requests.jsonl", "run.json", "report.md", "report.html")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
    }

    private static int cli(StringWriter out, StringWriter err, String... args) {
        CommandLine cmd = new CommandLine(new RunCommand(vertx));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }
}
