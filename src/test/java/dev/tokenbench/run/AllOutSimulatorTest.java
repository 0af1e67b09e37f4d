package dev.tokenbench.run;

import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.sim.SimRequestLog;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator's all-out mode in every API: responses encoded once and written as fast as the socket takes them
 * (several write slices each, so the drain path runs) are still valid streams, which the client decodes into
 * exactly the events and tokens the simulator sent, with and without a streamed reasoning phase and usage.
 */
class AllOutSimulatorTest {
    private static final String BENCHMARK = "name: all-out\n" + AllApiTargets.yaml(4000) + """
            prompts: {synthetic: {input-tokens: 16, output-tokens: 2500, count: 2}}
            load: {mode: closed, concurrency: 2, requests: 4, warmup: 2, timeout: 30s, stall-timeout: 10s}
            simulator:
              scenarios:
                s-chat: {all-out: true}
                s-responses: {all-out: true, reasoning-tokens: 300}
                s-azure: {all-out: true, include-usage: false}
                s-azure-responses: {all-out: true, ttft: 5s, tokens-per-second: 1}
                s-anthropic: {all-out: true, reasoning-tokens: 400, output-tokens: 2000}
                s-gemini: {all-out: true, tokens-per-chunk: 3}
                s-vertex: {all-out: true, tokens-per-chunk: 2}
                s-bedrock: {all-out: true}
            """;

    @Test
    void everyApiStreamsAValidAllOutBody(@TempDir Path dir) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try {
            ProviderRegistry providers = ProviderRegistry.defaults();
            RunPlan plan = new BenchmarkLoader(name -> null, dir, providers).load("all-out.yaml", BENCHMARK,
                    dir);
            ConcurrentLinkedQueue<RequestRecord> records = new ConcurrentLinkedQueue<>();
            RunEngine.Handle handle = new RunEngine(vertx, providers).start(plan, "allout", dir, records::add);
            RunResult result = handle.await();

            Map<String, Integer> okPerTarget = new TreeMap<>();
            for (RequestRecord r : records) {
                assertTrue(r.ok(), r.target() + " " + r.requestId() + " " + r.outcome() + " " + r.error());
                SimRequestLog truth = handle.simulator().log().find(r.requestId());
                assertNotNull(truth, "the simulator logged " + r.requestId());
                assertTrue(truth.completed(), r.target() + ": the simulator wrote the whole body");
                assertEquals(0, truth.contentEventWrittenNanos().length, "no per-event stamps in all-out mode");
                assertEquals(truth.contentEvents(), r.contentEvents(), r.target() + " content events");
                assertEquals(truth.outputTokens(), r.outputTokens(), r.target() + " output tokens");
                okPerTarget.merge(r.target(), 1, Integer::sum);
            }
            for (var target : plan.targets()) {
                assertEquals(6, okPerTarget.getOrDefault(target.name(), 0), target.name() + ": every request ok");
            }
            // The expected counts, independent of the log: the scenario's lengths, reasoning included.
            assertEquals(2500, tokensOf(records, "chat"));
            assertEquals(2800, tokensOf(records, "responses"));
            assertEquals(2000 + 400, tokensOf(records, "anthropic"));
            assertEquals(2500, tokensOf(records, "gemini"));
            assertEquals(2500, tokensOf(records, "bedrock"));
            RequestRecord azure = records.stream().filter(r -> r.target().equals("azure")).findFirst().orElseThrow();
            assertTrue(azure.tokensEstimated(), "no usage: the count is the tokenizer's");
            assertEquals(2500, azure.contentEvents(), "one token per event, every one decoded");
            assertEquals(2500, azure.outputTokens(), "the simulator's words are one token each");
            assertEquals(RunResult.DONE, result.status());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static long tokensOf(ConcurrentLinkedQueue<RequestRecord> records, String target) {
        return records.stream().filter(r -> r.target().equals(target)).mapToLong(RequestRecord::outputTokens)
                .distinct().reduce((a, b) -> {
                    throw new AssertionError(target + ": token counts differ: " + a + ", " + b);
                }).orElseThrow();
    }
}
