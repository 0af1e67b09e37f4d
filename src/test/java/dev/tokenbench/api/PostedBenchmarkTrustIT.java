package dev.tokenbench.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service's trust boundary, tried as an API token holder would try it against the packaged {@code serve} on
 * loopback: a posted benchmark cannot run a command, read the server's environment or files (through references,
 * prompt paths or error messages), or send a server secret to a capture server of its own; a named credential goes
 * only where its settings allow; and no credential of any kind reaches any output the service writes or serves.
 */
class PostedBenchmarkTrustIT {
    private static final String TOKEN = "tbapitoken" + UUID.randomUUID().toString().replace("-", "");
    private static final String SERVER_SECRET = "tbserversecret" + UUID.randomUUID().toString().replace("-", "");
    private static final String CREDENTIAL = "tbnamedcred" + UUID.randomUUID().toString().replace("-", "");

    @TempDir
    Path dir;

    @Test
    void aPostedBenchmarkGetsNothingOfTheHost() throws Exception {
        Vertx vertx = Vertx.vertx();
        ConcurrentLinkedQueue<String> captured = new ConcurrentLinkedQueue<>();
        try {
            HttpServer capture = vertx.createHttpServer().requestHandler(r -> capture(r, captured))
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            String captureUrl = "http://127.0.0.1:" + capture.actualPort() + "/v1";
            Path credentialFile = dir.resolve("secrets").resolve("capture-key");
            Files.createDirectories(credentialFile.getParent());
            Files.writeString(credentialFile, CREDENTIAL + "\n");
            Path serverFile = dir.resolve("server-file.txt");
            Files.writeString(serverFile, SERVER_SECRET);
            Map<String, String> properties = Map.of(
                    "tokenbench.serve.credentials.capture.file", credentialFile.toString(),
                    "tokenbench.serve.credentials.capture.hosts", "127.0.0.1",
                    "tokenbench.serve.credentials.openai.file", credentialFile.toString(),
                    "tokenbench.serve.credentials.openai.hosts", "api.openai.com",
                    "quarkus.log.category.\"dev.tokenbench\".level", "DEBUG");
            Map<String, String> env = Map.of("TOKENBENCH_API_TOKEN", TOKEN, "SERVER_SECRET", SERVER_SECRET);
            String runId;
            try (ServiceProcess serve = ServiceProcess.serve(dir, properties, env)) {
                ServiceClient c = serve.client();

                // A command is never run: refused at load, before anything starts.
                HttpResponse<String> command = post(c, """
                        name: cmd
                        targets:
                          - {name: v, api: vertex-gemini, model: m, project: p, location: us-central1,
                             base-url: '%s', token-command: [sh, -c, "id > marker; echo tok"]}
                        prompts: {synthetic: {input-tokens: 10, output-tokens: 5}}
                        """.formatted(captureUrl));
                assertRefused(command, "targets[0].token-command");

                // The server's environment and files: not through references, not through prompt paths.
                assertRefused(post(c, benchmark("api-key: '${env:TOKENBENCH_API_TOKEN}', model: m", captureUrl)),
                        "targets[0].api-key");
                assertRefused(post(c, benchmark("model: 'm-${env:SERVER_SECRET}'", captureUrl)), "targets[0].model");
                assertRefused(post(c, benchmark("model: m, labels: {k: '${file:" + serverFile + "}'}", captureUrl)),
                        "targets[0].labels.k");
                for (String path : List.of("/etc/passwd", "../server-file.txt", serverFile.toString())) {
                    HttpResponse<String> r = post(c, "name: p\ntargets: [{name: t, api: openai-chat, model: m, "
                            + "base-url: '" + captureUrl + "'}]\nprompts: '" + path + "'\n");
                    assertRefused(r, "prompts");
                    assertFalse(r.body().contains("root:"), r.body());
                }
                // A named credential only for its hosts; metadata addresses never.
                assertRefused(post(c, benchmark("model: m, api-key: '${credential:openai}'", captureUrl)),
                        "targets[0].api-key");
                assertRefused(post(c, benchmark("model: m", "http://169.254.169.254/v1")), "targets[0].base-url");

                // What the service allows: its named credential, to its host; the run goes through.
                HttpResponse<String> accepted = post(c, """
                        name: posted
                        targets:
                          - {name: capture, api: openai-chat, model: m, api-key: '${credential:capture}',
                             base-url: '%s', labels: {cloud: capture}}
                          - {name: sim, api: openai-chat, model: m, base-url: 'sim://s/v1'}
                        prompts: {synthetic: {count: 2, input-tokens: 20, output-tokens: 10}}
                        load: {mode: closed, concurrency: 1, requests: 2, warmup: 0, timeout: 20s}
                        simulator: {scenarios: {s: {ttft: 10ms, tokens-per-second: 500}}}
                        """.formatted(captureUrl));
                assertEquals(202, accepted.statusCode(), accepted.body());
                runId = ServiceClient.json(accepted).path("id").asText();
                JsonNode run = c.awaitFinished(runId);
                assertEquals("done", run.path("status").asText(), run.toString());
                assertTrue(captured.stream().anyMatch(h -> h.contains("Bearer " + CREDENTIAL)),
                        "the named credential went to its host");

                // Everything the service serves about the run, read back with and without the token.
                List<String> served = new ArrayList<>();
                for (String path : List.of("/api/runs", "/api/runs/" + runId, "/api/runs/" + runId + "/run.json",
                        "/api/runs/" + runId + "/report", "/api/runs/" + runId + "/report.md",
                        "/api/runs/" + runId + "/requests", "/q/metrics", "/")) {
                    HttpResponse<String> r = c.get(path, TOKEN);
                    assertEquals(200, r.statusCode(), path + ": " + r.body());
                    served.add(path + "\n" + r.body());
                }
                assertTrue(served.stream().anyMatch(s -> s.contains("Incorrect API key provided")),
                        "the capture server's echo of the key is in the records, scrubbed");
                Files.writeString(dir.resolve("served.txt"), String.join("\n", served));
            }
            assertFalse(Files.exists(dir.resolve("marker")), "the posted token-command never ran");
            for (String seen : captured) {
                assertFalse(seen.contains(SERVER_SECRET) || seen.contains(TOKEN),
                        "no server secret reached the capture server: " + seen);
            }
            List<String> hits = new ArrayList<>();
            int files = 0;
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path file : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                    if (file.equals(credentialFile) || file.equals(serverFile)) {
                        continue;
                    }
                    files++;
                    String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    for (String secret : List.of(CREDENTIAL, SERVER_SECRET, TOKEN)) {
                        if (text.contains(secret)) {
                            hits.add(dir.relativize(file) + " holds " + secret.substring(0, 12));
                        }
                    }
                }
            }
            assertTrue(files >= 6, "searched the log, the run's directory, the store and what was served: " + files);
            assertEquals(List.of(), hits);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static String benchmark(String fields, String baseUrl) {
        return "name: p\ntargets:\n  - {name: t, api: openai-chat, base-url: '" + baseUrl + "', " + fields + "}\n"
                + "prompts: {synthetic: {input-tokens: 10, output-tokens: 5}}\n";
    }

    private static HttpResponse<String> post(ServiceClient c, String yaml) throws Exception {
        return c.post("/api/runs", TOKEN, "application/yaml", yaml);
    }

    private static void assertRefused(HttpResponse<String> r, String field) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        JsonNode errors = ServiceClient.json(r).path("errors");
        boolean named = false;
        for (JsonNode e : errors) {
            named |= e.path("field").asText().equals(field);
        }
        assertTrue(named, "an error at " + field + ": " + r.body());
        for (String secret : List.of(SERVER_SECRET, TOKEN, CREDENTIAL)) {
            assertFalse(r.body().contains(secret), r.body());
        }
    }

    /** Keeps every request's headers and body; answers as a provider that rejects the key and quotes it back. */
    private static void capture(HttpServerRequest r, ConcurrentLinkedQueue<String> captured) {
        r.body().onComplete(body -> {
            StringBuilder seen = new StringBuilder(r.method() + " " + r.uri() + "\n");
            r.headers().forEach(h -> seen.append(h.getKey()).append(": ").append(h.getValue()).append('\n'));
            if (body.succeeded()) {
                seen.append(body.result().toString(StandardCharsets.UTF_8));
            }
            captured.add(seen.toString());
            String key = String.valueOf(r.getHeader("authorization")).replace("\"", "");
            r.response().setStatusCode(401).putHeader("content-type", "application/json")
                    .end("{\"error\":{\"message\":\"Incorrect API key provided: " + key + "\","
                            + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
        });
    }
}
