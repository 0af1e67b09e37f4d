package dev.tokenbench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.TokenCounter;
import dev.tokenbench.provider.ProviderRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A ShareGPT dataset run against the built-in simulator: each request sends its conversation's first human turn
 * (the simulator counts exactly its tokens) and, with no max-output-tokens in the file, is capped at the length of
 * the reply that followed it.
 */
class DatasetRunTest {
    private static final Path SHAREGPT = Path.of("src/test/resources/datasets/sharegpt-small.json");

    @Test
    void eachRequestSendsAFirstHumanTurnCappedAtItsReply(@TempDir Path dir) throws Exception {
        Map<String, String[]> byId = new HashMap<>();
        for (JsonNode c : new ObjectMapper().readTree(SHAREGPT.toFile())) {
            JsonNode turns = c.get("conversations");
            if (turns.size() >= 2 && turns.get(0).get("from").asText().equals("human")) {
                byId.put(c.get("id").asText(), new String[] {turns.get(0).get("value").asText(),
                        turns.get(1).get("value").asText()});
            }
        }
        String yaml = """
                name: dataset
                targets:
                  - {name: sim, api: openai-chat, base-url: 'sim://chat/v1', model: m}
                prompts: {dataset: %s, sample: 6, seed: 3, max-input-tokens: 300}
                load: {mode: closed, concurrency: 2, requests: 12}
                simulator:
                  scenarios:
                    chat: {ttft: 5ms, tokens-per-second: 5000, output-tokens: 100000}
                """.formatted(SHAREGPT.toAbsolutePath());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try {
            ProviderRegistry providers = ProviderRegistry.defaults();
            RunPlan plan = new BenchmarkLoader(name -> null, dir, providers).load("d.yaml", yaml, dir);
            assertEquals(6, plan.prompts().prompts().size());
            ConcurrentLinkedQueue<RequestRecord> records = new ConcurrentLinkedQueue<>();
            new RunEngine(vertx, providers).start(plan, "dataset", dir, records::add).await();
            List<RequestRecord> measured = records.stream().filter(r -> !r.warmup()).toList();
            assertEquals(12, measured.size());
            int checked = 0;
            for (RequestRecord r : measured) {
                String[] turn = byId.get(r.promptId());
                if (turn == null) {
                    continue; // conv-13 and conv-15: a system turn first, or no reply
                }
                assertEquals(TokenCounter.count("o200k_base", turn[0]), r.inputTokens(), r.promptId());
                assertTrue(r.inputTokens() <= 300, r.promptId() + " is within max-input-tokens");
                assertEquals(TokenCounter.count("o200k_base", turn[1]), r.outputTokens(), r.promptId()
                        + " is capped at its reply's length");
                checked++;
            }
            assertTrue(checked >= 6, "requests checked: " + checked);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
