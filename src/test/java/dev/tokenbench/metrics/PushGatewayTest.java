package dev.tokenbench.metrics;

import com.sun.net.httpserver.HttpServer;
import dev.tokenbench.config.ProviderAccess;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.run.RunResult;
import dev.tokenbench.run.Sharding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.tokenbench.metrics.MetricsFixtures.ok;
import static dev.tokenbench.metrics.MetricsFixtures.target;
import static dev.tokenbench.metrics.TokenbenchMetricsTest.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Group URLs, carrying counters on across pushes, and what a push sends, against a stand-in on 127.0.0.1. */
class PushGatewayTest {
    private static final Map<String, String> GROUP = group("eastus2", "azure-vs-openai");

    private HttpServer server;
    private final List<String> requests = new ArrayList<>();
    private volatile String stored = "";
    private volatile int putStatus = 200;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void groupUrlsCarryJobProbeAndBenchmarkWithUnplainValuesInBase64() {
        PushGateway gw = new PushGateway("http://127.0.0.1:9091/prefix/");
        assertEquals("http://127.0.0.1:9091/prefix/metrics/job/tokenbench/probe/eastus2/benchmark/azure-vs-openai",
                gw.groupUri("tokenbench", group("eastus2", "azure-vs-openai")).toString());
        assertEquals("http://127.0.0.1:9091/prefix/metrics/job/tokenbench/probe/p/benchmark@base64/"
                        + "bXkgYmVuY2g_IDEwMCU=",
                gw.groupUri("tokenbench", group("p", "my bench? 100%")).toString());
        assertEquals("http://127.0.0.1:9091/prefix/metrics/job/tokenbench/probe/p/benchmark@base64/=",
                gw.groupUri("tokenbench", group("p", "")).toString());
        assertEquals("http://127.0.0.1:9091", gw.where());
    }

    @Test
    void countersAndHistogramsCarryOnFromTheGroupAndGaugesDoNot() {
        String ours = String.join("\n",
                "# HELP tokenbench_requests_total Requests",
                "# TYPE tokenbench_requests_total counter",
                "tokenbench_requests_total{outcome=\"ok\",probe=\"eastus2\",target=\"a\",} 3.0",
                "tokenbench_requests_total{outcome=\"ok\",probe=\"eastus2\",target=\"new\",} 2.0",
                "# TYPE tokenbench_ttft_seconds histogram",
                "tokenbench_ttft_seconds_bucket{probe=\"eastus2\",target=\"a\",le=\"1.0\",} 2.0",
                "tokenbench_ttft_seconds_bucket{probe=\"eastus2\",target=\"a\",le=\"+Inf\",} 3.0",
                "tokenbench_ttft_seconds_count{probe=\"eastus2\",target=\"a\",} 3.0",
                "tokenbench_ttft_seconds_sum{probe=\"eastus2\",target=\"a\",} 1.5",
                "# TYPE tokenbench_goodput_ratio gauge",
                "tokenbench_goodput_ratio{probe=\"eastus2\",target=\"a\",} 0.5",
                "");
        String gateway = String.join("\n",
                "# TYPE tokenbench_requests_total counter",
                "tokenbench_requests_total{benchmark=\"azure-vs-openai\",instance=\"\",job=\"tokenbench\","
                        + "outcome=\"ok\",probe=\"eastus2\",target=\"a\"} 10",
                "tokenbench_requests_total{benchmark=\"azure-vs-openai\",instance=\"\",job=\"tokenbench\","
                        + "outcome=\"ok\",probe=\"westeurope\",target=\"a\"} 1000",
                "tokenbench_requests_total{benchmark=\"other\",instance=\"\",job=\"tokenbench\","
                        + "outcome=\"ok\",probe=\"eastus2\",target=\"a\"} 1000",
                "tokenbench_ttft_seconds_bucket{benchmark=\"azure-vs-openai\",instance=\"\",job=\"tokenbench\","
                        + "le=\"1\",probe=\"eastus2\",target=\"a\"} 5",
                "tokenbench_ttft_seconds_bucket{benchmark=\"azure-vs-openai\",instance=\"\",job=\"tokenbench\","
                        + "le=\"+Inf\",probe=\"eastus2\",target=\"a\"} 6",
                "tokenbench_ttft_seconds_count{benchmark=\"azure-vs-openai\",instance=\"\",job=\"tokenbench\","
                        + "probe=\"eastus2\",target=\"a\"} 6",
                "tokenbench_ttft_seconds_sum{benchmark=\"azure-vs-openai\",instance=\"\",job=\"tokenbench\","
                        + "probe=\"eastus2\",target=\"a\"} 2.25",
                "tokenbench_goodput_ratio{benchmark=\"azure-vs-openai\",instance=\"\",job=\"tokenbench\","
                        + "probe=\"eastus2\",target=\"a\"} 0.9",
                "push_time_seconds{benchmark=\"azure-vs-openai\",instance=\"\",job=\"tokenbench\","
                        + "probe=\"eastus2\"} 1.7e+09",
                "");
        Map<String, String> group = new LinkedHashMap<>(GROUP);
        group.put("job", "tokenbench");
        String merged = PushGateway.accumulate(ours, gateway, group);

        assertEquals(13, value(merged, "tokenbench_requests_total", "target", "a"), "3 now + 10 before");
        assertEquals(2, value(merged, "tokenbench_requests_total", "target", "new"), "a new series starts at its own");
        assertEquals(7, value(merged, "tokenbench_ttft_seconds_bucket", "le", "1.0"), "le 1.0 is the gateway's le 1");
        assertEquals(9, value(merged, "tokenbench_ttft_seconds_bucket", "le", "+Inf"));
        assertEquals(9, value(merged, "tokenbench_ttft_seconds_count", null, null));
        assertEquals(3.75, value(merged, "tokenbench_ttft_seconds_sum", null, null));
        assertEquals(0.5, value(merged, "tokenbench_goodput_ratio", null, null), "a gauge is the run's own");
        assertTrue(merged.contains("# HELP tokenbench_requests_total Requests\n"), "comments kept");
        assertTrue(merged.endsWith("\n") && !merged.endsWith("\n\n"), "line ends as they were");
        assertEquals(ours, PushGateway.accumulate(ours, "", group), "an empty group changes nothing");
    }

    @Test
    void aPushReadsTheGroupAndReplacesItWithTheSumsInTheTextFormat() throws Exception {
        String base = serve();
        TokenbenchMetrics firstRun = new TokenbenchMetrics(
                new io.micrometer.prometheus.PrometheusMeterRegistry(io.micrometer.prometheus.PrometheusConfig.DEFAULT),
                "eastus2");
        TargetSpec spec = target("a", "openai-chat", "sim://fast/v1", Map.of(), ProviderAccess.NONE);
        firstRun.target("nightly", spec, () -> 0).accept(ok("a", 250, 80, 100, 0, false));
        PushGateway gw = new PushGateway(base);
        String exposition = ((io.micrometer.prometheus.PrometheusMeterRegistry) firstRun.registry()).scrape();

        assertTrue(gw.push("tokenbench", GROUP, exposition));
        assertEquals(List.of("GET /metrics", "PUT /metrics/job/tokenbench/probe/eastus2/benchmark/azure-vs-openai "
                + PushGateway.CONTENT_TYPE), requests);
        assertEquals(1, value(stored, "tokenbench_requests_total", "outcome", "ok"));

        // The gateway now shows the group as a Pushgateway would: grouping labels added, le rendered its way.
        stored = stored.replace("probe=\"eastus2\",", "benchmark=\"azure-vs-openai\",instance=\"\","
                + "job=\"tokenbench\",probe=\"eastus2\",").replace("le=\"0.25\"", "le=\"0.25000\"");
        assertTrue(gw.push("tokenbench", GROUP, exposition));
        assertEquals(2, value(stored, "tokenbench_requests_total", "outcome", "ok"), "second run on top of the first");
        assertEquals(2, value(stored, "tokenbench_ttft_seconds_bucket", "le", "0.25"));
        assertEquals(0, value(stored, "tokenbench_ttft_seconds_bucket", "le", "0.2"));
    }

    /**
     * A shard of a sharded run pushes to its own group (…/shard/I), so the shards' pushes never overwrite each other
     * and their series carry a shard label that sum by (target) adds up; an unsharded run's group has none.
     */
    @Test
    void aShardPushesToItsOwnGroupWithAShardLabel() throws Exception {
        String base = serve();
        TargetSpec spec = target("a", "openai-chat", "sim://fast/v1", Map.of(), ProviderAccess.NONE);
        RunResult whole = MetricsFixtures.run(spec, java.time.Instant.now(), ok("a", 250, 80, 100, 0, false));
        RunResult shard = whole.withSharding(new Sharding("g", 3, null, List.of(new Sharding.Shard(1, "r-s1of3",
                null, Double.NaN, Sharding.ClockOffset.UNKNOWN)), Double.NaN));
        StringWriter err = new StringWriter();
        assertTrue(MetricsPublisher.pushingTo(base, "eu").finishAndPush(shard, new PrintWriter(err)), err.toString());
        assertTrue(MetricsPublisher.pushingTo(base, "eu").finishAndPush(whole, new PrintWriter(err)), err.toString());
        List<String> puts = requests.stream().filter(r -> r.startsWith("PUT ")).toList();
        assertEquals(2, puts.size(), requests.toString());
        assertTrue(puts.get(0).startsWith("PUT /metrics/job/tokenbench/probe/eu/benchmark/m/"
                + MetricsPublisher.SHARD_LABEL + "/1 "), puts.get(0));
        assertTrue(puts.get(1).startsWith("PUT /metrics/job/tokenbench/probe/eu/benchmark/m "), puts.get(1));
    }

    @Test
    void aRefusedPushSaysWhatTheGatewayAnswered() throws Exception {
        PushGateway gw = new PushGateway(serve());
        putStatus = 400;
        IOException e = assertThrows(IOException.class, () -> gw.push("tokenbench", GROUP, "x 1\n"));
        assertTrue(e.getMessage().contains("answered HTTP 400: bad metric"), e.getMessage());
    }

    @Test
    void anUnreachableGatewayIsReportedAndNothingThrows() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        MetricsPublisher publisher = MetricsPublisher.pushingTo("http://127.0.0.1:" + port, "p");
        StringWriter err = new StringWriter();
        boolean pushed = publisher.finishAndPush(MetricsFixtures.run(target("a", "openai-chat",
                "sim://fast/v1", Map.of(), ProviderAccess.NONE), java.time.Instant.now(), ok("a", 250, 80, 100, 0, false)),
                new PrintWriter(err));
        assertFalse(pushed);
        assertTrue(err.toString().contains("pushing metrics to http://127.0.0.1:" + port + " failed"), err.toString());
        assertTrue(err.toString().contains("the run's files are written and its exit code stands"), err.toString());
    }

    @Test
    void theProbeComesFromTheOptionThenTheEnvironmentThenTheFile() {
        var file = new dev.tokenbench.config.MetricsSpec(null, "from-file");
        assertEquals("opt", MetricsPublisher.probe(" opt ", n -> "env", file));
        assertEquals("env", MetricsPublisher.probe(null, n -> n.equals("TOKENBENCH_PROBE") ? "env" : null, file));
        assertEquals("from-file", MetricsPublisher.probe(null, n -> " ", file));
        assertEquals("local", MetricsPublisher.probe(null, n -> null, dev.tokenbench.config.MetricsSpec.NONE));
    }

    private String serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String method = exchange.getRequestMethod();
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            requests.add(method + " " + exchange.getRequestURI().getPath()
                    + (contentType == null ? "" : " " + contentType));
            byte[] answer;
            int status = 200;
            if (method.equals("GET")) {
                answer = stored.getBytes(StandardCharsets.UTF_8);
            } else {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                status = putStatus;
                if (status == 200) {
                    stored = body;
                }
                answer = status == 200 ? new byte[0] : "bad metric".getBytes(StandardCharsets.UTF_8);
            }
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static Map<String, String> group(String probe, String benchmark) {
        Map<String, String> g = new LinkedHashMap<>();
        g.put("probe", probe);
        g.put("benchmark", benchmark);
        return g;
    }
}
