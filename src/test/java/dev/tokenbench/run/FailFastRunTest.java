package dev.tokenbench.run;

import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.RunPlan;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.report.MarkdownReport;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's fail-fast against a local server that answers every request with a 401: the server sees the first
 * requests and the few then in flight, not the whole sweep; with fail-fast off it sees every one.
 */
@Timeout(120)
class FailFastRunTest {
    private static Vertx vertx;
    private static HttpServer server;
    private static final AtomicInteger served = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            served.incrementAndGet();
            req.response().setStatusCode(401).putHeader("content-type", "application/json")
                    .end("{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\","
                            + "\"code\":\"invalid_api_key\"}}");
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private RunResult run(Path dir, int failFastAfter, RunEngine.Handle[] handle) throws Exception {
        String yaml = """
                name: ff
                targets:
                  - {name: wrong-key, api: openai-chat, base-url: 'http://127.0.0.1:%d/v1', model: m}
                prompts: {synthetic: {input-tokens: 8, output-tokens: 4, count: 1}}
                load: {mode: sweep, concurrency: [1, 2, 3], requests: 20, warmup: 1, timeout: 10s, stall-timeout: 5s}
                """.formatted(server.actualPort());
        ProviderRegistry providers = ProviderRegistry.defaults();
        RunPlan plan = new BenchmarkLoader(name -> null, dir, providers).load("ff.yaml", yaml, dir);
        Vertx client = Vertx.vertx();
        try {
            served.set(0);
            handle[0] = new RunEngine(client, providers).failFastAfter(failFastAfter).start(plan, "ff", dir, null);
            return handle[0].await();
        } finally {
            client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aTargetWhoseFirstRequestsAllGet401StopsSending(@TempDir Path dir) throws Exception {
        RunEngine.Handle[] handle = new RunEngine.Handle[1];
        RunResult result = run(dir, 4, handle);
        int sent = served.get();
        assertTrue(sent >= 4 && sent <= 4 + 3, "the first 4 and at most the 3 then in flight: " + sent);
        assertEquals(sent, Files.readAllLines(dir.resolve("requests.jsonl")).size(), "each one recorded");
        assertEquals(RunResult.FAILED, result.status());
        assertEquals(1, result.steps().get(0).steps().size(), "the sweep went no further than its first step");
        String why = "its first 4 requests all failed with HTTP 401: check its api-key or auth (and that the key "
                + "may use this model)";
        assertEquals(why, handle[0].stoppedEarly().get("wrong-key"));
        // The run's own record says it too, and keeps saying it when read back (report DIR, the service's history).
        assertEquals(why, result.targets().get(0).stoppedEarly());
        ObjectNode json = RunJson.toJson(result, "test");
        assertEquals(why, json.path("targets").path(0).path("stopped_early").asText());
        assertEquals(why, RunJsonReader.of(json, "run.json").summary(0, "wrong-key").stoppedEarly());
        String md = MarkdownReport.render(result);
        String sentence = md.lines().filter(l -> l.startsWith("- wrong-key (baseline): ")).findFirst().orElseThrow();
        assertTrue(sentence.startsWith("- wrong-key (baseline): every request failed (")
                && sentence.endsWith("), and it stopped sending early because " + why + "; nothing to compare."),
                sentence);
    }

    @Test
    void offSendsEveryRequest(@TempDir Path dir) throws Exception {
        RunEngine.Handle[] handle = new RunEngine.Handle[1];
        RunResult result = run(dir, 0, handle);
        assertEquals(1 + 3 * 20, served.get(), "the warm-up and every step");
        assertTrue(handle[0].stoppedEarly().isEmpty());
        assertTrue(RunJson.toJson(result, "test").path("targets").path(0).path("stopped_early").isMissingNode(),
                "no stopped_early field when the target sent its whole load");
    }
}
