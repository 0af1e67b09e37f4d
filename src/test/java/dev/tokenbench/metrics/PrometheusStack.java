package dev.tokenbench.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
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
 * Debian's Prometheus and Pushgateway on 127.0.0.1 for one test class (scripts/prometheus-stack.sh installs and
 * starts them, and stops them by PID), with the shipped alert rules loaded, and what the tests ask of it: a query,
 * a wait for a value, and every query of the shipped dashboards and rules as Grafana and the rule engine run them.
 */
public final class PrometheusStack implements AutoCloseable {
    public static final Path RULES = Path.of("dashboards/prometheus/tokenbench-alerts.yml");
    public static final Path RULE_TESTS = Path.of("dashboards/prometheus/tokenbench-alerts.test.yml");
    public static final List<Path> DASHBOARDS = List.of(Path.of("dashboards/grafana/provider-comparison.json"),
            Path.of("dashboards/grafana/target-in-depth.json"));
    /** The panel queries of both dashboards, counted. */
    public static final int DASHBOARD_QUERIES = 17 + 34;
    public static final int RULE_COUNT = 4;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path dir;
    public final String prometheus;
    public final String pushgateway;

    private PrometheusStack(Path dir, String prometheus, String pushgateway) {
        this.dir = dir;
        this.prometheus = prometheus;
        this.pushgateway = pushgateway;
    }

    /**
     * Starts the stack; Prometheus scrapes the Pushgateway every second, and {@code scrapeTarget} (host:port of a
     * {@code tokenbench serve}, at /q/metrics) too when one is given.
     */
    public static PrometheusStack start(String scrapeTarget) throws Exception {
        Path dir = Files.createTempDirectory("tokenbench-prom-");
        String out = scrapeTarget == null ? script("start", dir.toString(), RULES.toString())
                : script("start", dir.toString(), RULES.toString(), scrapeTarget);
        Properties env = new Properties();
        try (var reader = Files.newBufferedReader(dir.resolve("env"))) {
            env.load(reader);
        }
        PrometheusStack stack = new PrometheusStack(dir, env.getProperty("PROMETHEUS_URL"),
                env.getProperty("PUSHGATEWAY_URL"));
        assertTrue(stack.prometheus != null && stack.prometheus.startsWith("http://127.0.0.1:"), out);
        assertTrue(stack.pushgateway != null && stack.pushgateway.startsWith("http://127.0.0.1:"), out);
        return stack;
    }

    @Override
    public void close() throws Exception {
        script("stop", dir.toString());
    }

    /** Every panel query of both dashboards with its variables filled in, then each rule's figure. */
    public static List<String> dashboardAndRuleQueries() throws IOException {
        List<String> queries = new ArrayList<>();
        for (Path d : DASHBOARDS) {
            for (JsonNode panel : JSON.readTree(d.toFile()).path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    queries.add(substitute(target.path("expr").asText()));
                }
            }
        }
        assertEquals(DASHBOARD_QUERIES, queries.size(), "every panel query of both dashboards");
        int rules = 0;
        for (String line : Files.readAllLines(RULES)) {
            String t = line.strip();
            if (t.startsWith("expr: ")) {
                queries.add(withBool(t.substring(6)));
                rules++;
            }
        }
        assertEquals(RULE_COUNT, rules);
        return queries;
    }

    /** The queries among {@code queries} that return no finite value, with what they returned. */
    public Map<String, String> withoutData(List<String> queries) throws Exception {
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
        return empty;
    }

    /** Dashboard variables as Grafana would fill them: every value of the multi-value ones, a baseline, a window. */
    static String substitute(String expr) {
        return expr.replace("$baseline", "fast").replace("$window", "5m")
                .replaceAll("\\$(target|cloud|region|probe|model|benchmark)\\b", ".*");
    }

    /** A rule's figure for every series: {@code a > 5} becomes {@code a > bool 5}, 0 or 1 whether it fires or not. */
    static String withBool(String expr) {
        Matcher m = Pattern.compile("(.*)\\s(<|>|<=|>=)\\s+([0-9.]+)$").matcher(expr);
        assertTrue(m.matches(), "a rule reads <figure> <comparison> <threshold>: " + expr);
        return m.group(1) + " " + m.group(2) + " bool " + m.group(3);
    }

    /** Waits (at most 30 s) until the instant query returns one series of value {@code expected}. */
    public void awaitValue(String q, double expected) throws Exception {
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

    /** An instant query's result vector. */
    public JsonNode query(String promql) throws Exception {
        JsonNode answer = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertEquals("success", answer.path("status").asText(), promql + " -> " + answer);
        return answer.path("data").path("result");
    }

    public JsonNode get(String path) throws Exception {
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
    public static String run(List<String> command) throws IOException, InterruptedException {
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
