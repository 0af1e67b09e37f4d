package dev.tokenbench.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The REST API end to end: auth, a run started, finished, stored and read back in every form. */
@QuarkusTest
@TestProfile(ServiceTestProfile.class)
class RunsApiTest {
    @TestHTTPResource("/")
    URI base;

    private ServiceClient client() {
        return new ServiceClient(base);
    }

    private static String quick() throws Exception {
        return Files.readString(Path.of("src/test/resources/serve/benchmarks/quick.yaml"));
    }

    @Test
    void startingARunNeedsTheToken() throws Exception {
        ServiceClient c = client();
        for (String token : new String[] {null, "wrong-token", ServiceTestProfile.TOKEN + "x", ""}) {
            HttpResponse<String> r = c.post("/api/runs", token, "application/yaml", quick());
            assertEquals(401, r.statusCode(), "token " + token);
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            assertTrue(ServiceClient.json(r).path("error").asText().contains("bearer token"), r.body());
        }
        assertEquals(401, c.post("/api/runs/import", null, "application/json", "{}").statusCode());
    }

    @Test
    void withoutReadRequiresTokenEveryReadAnswersAndEveryWriteStillNeedsTheToken() throws Exception {
        ServiceClient c = client();
        for (BearerTokenTest.Endpoint e : BearerTokenTest.endpoints()) {
            HttpResponse<String> r = e.send(c, null);
            if (e.read()) {
                assertNotEquals(401, r.statusCode(), e + ": " + r.body());
            } else {
                BearerTokenTest.assertRefused(r, null, e.toString());
            }
        }
    }

    @Test
    void anInvalidBenchmarkIsA400ListingEveryProblem() throws Exception {
        String bad = Files.readString(Path.of("src/test/resources/config/bad-many.yaml"));
        HttpResponse<String> r = client().post("/api/runs", ServiceTestProfile.TOKEN, "application/yaml", bad);
        assertEquals(400, r.statusCode(), r.body());
        JsonNode json = ServiceClient.json(r);
        JsonNode errors = json.path("errors");
        assertTrue(errors.size() >= 7, "all seven problems at once: " + r.body());
        assertTrue(json.path("error").asText().contains(errors.size() + " problems"), r.body());
        String all = errors.toString();
        for (String field : new String[] {"opnai-chat", "concurency", "timeout", "stream-tps", "baseline"}) {
            assertTrue(all.contains(field), field + " in " + all);
        }
        HttpResponse<String> unknown = client().post("/api/runs", ServiceTestProfile.TOKEN, "application/json",
                "{\"benchmark\": \"nope\"}");
        assertEquals(404, unknown.statusCode(), unknown.body());
    }

    @Test
    void aRunIsAcceptedRunsToDoneAndIsReadBack() throws Exception {
        ServiceClient c = client();
        HttpResponse<String> accepted = c.post("/api/runs", ServiceTestProfile.TOKEN, "application/yaml", quick());
        assertEquals(202, accepted.statusCode(), accepted.body());
        JsonNode started = ServiceClient.json(accepted);
        String id = started.path("id").asText();
        assertTrue(id.contains("quick"), id);
        assertEquals("queued", started.path("status").asText());

        JsonNode run = c.awaitFinished(id);
        assertEquals("done", run.path("status").asText(), run.toString());
        assertEquals("central", run.path("probe").asText());
        assertEquals("eu-test", run.path("region").asText());
        assertEquals(2, run.path("summaries").size());
        assertEquals(4, run.path("summaries").path(0).path("requests").path("ok").asInt());
        assertTrue(run.path("summaries").path(0).path("metrics").path("ttft_ms").path("mean").asDouble() > 0);

        JsonNode list = ServiceClient.json(c.get("/api/runs?benchmark=quick&target=slow&limit=50", null));
        assertTrue(list.path("runs").findValuesAsText("id").contains(id), list.toString());
        assertTrue(ServiceClient.json(c.get("/api/runs?benchmark=other", null)).path("runs").isEmpty());

        HttpResponse<String> html = c.get("/api/runs/" + id + "/report", null);
        assertEquals(200, html.statusCode());
        assertTrue(html.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(html.body().contains("<html") && html.body().contains("slow"), "the HTML report");
        HttpResponse<String> md = c.get("/api/runs/" + id + "/report.md", null);
        assertEquals(200, md.statusCode());
        assertTrue(md.body().contains("| fast"), md.body());
        HttpResponse<String> requests = c.get("/api/runs/" + id + "/requests", null);
        assertEquals(200, requests.statusCode());
        assertEquals(8, requests.body().lines().count(), "one JSON line per request");
        assertTrue(requests.body().lines().allMatch(l -> l.startsWith("{\"request_id\"")));

        JsonNode history = ServiceClient.json(c.get("/api/history?target=fast&metric=ttft_ms&agg=mean&range=1d",
                null));
        assertTrue(history.path("points").findValuesAsText("run_id").contains(id), history.toString());
        assertEquals(400, c.get("/api/history?target=fast&agg=median", null).statusCode());
        assertEquals(404, c.get("/api/runs/no-such-run", null).statusCode());
        assertEquals(404, c.get("/api/runs/no-such-run/report", null).statusCode());
    }

    @Test
    void aTargetWhoseFirstRequestsAllGet401StopsSendingAndTheRunSaysWhy() throws Exception {
        ServiceClient c = client();
        String benchmark = """
                name: wrong-key
                targets:
                  - {name: rejected, api: openai-chat, base-url: 'sim://rejected/v1', model: m}
                prompts: {synthetic: {count: 1, input-tokens: 8, output-tokens: 4}}
                load: {mode: closed, concurrency: 1, requests: 40, warmup: 0, timeout: 10s, stall-timeout: 5s}
                simulator:
                  scenarios:
                    rejected: {ttft: 1ms, tokens-per-second: 800, faults: [{kind: http-error, status: 401, every: 1}]}
                """;
        HttpResponse<String> accepted = c.post("/api/runs", ServiceTestProfile.TOKEN, "application/yaml", benchmark);
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = ServiceClient.json(accepted).path("id").asText();
        c.awaitFinished(id);
        JsonNode target = ServiceClient.json(c.get("/api/runs/" + id + "/run.json", null)).path("targets").path(0);
        // The service stops after the default 5 (tokenbench.serve.fail-fast), as the CLI does; the worker may have
        // sent the next ones while the record writer judged the fifth.
        int measured = target.path("requests").path("measured").asInt();
        assertTrue(measured >= 5 && measured <= 10, "5 and the few sent meanwhile, not 40: " + measured);
        assertEquals("its first 5 requests all failed with HTTP 401: check its api-key or auth (and that the key may "
                + "use this model)", target.path("stopped_early").asText(), target.toString());
    }

    @Test
    void badListParametersAreA400NamingTheParameterAndTheFix() throws Exception {
        ServiceClient c = client();
        for (String limit : new String[] {"-1", "0", "1001", "99999999999", "ten", "1.5"}) {
            HttpResponse<String> r = c.get("/api/runs?limit=" + limit, null);
            assertEquals(400, r.statusCode(), "limit=" + limit + ": " + r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            String error = ServiceClient.json(r).path("error").asText();
            assertTrue(error.contains("limit must be a whole number from 1 to 1000"), error);
        }
        for (String since : new String[] {"yesterday", "-1d", "99999999999999999d", "2025-13-01T00:00:00Z"}) {
            HttpResponse<String> r = c.get("/api/runs?since=" + since, null);
            assertEquals(400, r.statusCode(), "since=" + since + ": " + r.body());
            assertTrue(ServiceClient.json(r).path("error").asText().contains("since must be an ISO-8601 instant"),
                    r.body());
        }
        assertEquals(200, c.get("/api/runs?limit=1000&since=7d", null).statusCode());
        assertEquals(200, c.get("/api/runs?limit=", null).statusCode(), "an empty limit is the default");
    }

    @Test
    void afterARunMetricsShowItsHistogramsWithTheTargetsLabels() throws Exception {
        ServiceClient c = client();
        String labelled = quick().replace("name: quick", "name: labelled")
                .replace("model: m1,", "model: m1, labels: {cloud: openai, region: us-east},")
                .replace("model: m2}", "model: m2, labels: {region: eu-west}}");
        HttpResponse<String> accepted = c.post("/api/runs", ServiceTestProfile.TOKEN, "application/yaml", labelled);
        assertEquals(202, accepted.statusCode(), accepted.body());
        JsonNode run = c.awaitFinished(ServiceClient.json(accepted).path("id").asText());
        assertEquals("done", run.path("status").asText(), run.toString());

        HttpResponse<String> scrape = c.get("/q/metrics", null);
        assertEquals(200, scrape.statusCode());
        String text = scrape.body();
        for (String histogram : new String[] {"tokenbench_ttft_seconds", "tokenbench_tpot_seconds",
                "tokenbench_request_duration_seconds", "tokenbench_stream_tokens_per_second",
                "tokenbench_e2e_tokens_per_second"}) {
            String fast = sample(text, histogram + "_count", "target=\"fast\"", "region=\"us-east\"");
            assertTrue(fast.contains("api=\"openai-chat\"") && fast.contains("model=\"m1\"")
                    && fast.contains("cloud=\"openai\"") && fast.contains("probe=\"central\""), fast);
            assertTrue(value(fast) >= 4, "this run's four requests at least: " + fast);
            String slow = sample(text, histogram + "_count", "target=\"slow\"", "region=\"eu-west\"");
            assertTrue(slow.contains("api=\"anthropic\"") && slow.contains("model=\"m2\""), slow);
            assertTrue(text.contains(histogram + "_bucket{"), histogram + " has buckets");
        }
        String ok = sample(text, "tokenbench_requests_total", "target=\"fast\"", "outcome=\"ok\"");
        assertTrue(value(ok) >= 4, ok);
        assertTrue(value(sample(text, "tokenbench_runs_total", "probe=\"central\"", "status=\"done\"")) >= 1);
        assertTrue(value(sample(text, "tokenbench_last_run_timestamp_seconds", "probe=\"central\"")) > 1.7e9);
    }

    /** The line of a Prometheus text exposition for {@code name} whose labels include every one given. */
    private static String sample(String exposition, String name, String... labels) {
        return exposition.lines().filter(l -> l.startsWith(name + "{"))
                .filter(l -> java.util.Arrays.stream(labels).allMatch(l::contains)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " with " + String.join(",", labels) + " not in:\n"
                        + exposition.lines().filter(l -> l.startsWith("tokenbench_")).limit(40)
                        .collect(java.util.stream.Collectors.joining("\n"))));
    }

    private static double value(String sampleLine) {
        return Double.parseDouble(sampleLine.substring(sampleLine.lastIndexOf(' ') + 1));
    }

    @Test
    void aConfiguredBenchmarkRunsByName() throws Exception {
        ServiceClient c = client();
        HttpResponse<String> accepted = c.post("/api/runs", ServiceTestProfile.TOKEN, "application/json",
                "{\"benchmark\": \"quick\"}");
        assertEquals(202, accepted.statusCode(), accepted.body());
        JsonNode run = c.awaitFinished(ServiceClient.json(accepted).path("id").asText());
        assertEquals("done", run.path("status").asText(), run.toString());
    }

    @Test
    void healthIncludesTheStoreAndOpenApiDescribesTheApi() throws Exception {
        ServiceClient c = client();
        HttpResponse<String> ready = c.get("/q/health/ready", null);
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("history-store") && ready.body().contains("SQLite"), ready.body());
        assertEquals(200, c.get("/q/health/live", null).statusCode());
        assertEquals(200, c.get("/q/metrics", null).statusCode(), "Prometheus metrics are served");
        HttpResponse<String> openapi = c.get("/q/openapi", null);
        assertEquals(200, openapi.statusCode());
        assertTrue(openapi.body().contains("/api/runs/{id}/report") && openapi.body().contains("/api/history"),
                openapi.body());
        assertFalse(openapi.body().contains(ServiceTestProfile.TOKEN));
    }

    /**
     * The OpenAPI document says what the API does: POST /api/runs answers 202 (not 200) with the Accepted body and
     * a Location, its errors have schemas, every operation names the bearer scheme and documents its 401.
     */
    @Test
    void openApiHasSchemasStatusesAndTheBearerScheme() throws Exception {
        HttpResponse<String> r = client().get("/q/openapi?format=json", null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode doc = ServiceClient.json(r);
        JsonNode scheme = doc.path("components").path("securitySchemes").path("bearer");
        assertEquals("http", scheme.path("type").asText(), doc.path("components").toString());
        assertEquals("bearer", scheme.path("scheme").asText());
        JsonNode start = doc.path("paths").path("/api/runs").path("post");
        JsonNode responses = start.path("responses");
        assertFalse(responses.has("200"), "POST /api/runs answers 202, never 200: " + responses);
        for (String status : new String[] {"202", "400", "401", "404", "429"}) {
            assertTrue(responses.has(status), status + " in " + responses);
        }
        assertTrue(responses.path("202").path("headers").has("Location"), responses.toString());
        assertEquals("#/components/schemas/Accepted",
                responses.path("202").path("content").path("application/json").path("schema").path("$ref").asText());
        assertEquals("#/components/schemas/Rejected",
                responses.path("400").path("content").path("application/json").path("schema").path("$ref").asText());
        JsonNode schemas = doc.path("components").path("schemas");
        assertTrue(schemas.path("Accepted").path("properties").has("id"), schemas.toString());
        assertTrue(schemas.path("ErrorMessage").path("properties").has("error"), schemas.toString());
        assertTrue(schemas.path("Problem").path("properties").has("field"), schemas.toString());
        assertTrue(schemas.path("Point").path("properties").has("run_id"), "snake_case on the wire: "
                + schemas.path("Point"));
        JsonNode paths = doc.path("paths");
        for (var path = paths.fields(); path.hasNext(); ) {
            var entry = path.next();
            if (!entry.getKey().startsWith("/api/")) {
                continue;
            }
            for (var op = entry.getValue().fields(); op.hasNext(); ) {
                var operation = op.next();
                String what = operation.getKey() + " " + entry.getKey();
                assertTrue(operation.getValue().path("responses").has("401"), what + " documents its 401");
                assertTrue(operation.getValue().path("security").toString().contains("bearer")
                        || doc.path("security").toString().contains("bearer"), what + " names the bearer scheme");
                assertFalse(operation.getValue().path("summary").asText().isBlank(), what + " has a summary");
            }
        }
    }
}
