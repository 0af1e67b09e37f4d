package dev.tokenbench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.sim.SimRequestLog;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxInternal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's self-warm: every API of the plan is warmed against the throwaway simulator (each answers ok there),
 * and nothing of it reaches the run: not its records, requests.jsonl, aggregates, the run's simulator or its
 * clock. plan.json says that it happened. (That it makes the first request exact is shown by bench/cold.sh.)
 */
class SelfWarmTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REQUESTS = 2;
    private static final String BENCHMARK = "name: self-warm\n" + AllApiTargets.yaml(4000) + """
            prompts: {synthetic: {input-tokens: 16, output-tokens: 20, count: 2}}
            load: {mode: closed, concurrency: 1, requests: %d, warmup: 0, timeout: 30s, stall-timeout: 10s}
            simulator:
              scenarios:
                s-chat: {ttft: 5ms, tokens-per-second: 1000}
                s-responses: {ttft: 5ms, tokens-per-second: 1000, reasoning-tokens: 4}
                s-azure: {ttft: 5ms, tokens-per-second: 1000}
                s-azure-responses: {ttft: 5ms, tokens-per-second: 1000}
                s-anthropic: {ttft: 5ms, tokens-per-second: 1000, reasoning-tokens: 4}
                s-gemini: {ttft: 5ms, tokens-per-second: 1000}
                s-vertex: {ttft: 5ms, tokens-per-second: 1000}
                s-bedrock: {ttft: 5ms, tokens-per-second: 1000}
            """.formatted(REQUESTS);

    private Vertx vertx;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    }

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void everyApiIsWarmedAndNothingOfItIsRecorded(@TempDir Path dir) throws Exception {
        ProviderRegistry providers = ProviderRegistry.defaults();
        RunPlan plan = new BenchmarkLoader(name -> null, dir, providers).load("self-warm.yaml", BENCHMARK,
                dir);
        Path runDir = dir.resolve("run");
        ConcurrentLinkedQueue<RequestRecord> records = new ConcurrentLinkedQueue<>();
        RunEngine.Handle handle = new RunEngine(vertx, providers).selfWarm(Duration.ofMillis(800))
                .start(plan, "warmed", runDir, records::add);
        RunResult result = handle.await();

        JsonNode warm = JSON.readTree(runDir.resolve("plan.json").toFile()).path("self_warm");
        assertTrue(warm.path("enabled").asBoolean(), "plan.json says the run was warmed: " + warm);
        long perApi = warm.path("requests").asLong() / plan.targets().size();
        assertTrue(perApi >= 2, "several warm requests per API, found " + warm);
        assertEquals(0, warm.path("failed").asLong(), "every API answered the warm-up ok: " + warm);
        assertFalse(warm.has("error"), warm.toString());
        assertFalse(warm.path("tls").asBoolean(), "no https target, no TLS warm-up");
        assertTrue(warm.path("took_ms").asDouble() > 0, warm.toString());
        assertTrue(List.of("jit-quiet", "time-limit").contains(warm.path("ended_by").asText()),
                "a JVM with a JIT waits for it: " + warm);

        int measured = plan.targets().size() * REQUESTS;
        assertEquals(measured, records.size(), "only the measured requests are records");
        List<String> lines = Files.readAllLines(runDir.resolve("requests.jsonl"));
        assertEquals(measured, lines.size(), "requests.jsonl holds the measured requests only");
        for (String line : lines) {
            assertFalse(line.contains(SelfWarm.SCENARIO), "no warm request in requests.jsonl: " + line);
        }
        assertEquals(measured, handle.simulator().log().size(), "the run's simulator saw only the run's requests");
        for (RequestRecord r : records) {
            assertTrue(r.ok(), r.target() + " " + r.outcome() + " " + r.error());
            SimRequestLog truth = handle.simulator().log().find(r.requestId());
            assertNotNull(truth, r.requestId());
        }
        for (TargetSummary s : result.targets()) {
            assertEquals(REQUESTS, s.requests(), s.target() + ": the summary counts the measured requests only");
        }
    }

    @Test
    void withoutSelfWarmPlanJsonSaysSo(@TempDir Path dir) throws Exception {
        ProviderRegistry providers = ProviderRegistry.defaults();
        String oneTarget = """
                name: cold
                targets:
                  - {name: chat, api: openai-chat, base-url: 'sim://s-chat/v1', model: gpt-4.1-mini}
                prompts: {synthetic: {input-tokens: 16, output-tokens: 8, count: 1}}
                load: {mode: closed, concurrency: 1, requests: 1, warmup: 0, timeout: 30s, stall-timeout: 10s}
                simulator: {scenarios: {s-chat: {ttft: 5ms, tokens-per-second: 1000}}}
                """;
        RunPlan plan = new BenchmarkLoader(name -> null, dir, providers).load("cold.yaml", oneTarget, dir);
        Path runDir = dir.resolve("run");
        new RunEngine(vertx, providers).start(plan, "cold", runDir, null).await();
        JsonNode warm = JSON.readTree(runDir.resolve("plan.json").toFile()).path("self_warm");
        assertFalse(warm.path("enabled").asBoolean(true), warm.toString());
        assertFalse(warm.has("requests"), warm.toString());
    }

    @Test
    void aWarmBaseUrlKeepsTheTargetsPathLessAnotherSimulatorsScenario(@TempDir Path dir) throws Exception {
        ProviderRegistry providers = ProviderRegistry.defaults();
        String targets = """
                name: urls
                targets:
                  - {name: openai, api: openai-chat, base-url: 'https://api.openai.com/v1', model: m}
                  - {name: vllm-on-a-sim, api: openai-chat, base-url: 'http://127.0.0.1:9/fast/v1', model: m}
                  - {name: anthropic-on-a-sim, api: anthropic, base-url: 'http://127.0.0.1:9/slow', model: m}
                  - {name: azure, api: azure-openai, base-url: 'https://x.openai.azure.com', deployment: d}
                  - {name: bedrock, api: bedrock-converse, base-url: 'sim://bedrock', model: 'openai.gpt-oss-120b-1:0'}
                prompts: {synthetic: {input-tokens: 16, output-tokens: 20, count: 1}}
                load: {mode: closed, concurrency: 1, requests: 1}
                simulator: {scenarios: {bedrock: {}}}
                """;
        RunPlan plan = new BenchmarkLoader(name -> "k", dir, providers).load("urls.yaml", targets, dir);
        List<String> expected = List.of("/self-warm/v1", "/self-warm/v1", "/self-warm", "/self-warm", "/self-warm");
        for (int i = 0; i < expected.size(); i++) {
            var spec = plan.targets().get(i);
            assertEquals("http://127.0.0.1:4000" + expected.get(i),
                    SelfWarm.warmBaseUrl(plan, spec, providers.get(spec.api()), "http", 4000), spec.name());
        }
    }

    @Test
    void anHttpsTargetIsWarmedWithTlsAndOnTheSimulator(@TempDir Path dir) throws Exception {
        ProviderRegistry providers = ProviderRegistry.defaults();
        String https = """
                name: tls
                targets:
                  - {name: openai, api: openai-chat, base-url: 'https://api.openai.com/v1', model: m, api-key: k}
                prompts: {synthetic: {input-tokens: 16, output-tokens: 20, count: 1}}
                load: {mode: closed, concurrency: 1, requests: 1}
                """;
        RunPlan plan = new BenchmarkLoader(name -> null, dir, providers).load("tls.yaml", https, dir);
        List<Context> contexts = List.of(((VertxInternal) vertx).createEventLoopContext());
        SelfWarm.Report report = SelfWarm.run(vertx, plan, providers, contexts, Duration.ofMillis(500));
        assertTrue(report.tls(), "a warm request over https ended ok: the TLS path was warmed for the https target");
        assertTrue(report.requests() > 0, "the https target's API was warmed on the loopback simulator: " + report);
        assertEquals(0, report.failed(), report.toString());
        assertEquals(null, report.error(), report.toString());
    }

    @Test
    void aNegativeLimitIsRefused() {
        RunEngine engine = new RunEngine(vertx, ProviderRegistry.defaults());
        assertThrows(IllegalArgumentException.class, () -> engine.selfWarm(Duration.ofMillis(-1)));
    }
}
