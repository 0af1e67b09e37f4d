package dev.tokenbench.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.cli.RunCommand;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path RULES = Path.of("dashboards/prometheus/tokenbench-alerts.yml");
    private static final Path RULE_TESTS = Path.of("dashboards/prometheus/tokenbench-alerts.test.yml");
    private static final List<Path> DASHBOARDS = List.of(Path.of("dashboards/grafana/provider-comparison.json"),
            Path.of("dashboards/grafana/target-in-depth.json"));
    private static final String PROBE = "it-probe";
    private static final String BENCHMARK = "metrics-it";
    private static final int REQUESTS = 6;

    private static Path stackDir;
    private static String prometheus;
    private static String pushgateway;
    private static Vertx vertx;
    private static Path work;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startStack() throws Exception {
        stackDir = Files.createTempDirectory("tokenbench-prom-");
        work = Files.createTempDirectory("tokenbench-metrics-it-");
        String out = script("start", stackDir.toString(), RULES.toString());
        Properties env = new Properties();
        try (var reader = Files.newBufferedReader(stackDir.resolve("env"))) {
            env.load(reader);
        }
        prometheus = env.getProperty("PROMETHEUS_URL");
        pushgateway = env.getProperty("PUSHGATEWAY_URL");
        assertTrue(prometheus != null && prometheus.startsWith("http://127.0.0.1:"), out);
        assertTrue(pushgateway != null && pushgateway.startsWith("http://127.0.0.1:"), out);
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
        if (stackDir != null) {
            script("stop", stackDir.toString());
        }
    }

    @Test
    @Order(1)
    void promtoolChecksAndTestsTheAlertRules() throws Exception {
        String check = run(List.of("promtool", "check", "rules", RULES.toString()));
        assertTrue(check.contains("SUCCESS: 4 rules found"), check);
        String test = run(List.of("promtool", "test", "rules", RULE_TESTS.toString()));
        assertTrue(test.contains("SUCCESS"), test);
        JsonNode groups = get("/api/v1/rules").path("data").path("groups");
        int healthy = 0;
        for (JsonNode g : groups) {
            for (JsonNode r : g.path("rules")) {
                assertEquals("ok", r.path("health").asText(), r.toString());
                healthy++;
            }
        }
        assertEquals(4, healthy, "Prometheus loaded the four rules: " + groups);
    }

    @Test
    @Order(2)
    void pushedRunsReachPrometheusWithTheProbeLabelAndAddUp() throws Exception {
        for (int run = 1; run <= 2; run++) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = cli(out, err, "--out", work.resolve("run" + run).toString(), "-q", "--push-gateway",
                    pushgateway, "--probe", PROBE, work.resolve("bench.yaml").toString());
            assertEquals(0, code, out + "\n" + err);
            assertTrue(out.toString().contains("metrics pushed to the Pushgateway (probe " + PROBE + ")"), out.toString());
            awaitValue("tokenbench_runs_total{status=\"done\",probe=\"" + PROBE + "\"}", run);
        }
        JsonNode series = query("tokenbench_ttft_seconds_count{job=\"tokenbench\",probe=\"" + PROBE
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
        JsonNode region = query("tokenbench_stream_tokens_per_second_count{target=\"slow\",region=\"eastus2\","
                + "cloud=\"azure\",probe=\"" + PROBE + "\"}");
        assertEquals(1, region.size(), region.toString());
    }

    @Test
    @Order(3)
    void everyDashboardQueryAndEveryRuleReturnsData() throws Exception {
        List<String> queries = new ArrayList<>();
        for (Path d : DASHBOARDS) {
            for (JsonNode panel : JSON.readTree(d.toFile()).path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    queries.add(substitute(target.path("expr").asText()));
                }
            }
        }
        assertEquals(11 + 27, queries.size(), "every panel query of both dashboards");
        int rules = 0;
        for (String line : Files.readAllLines(RULES)) {
            String t = line.strip();
            if (t.startsWith("expr: ")) {
                queries.add(withBool(t.substring(6)));
                rules++;
            }
        }
        assertEquals(4, rules);
        Map<String, String> empty = new LinkedHashMap<>();
        for (String q : queries) {
            JsonNode result = query(q);
            boolean finite = false;
            for (JsonNode s : result) {
                String v = s.path("value").get(1).asText();
                finite |= !v.equals("NaN") && !v.contains("Inf");
            }
            if (!finite) {
                empty.put(q, result.toString());
            }
        }
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

    /** Dashboard variables as Grafana would fill them: every value of the multi-value ones, a baseline, a window. */
    static String substitute(String expr) {
        return expr.replace("$baseline", "fast").replace("$window", "5m")
                .replaceAll("\\$(target|cloud|region|probe|model)\\b", ".*");
    }

    /** A rule's figure for every series: {@code a > 5} becomes {@code a > bool 5}, 0 or 1 whether it fires or not. */
    static String withBool(String expr) {
        Matcher m = Pattern.compile("(.*)\\s(<|>|<=|>=)\\s+([0-9.]+)$").matcher(expr);
        assertTrue(m.matches(), "a rule reads <figure> <comparison> <threshold>: " + expr);
        return m.group(1) + " " + m.group(2) + " bool " + m.group(3);
    }

    private static int cli(StringWriter out, StringWriter err, String... args) {
        CommandLine cmd = new CommandLine(new RunCommand(vertx));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private static void awaitValue(String q, double expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = query(q);
            if (last.size() == 1 && last.get(0).path("value").get(1).asDouble() == expected) {
                return;
            }
            Thread.sleep(250);
        }
        fail("Prometheus did not see " + q + " = " + expected + " within 30 s; last: " + last);
    }

    private static JsonNode query(String promql) throws Exception {
        JsonNode answer = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertEquals("success", answer.path("status").asText(), promql + " -> " + answer);
        return answer.path("data").path("result");
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(prometheus + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private static String script(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("bash");
        command.add("scripts/prometheus-stack.sh");
        command.addAll(List.of(args));
        return run(command);
    }

    /** Runs a command to its end (at most 10 minutes: an install may download); its output, or a failure. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(command + " did not finish");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), command + ":\n" + text);
        return text;
    }
}
