package dev.tokenbench.metrics;

import dev.tokenbench.config.ProviderAccess;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.ClientHealth;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.run.RunResult;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import static dev.tokenbench.metrics.MetricsFixtures.failed;
import static dev.tokenbench.metrics.MetricsFixtures.ok;
import static dev.tokenbench.metrics.MetricsFixtures.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The meters as Prometheus sees them: names, types, labels, buckets and what each request adds. */
class TokenbenchMetricsTest {
    private static final Map<String, String> HISTOGRAMS = Map.of(
            "tokenbench_ttft_seconds", "first-token",
            "tokenbench_time_to_first_output_seconds", "first-token",
            "tokenbench_tpot_seconds", "tpot",
            "tokenbench_request_duration_seconds", "duration",
            "tokenbench_stream_tokens_per_second", "tps",
            "tokenbench_visible_tokens_per_second", "tps",
            "tokenbench_e2e_tokens_per_second", "tps",
            "tokenbench_max_stall_seconds", "stall",
            "tokenbench_tokens_per_event", "tokens-per-event");
    private static final List<String> COUNTERS = List.of("tokenbench_requests_total", "tokenbench_output_tokens_total",
            "tokenbench_input_tokens_total", "tokenbench_reasoning_tokens_total", "tokenbench_cost_usd_total",
            "tokenbench_runs_total", "tokenbench_client_cpu_throttled_seconds_total",
            "tokenbench_client_gc_pause_seconds_total");
    private static final List<String> GAUGES = List.of("tokenbench_goodput_ratio",
            "tokenbench_last_run_timestamp_seconds", "tokenbench_requests_in_flight",
            "tokenbench_client_event_loop_lag_seconds", "tokenbench_client_verdict", "tokenbench_pause_share");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TokenbenchMetrics metrics = new TokenbenchMetrics(registry, "eastus2-probe");
    private final TargetSpec openai = target("openai", "openai-chat", "https://api.openai.com/v1",
            Map.of("cloud", "openai", "region", "us-east", "tier", "2"), ProviderAccess.NONE);

    @Test
    void everyMeterHasItsPrometheusNameAndType() {
        metrics.target("nightly", openai, () -> 0);
        Map<String, String> types = types(registry.scrape());
        HISTOGRAMS.keySet().forEach(name -> assertEquals("histogram", types.get(name), name));
        COUNTERS.forEach(name -> assertEquals("counter", types.get(name), name));
        GAUGES.forEach(name -> assertEquals("gauge", types.get(name), name));
        Set<String> ours = new TreeSet<>(types.keySet());
        ours.removeIf(n -> n.endsWith("_max") && HISTOGRAMS.containsKey(n.substring(0, n.length() - 4)));
        Set<String> expected = new TreeSet<>(HISTOGRAMS.keySet());
        expected.addAll(COUNTERS);
        expected.addAll(GAUGES);
        assertEquals(expected, ours, "nothing but the listed meters (and each histogram's max)");
    }

    @Test
    void perTargetSeriesCarryExactlyTheSixLabels() {
        metrics.target("nightly", openai, () -> 0).accept(ok("openai", 250, 80, 100, 0, false));
        int seen = 0;
        for (PushGateway.Sample s : samples(registry.scrape())) {
            if (s.name.startsWith("tokenbench_runs_total") || s.name.startsWith("tokenbench_last_run")) {
                assertEquals(s.name.equals("tokenbench_runs_total") ? Set.of("probe", "status") : Set.of("probe"),
                        s.labels.keySet(), s.name);
                continue;
            }
            if (s.name.startsWith("tokenbench_client_")) {
                Set<String> expected = s.name.equals("tokenbench_client_verdict") ? Set.of("probe", "verdict")
                        : s.name.equals("tokenbench_client_event_loop_lag_seconds") ? Set.of("probe", "quantile")
                        : Set.of("probe");
                assertEquals(expected, s.labels.keySet(), s.name);
                continue;
            }
            Set<String> labels = new TreeSet<>(s.labels.keySet());
            labels.remove(s.name.endsWith("_bucket") ? "le" : s.name.equals("tokenbench_requests_total")
                    ? "outcome" : "none");
            assertEquals(new TreeSet<>(TokenbenchMetrics.TARGET_LABELS), labels, s.name);
            assertEquals(Map.of("target", "openai", "api", "openai-chat", "model", "gpt-4.1-mini", "cloud", "openai",
                    "region", "us-east", "probe", "eastus2-probe", "benchmark", "nightly"), withoutExtras(s.labels),
                    s.name);
            seen++;
        }
        assertTrue(seen > 100, "buckets, counts, sums and counters seen: " + seen);
    }

    @Test
    void histogramsHaveTheExplicitBucketsAndNothingElse() {
        metrics.target("nightly", openai, () -> 0);
        Map<String, double[]> buckets = Map.of("first-token", TokenbenchMetrics.FIRST_TOKEN_BUCKETS,
                "tpot", TokenbenchMetrics.TPOT_BUCKETS, "duration", TokenbenchMetrics.DURATION_BUCKETS,
                "tps", TokenbenchMetrics.TPS_BUCKETS, "stall", TokenbenchMetrics.STALL_BUCKETS,
                "tokens-per-event", TokenbenchMetrics.TOKENS_PER_EVENT_BUCKETS);
        Map<String, List<Double>> les = new HashMap<>();
        for (PushGateway.Sample s : samples(registry.scrape())) {
            if (s.name.endsWith("_bucket")) {
                les.computeIfAbsent(s.name.substring(0, s.name.length() - 7), k -> new ArrayList<>())
                        .add(PushGateway.Sample.number(s.labels.get("le")));
            }
        }
        for (Map.Entry<String, String> h : HISTOGRAMS.entrySet()) {
            List<Double> expected = new ArrayList<>();
            for (double b : buckets.get(h.getValue())) {
                expected.add(b);
            }
            expected.add(Double.POSITIVE_INFINITY);
            assertEquals(expected, les.get(h.getKey()), h.getKey());
        }
        for (double[] b : buckets.values()) {
            for (int i = 1; i < b.length; i++) {
                assertTrue(b[i] > b[i - 1], "ascending");
            }
        }
        for (double b : TokenbenchMetrics.TPS_BUCKETS) {
            assertEquals(Math.rint(b), b, "rate buckets are whole numbers, where Micrometer's ceil() is exact");
        }
        for (double b : TokenbenchMetrics.TOKENS_PER_EVENT_BUCKETS) {
            assertEquals(Math.rint(b), b, "tokens-per-event buckets are whole numbers too");
        }
        // The ranges LLM endpoints live in: 50 ms to a minute to first token, 5 to 1000 tokens per second.
        assertTrue(TokenbenchMetrics.FIRST_TOKEN_BUCKETS[0] <= 0.05
                && last(TokenbenchMetrics.FIRST_TOKEN_BUCKETS) >= 60);
        assertTrue(TokenbenchMetrics.TPS_BUCKETS[0] <= 5 && last(TokenbenchMetrics.TPS_BUCKETS) >= 1000);
    }

    @Test
    void requestsLandInTheirBucketsInBaseUnitsAndOutcomesAreCounted() {
        Consumer<RequestRecord> feed = metrics.target("nightly", openai, () -> 0);
        feed.accept(ok("openai", 250, 80, 100, 10, false));
        feed.accept(ok("openai", 1200, 30, 100, 0, false));
        feed.accept(ok("openai", 9000, 5, 100, 0, true)); // warm-up: not counted
        feed.accept(failed("openai", Outcome.HTTP_429, true)); // retried attempt: its request counts once, later
        feed.accept(failed("openai", Outcome.HTTP_5XX, false));
        String text = registry.scrape();

        assertEquals(0, value(text, "tokenbench_ttft_seconds_bucket", "le", "0.2"));
        assertEquals(1, value(text, "tokenbench_ttft_seconds_bucket", "le", "0.25"));
        assertEquals(1, value(text, "tokenbench_ttft_seconds_bucket", "le", "1.0"));
        assertEquals(2, value(text, "tokenbench_ttft_seconds_bucket", "le", "1.25"));
        assertEquals(2, value(text, "tokenbench_ttft_seconds_count", null, null));
        assertEquals(1.45, value(text, "tokenbench_ttft_seconds_sum", null, null), 1e-9);
        assertEquals(1, value(text, "tokenbench_stream_tokens_per_second_bucket", "le", "30.0"));
        assertEquals(0, value(text, "tokenbench_stream_tokens_per_second_bucket", "le", "25.0"));
        assertEquals(2, value(text, "tokenbench_stream_tokens_per_second_bucket", "le", "80.0"));
        assertEquals(2, value(text, "tokenbench_request_duration_seconds_count", null, null));
        assertEquals(1, value(text, "tokenbench_requests_total", "outcome", "http_5xx"));
        assertEquals(0, value(text, "tokenbench_requests_total", "outcome", "http_429"));
        assertEquals(2, value(text, "tokenbench_requests_total", "outcome", "ok"));
        assertEquals(200, value(text, "tokenbench_output_tokens_total", null, null));
        assertEquals(10, value(text, "tokenbench_reasoning_tokens_total", null, null));
        assertEquals(150, value(text, "tokenbench_input_tokens_total", null, null), "the failed one sent 50 too");
        assertEquals(2 * (50 * 0.40 + 100 * 1.60) / 1e6, value(text, "tokenbench_cost_usd_total", null, null), 1e-12);
    }

    @Test
    void labelsDefaultToTheProviderAndItsRegionAndStayBounded() {
        TargetSpec bedrock = target("claude-bedrock", "bedrock-converse", "https://bedrock-runtime.x", Map.of(),
                new ProviderAccess(null, null, List.of(), "eu-west-1", null, null));
        TargetSpec sim = target("x".repeat(300), "azure-openai", "sim://fast/v1", Map.of(), ProviderAccess.NONE);
        assertEquals(List.of("claude-bedrock", "bedrock-converse", "gpt-4.1-mini", "aws", "eu-west-1",
                "eastus2-probe", "nightly"), metrics.labelValues("nightly", bedrock));
        List<String> simValues = metrics.labelValues("nightly", sim);
        assertEquals("simulator", simValues.get(3));
        assertEquals("", simValues.get(4));
        assertEquals(TokenbenchMetrics.MAX_LABEL_VALUE_LENGTH, simValues.get(0).length());
    }

    @Test
    void aTargetKeepsItsMetersFromRunToRunAndTheRunsEndIsRecorded() {
        // "m" is the name of the plan MetricsFixtures.run finishes, as the engine passes it.
        metrics.target("m", openai, () -> 7).accept(ok("openai", 250, 80, 100, 0, false));
        assertEquals(7, value(registry.scrape(), "tokenbench_requests_in_flight", null, null));
        metrics.target("m", openai, () -> 0).accept(ok("openai", 250, 80, 100, 0, false));
        String text = registry.scrape();
        assertEquals(2, value(text, "tokenbench_requests_total", "outcome", "ok"), "same counter, second run");

        Instant end = Instant.parse("2026-01-02T03:04:05.500Z");
        metrics.runFinished(MetricsFixtures.run(openai, end, ok("openai", 250, 80, 100, 0, false),
                ok("openai", 20_000, 80, 100, 0, false))); // the second is over the default TTFT SLO
        text = registry.scrape();
        assertEquals(0.5, value(text, "tokenbench_goodput_ratio", null, null));
        assertEquals(1, value(text, "tokenbench_runs_total", "status", "done"));
        assertEquals(0, value(text, "tokenbench_runs_total", "status", "failed"));
        assertEquals(end.getEpochSecond() + 0.5, value(text, "tokenbench_last_run_timestamp_seconds", null, null));
        assertEquals(0, value(text, "tokenbench_requests_in_flight", null, null));
        assertSame(registry, metrics.registry());
    }

    @Test
    void theClientsHealthIsExportedPerProbe() {
        String before = registry.scrape();
        assertTrue(Double.isNaN(value(before, "tokenbench_client_event_loop_lag_seconds", "quantile", "0.99")),
                "no run yet: no lag");
        assertEquals(0, value(before, "tokenbench_client_verdict", "verdict", "good"));

        Instant end = Instant.parse("2026-01-02T03:04:05Z");
        ClientHealth client = ClientHealth.builder().wallSeconds(10).lagMs(0.4, 45, 120).gcPauseMs(30, 12, 4)
                .cpuThrottledMs(2_500).cpuSeconds(1, 2).requests(100, 40).judge();
        RunResult run = MetricsFixtures.run(openai, end, ok("openai", 250, 80, 100, 0, false));
        metrics.runFinished(withClient(run, client));
        metrics.runFinished(withClient(run, client));
        String text = registry.scrape();
        assertEquals(0.045, value(text, "tokenbench_client_event_loop_lag_seconds", "quantile", "0.99"), 1e-9);
        assertEquals(0.0004, value(text, "tokenbench_client_event_loop_lag_seconds", "quantile", "0.5"), 1e-9);
        assertEquals(0.12, value(text, "tokenbench_client_event_loop_lag_seconds", "quantile", "1"), 1e-9);
        assertEquals(5.0, value(text, "tokenbench_client_cpu_throttled_seconds_total", null, null), 1e-9,
                "two runs' throttling add up");
        assertEquals(0.06, value(text, "tokenbench_client_gc_pause_seconds_total", null, null), 1e-9);
        assertEquals(ClientHealth.UNTRUSTWORTHY, client.verdict());
        assertEquals(1, value(text, "tokenbench_client_verdict", "verdict", "untrustworthy"));
        assertEquals(0, value(text, "tokenbench_client_verdict", "verdict", "good"));
        assertEquals(0, value(text, "tokenbench_client_verdict", "verdict", "degraded"));
    }

    private static RunResult withClient(RunResult r, ClientHealth client) {
        return RunResult.builder()
                .runId(r.runId())
                .plan(r.plan())
                .runDir(r.runDir())
                .startedAt(r.startedAt())
                .endedAt(r.endedAt())
                .status(r.status())
                .wallSeconds(r.wallSeconds())
                .clientCpuSeconds(r.clientCpuSeconds())
                .targets(r.targets())
                .steps(r.steps())
                .client(client)
                .build();
    }

    private static double last(double[] a) {
        return a[a.length - 1];
    }

    private static Map<String, String> withoutExtras(Map<String, String> labels) {
        Map<String, String> copy = new LinkedHashMap<>(labels);
        copy.remove("le");
        copy.remove("outcome");
        return copy;
    }

    static Map<String, String> types(String text) {
        Map<String, String> types = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ");
                types.put(parts[0], parts[1]);
            }
        }
        return types;
    }

    static List<PushGateway.Sample> samples(String text) {
        List<PushGateway.Sample> list = new ArrayList<>();
        for (String line : text.split("\n")) {
            PushGateway.Sample s = PushGateway.Sample.parse(line);
            if (s != null) {
                list.add(s);
            }
        }
        return list;
    }

    /** The one sample named {@code name} (with label {@code label} = {@code is}, when given). */
    static double value(String text, String name, String label, String is) {
        List<Double> found = new ArrayList<>();
        for (PushGateway.Sample s : samples(text)) {
            if (s.name.equals(name) && (label == null || is.equals(s.labels.get(label)))) {
                found.add(s.value);
            }
        }
        assertEquals(1, found.size(), name + " " + label + "=" + is + " in\n" + text);
        return found.get(0);
    }
}
