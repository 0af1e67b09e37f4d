package dev.tokenbench.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code serve} as shipped: the packaged artifact (target/quarkus-app/quarkus-run.jar; the native executable where
 * one is built), started by Quarkus's integration-test launcher. The launcher passes no program arguments, only
 * system properties: {@code tokenbench.command=serve} selects the command (TokenbenchMain), the HTTP server binds
 * 127.0.0.1 on a free port (quarkus.http.test-port=0), the history lives under target/.
 */
@QuarkusIntegrationTest
@TestProfile(PackagedServiceIT.Profile.class)
@Timeout(120)
class PackagedServiceIT {
    static final String TOKEN = "packaged-it-token-0123456789";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Path data = Path.of("target", "packaged-service-it-" + System.currentTimeMillis()).toAbsolutePath();
            return Map.of("tokenbench.command", "serve",
                    "quarkus.http.host", "127.0.0.1",
                    "tokenbench.api.tokens", TOKEN,
                    "tokenbench.store.data-dir", data.toString(),
                    "tokenbench.serve.benchmarks-dir", Path.of("src/test/resources/serve/benchmarks").toAbsolutePath()
                            .toString(),
                    "tokenbench.probe.name", "packaged");
        }
    }

    @TestHTTPResource("/")
    URI url;

    /** The port the launcher read from the application's log, always on loopback. */
    private ServiceClient client() {
        assertTrue(url.getPort() > 0, "a listening port: " + url);
        return new ServiceClient(URI.create("http://127.0.0.1:" + url.getPort() + "/"));
    }

    @Test
    void healthIsUpAndReadinessIncludesTheStore() throws Exception {
        ServiceClient c = client();
        HttpResponse<String> live = c.get("/q/health/live", null);
        assertEquals(200, live.statusCode(), live.body());
        assertEquals("UP", ServiceClient.json(live).path("status").asText(), live.body());
        HttpResponse<String> ready = c.get("/q/health/ready", null);
        assertEquals(200, ready.statusCode(), ready.body());
        JsonNode store = null;
        for (JsonNode check : ServiceClient.json(ready).path("checks")) {
            if (check.path("name").asText().equals("history-store")) {
                store = check;
            }
        }
        assertTrue(store != null, "readiness checks the history store: " + ready.body());
        assertEquals("UP", store.path("status").asText(), ready.body());
        assertTrue(store.at("/data/store").asText().contains("SQLite"), ready.body());
    }

    @Test
    void theOpenApiDocumentDescribesTheApi() throws Exception {
        HttpResponse<String> openapi = client().get("/q/openapi", null);
        assertEquals(200, openapi.statusCode());
        String body = openapi.body();
        assertTrue(body.contains("title: tokenbench"), "application.yaml's info title: " + body);
        for (String path : new String[] {"/api/runs:", "/api/runs/{id}:", "/api/runs/{id}/report:", "/api/history:"}) {
            assertTrue(body.contains(path), path + " in " + body);
        }
        assertFalse(body.contains(TOKEN));
    }

    @Test
    void aRunNeedsTheTokenIsAcceptedAndReachesDone() throws Exception {
        ServiceClient c = client();
        String quick = Files.readString(Path.of("src/test/resources/serve/benchmarks/quick.yaml"));
        for (String token : new String[] {null, "wrong-token"}) {
            HttpResponse<String> refused = c.post("/api/runs", token, "application/yaml", quick);
            assertEquals(401, refused.statusCode(), "token " + token + ": " + refused.body());
            assertTrue(ServiceClient.json(refused).path("error").asText().contains("bearer token"), refused.body());
        }

        HttpResponse<String> accepted = c.post("/api/runs", TOKEN, "application/yaml", quick);
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = ServiceClient.json(accepted).path("id").asText();
        JsonNode run = c.awaitFinished(id);
        assertEquals("done", run.path("status").asText(), run.toString());
        assertEquals("packaged", run.path("probe").asText(), run.toString());
        assertEquals(2, run.path("summaries").size(), run.toString());
        assertEquals(4, run.path("summaries").path(0).path("requests").path("ok").asInt(), run.toString());

        HttpResponse<String> report = c.get("/api/runs/" + id + "/report", null);
        assertEquals(200, report.statusCode());
        assertTrue(report.body().contains("<html"), "the HTML report from the packaged templates");
        assertTrue(ServiceClient.json(c.get("/api/runs?benchmark=quick", null)).path("runs")
                .findValuesAsText("id").contains(id), "the run is in the history");

        HttpResponse<String> byName = c.post("/api/runs", TOKEN, "application/json", "{\"benchmark\": \"quick\"}");
        assertEquals(202, byName.statusCode(), "a configured benchmark: " + byName.body());
        assertEquals("done", c.awaitFinished(ServiceClient.json(byName).path("id").asText()).path("status").asText());
    }

    @Test
    void prometheusMetricsAreServed() throws Exception {
        HttpResponse<String> metrics = client().get("/q/metrics", null);
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain")
                || metrics.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"),
                metrics.headers().toString());
        assertTrue(metrics.body().contains("# TYPE "), metrics.body());
        assertFalse(metrics.body().contains(TOKEN));
    }

    @Test
    void theDashboardPageIsServed() throws Exception {
        HttpResponse<String> page = client().get("/", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<html"), page.body());
    }
}
