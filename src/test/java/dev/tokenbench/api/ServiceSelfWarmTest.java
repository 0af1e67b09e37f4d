package dev.tokenbench.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.core.Json;
import dev.tokenbench.serve.RunService;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service warms its client before each run, as the CLI does (tokenbench.serve.self-warm, default 2s), and
 * nothing of the warm-up reaches the run: the warm-up sends the benchmark's own target (same name) to a throwaway
 * simulator, so a warm request that leaked into the records, history or the live metrics would show as more
 * requests for that target than the benchmark sent. A posted benchmark's load.drop-lagged applies too.
 */
@QuarkusTest
@TestProfile(ServiceSelfWarmTest.Deployed.class)
class ServiceSelfWarmTest {
    /** The service with its warm-up at the deployed default. */
    public static class Deployed extends ServiceTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.remove("tokenbench.serve.self-warm");
            return overrides;
        }
    }

    /** Its own target name: the registry is shared with the other tests of this profile. */
    static final String TARGET = "self-warmed-chat";
    static final int REQUESTS = 6;
    static final String BENCHMARK = """
            name: self-warmed
            targets:
              - {name: %s, api: openai-chat, base-url: 'sim://steady/v1', model: m1}
            prompts: {synthetic: {count: 2, input-tokens: 20, output-tokens: 10}}
            load: {mode: closed, concurrency: 2, requests: %d, warmup: 0, timeout: 10s, stall-timeout: 5s%s}
            simulator:
              scenarios:
                steady: {ttft: 5ms, tokens-per-second: 800}
            """;

    @TestHTTPResource("/")
    URI base;

    @Inject
    RunService service;

    @Test
    void aPostedRunIsSelfWarmedAndTheWarmUpLeavesNoTrace() throws Exception {
        ServiceClient c = new ServiceClient(base);
        String id = postAndAwait(c, BENCHMARK.formatted(TARGET, REQUESTS, ", drop-lagged: 5s"));

        JsonNode warm = planJson(id).path("self_warm");
        assertTrue(warm.path("enabled").asBoolean(), "the service's default warms: " + warm);
        long warmRequests = warm.path("requests").asLong();
        assertTrue(warmRequests > 0, "the warm-up sent requests (for the same target name): " + warm);

        JsonNode runJson = ServiceClient.json(c.get("/api/runs/" + id + "/run.json", null));
        assertEquals(REQUESTS, runJson.path("targets").path(0).path("requests").path("measured").asInt(),
                runJson.path("targets").toString());
        assertEquals(REQUESTS, runJson.path("targets").path(0).path("requests").path("ok").asInt());
        assertEquals(5000, runJson.path("client").path("drop_lagged_ms").asDouble(),
                "the posted file's load.drop-lagged applied: " + runJson.path("client"));
        assertEquals(REQUESTS, c.get("/api/runs/" + id + "/requests", null).body().lines().count(),
                "one record per request the benchmark sent, none of the warm-up's");

        String metrics = c.get("/q/metrics", null).body();
        assertEquals(REQUESTS, sum(metrics, "tokenbench_requests_total{"),
                "the live and final metrics count the benchmark's requests only (warm-up sent " + warmRequests + ")");
        assertEquals(REQUESTS, sum(metrics, "tokenbench_ttft_seconds_count{"), "TTFT observations");

        JsonNode history = ServiceClient.json(c.get("/api/history?target=" + TARGET + "&metric=ttft_ms&agg=mean"
                + "&range=1d", null));
        assertEquals(1, history.path("points").size(), "one run in history for the target: " + history);
    }

    static String postAndAwait(ServiceClient c, String benchmark) throws Exception {
        HttpResponse<String> accepted = c.post("/api/runs", ServiceTestProfile.TOKEN, "application/yaml", benchmark);
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = ServiceClient.json(accepted).path("id").asText();
        JsonNode run = c.awaitFinished(id);
        assertEquals("done", run.path("status").asText(), run.toString());
        return id;
    }

    JsonNode planJson(String id) throws Exception {
        return Json.MAPPER.readTree(service.runDirectory(id).resolve("plan.json").toFile());
    }

    /** The sum of a metric's samples for {@link #TARGET}, from the Prometheus text. */
    static double sum(String metrics, String sampleStart) {
        return metrics.lines()
                .filter(l -> l.startsWith(sampleStart) && l.contains("target=\"" + TARGET + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
