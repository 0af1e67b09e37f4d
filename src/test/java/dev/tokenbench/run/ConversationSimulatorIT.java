package dev.tokenbench.run;

import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.measure.TurnFigures;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.report.MarkdownReport;
import dev.tokenbench.report.TerminalReport;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conversations against the simulator's prefix cache, in every API: each turn sends the growing history, the
 * cached part of its prompt is reported in the API's own usage format and read back as cached_input_tokens
 * exactly, a conversation's turns never overlap and keep the think time between them; and TTFT, which grows with
 * the uncached prompt, stays about flat by turn with the cache while it grows without it.
 */
class ConversationSimulatorIT {
    private static final int USER_TOKENS = 64;
    private static final int REPLY_TOKENS = 16;
    private static final int TURNS = 4;
    private static final long THINK_NANOS = 50_000_000L;
    private static final String CACHED = "{ttft: 20ms, tokens-per-second: 2000, output-tokens: 16, "
            + "prefill-tokens-per-second: 1000, prefix-cache: true}";
    private static final String BENCHMARK = "name: conversations\n" + AllApiTargets.yaml(2000)
            .replace("targets:\n", "targets:\n  - {name: nocache, api: openai-chat, base-url: 'sim://s-nocache/v1',"
                    + " model: m}\n") + """
            prompts: {synthetic-conversations: {conversations: 2, turns: 4, input-tokens-per-turn: 64,
                      output-tokens-per-turn: 16, think-time: 50ms, seed: 3}}
            load: {mode: closed, concurrency: 2, requests: 8, warmup: 1, timeout: 30s, stall-timeout: 10s}
            simulator:
              scenarios:
                s-nocache: {ttft: 20ms, tokens-per-second: 2000, output-tokens: 16, prefill-tokens-per-second: 1000}
            """ + "    s-chat: " + CACHED + "\n    s-responses: " + CACHED + "\n    s-azure: " + CACHED
            + "\n    s-azure-responses: " + CACHED + "\n    s-anthropic: " + CACHED + "\n    s-gemini: " + CACHED
            + "\n    s-vertex: " + CACHED + "\n    s-bedrock: " + CACHED + "\n";

    @Test
    void turnsSendTheGrowingHistoryAndTheCachedPartIsReportedByTurn(@TempDir Path dir) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try {
            ProviderRegistry providers = ProviderRegistry.defaults();
            RunPlan plan = new BenchmarkLoader(name -> null, dir, providers).load("conv.yaml", BENCHMARK, dir);
            ConcurrentLinkedQueue<RequestRecord> records = new ConcurrentLinkedQueue<>();
            RunResult result = new RunEngine(vertx, providers).start(plan, "conv", dir, records::add).await();
            assertEquals(RunResult.DONE, result.status());

            Map<String, List<RequestRecord>> byTarget = records.stream().filter(r -> !r.warmup())
                    .collect(Collectors.groupingBy(RequestRecord::target, TreeMap::new, Collectors.toList()));
            assertEquals(9, byTarget.size(), byTarget.keySet()::toString);
            for (Map.Entry<String, List<RequestRecord>> target : byTarget.entrySet()) {
                String name = target.getKey();
                assertEquals(8, target.getValue().size(), name + ": requests counts turns");
                for (RequestRecord r : target.getValue()) {
                    assertTrue(r.ok(), name + " " + r.requestId() + " " + r.outcome() + " " + r.error());
                    int turn = r.conversation().turn();
                    // The whole prompt: every earlier user text and reply, and this turn's text.
                    assertEquals(turn * USER_TOKENS + (turn - 1) * REPLY_TOKENS, r.inputTokens(),
                            name + " turn " + turn + " input tokens");
                    // Cached: what the previous turn sent (its history and its user text), not its reply.
                    long cached = turn == 1 ? 0 : (turn - 1) * USER_TOKENS + (turn - 2) * REPLY_TOKENS;
                    assertEquals(name.equals("nocache") ? 0 : cached, r.cachedInputTokens(),
                            name + " turn " + turn + " cached tokens");
                }
                assertTurnsInOrderWithThinkTime(name, target.getValue());
            }
            // The summary by turn: every turn of both conversations, the cached mean exact (both conversations alike).
            TargetSummary chat = result.targets().stream().filter(t -> t.target().equals("chat")).findFirst()
                    .orElseThrow();
            assertEquals(TURNS, chat.byTurn().size());
            for (TurnFigures.Turn t : chat.byTurn()) {
                assertEquals(2, t.requests(), "turn " + t.turn());
                assertEquals(t.turn() == 1 ? 0 : (t.turn() - 1) * USER_TOKENS + (t.turn() - 2) * REPLY_TOKENS,
                        t.meanCachedInputTokens(), 1e-9, "turn " + t.turn());
            }
            String markdown = MarkdownReport.render(result);
            assertTrue(markdown.contains("## By conversation turn"), markdown);
            assertTrue(markdown.contains("| chat | 4 | 2 |"), markdown);
            String terminal = TerminalReport.table(result);
            assertTrue(terminal.contains("by conversation turn:"), terminal);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Prefill at 100 tokens/s: without the cache turn 4 prefills 304 tokens (3.04 s) against turn 1's 64 (0.64 s);
     * with it, 80 (0.8 s). Bounds far from both, as a loaded machine delays every request alike.
     */
    @Test
    void ttftGrowsByTurnWithoutTheCacheAndStaysAboutFlatWithIt(@TempDir Path dir) throws Exception {
        String benchmark = """
                name: conversation-ttft
                targets:
                  - {name: cached, api: openai-chat, base-url: 'sim://cached/v1', model: m}
                  - {name: nocache, api: openai-chat, base-url: 'sim://nocache/v1', model: m}
                prompts: {synthetic-conversations: {conversations: 1, turns: 4, input-tokens-per-turn: 64,
                          output-tokens-per-turn: 16, seed: 5}}
                load: {mode: closed, concurrency: 1, requests: 4, warmup: 0, timeout: 30s, stall-timeout: 10s}
                simulator:
                  scenarios:
                    cached: {ttft: 20ms, tokens-per-second: 2000, output-tokens: 16, prefill-tokens-per-second: 100,
                             prefix-cache: true}
                    nocache: {ttft: 20ms, tokens-per-second: 2000, output-tokens: 16, prefill-tokens-per-second: 100}
                """;
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try {
            ProviderRegistry providers = ProviderRegistry.defaults();
            RunPlan plan = new BenchmarkLoader(name -> null, dir, providers).load("ttft.yaml", benchmark, dir);
            ConcurrentLinkedQueue<RequestRecord> records = new ConcurrentLinkedQueue<>();
            RunResult result = new RunEngine(vertx, providers).start(plan, "ttft", dir, records::add).await();
            assertEquals(RunResult.DONE, result.status());
            List<RequestRecord> cached = records.stream().filter(r -> r.target().equals("cached")).toList();
            List<RequestRecord> nocache = records.stream().filter(r -> r.target().equals("nocache")).toList();
            double growing = meanTtft(nocache, TURNS) - meanTtft(nocache, 1);
            double flat = meanTtft(cached, TURNS) - meanTtft(cached, 1);
            assertTrue(growing > 1500, "without a cache TTFT grows by turn: +" + growing + " ms (2,400 expected)");
            assertTrue(flat < 700, "with the cache TTFT stays about flat: +" + flat + " ms (160 expected)");
            assertTrue(meanTtft(cached, TURNS) < meanTtft(nocache, TURNS) - 1000,
                    "turn 4 with the cache is faster than without it");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static void assertTurnsInOrderWithThinkTime(String target, List<RequestRecord> records) {
        Map<String, List<RequestRecord>> byConversation = records.stream()
                .collect(Collectors.groupingBy(r -> r.conversation().conversationId()));
        assertEquals(2, byConversation.size(), target + ": two conversations");
        for (List<RequestRecord> turns : byConversation.values()) {
            List<RequestRecord> sorted = new ArrayList<>(turns);
            sorted.sort(Comparator.comparingLong(RequestRecord::sentNanos));
            for (int i = 0; i < sorted.size(); i++) {
                assertEquals(i + 1, sorted.get(i).conversation().turn(), target + ": turns go out in order");
                if (i > 0) {
                    long pause = sorted.get(i).sentNanos() - sorted.get(i - 1).endNanos();
                    assertTrue(pause >= THINK_NANOS, target + ": turn " + (i + 1) + " started " + pause / 1e6
                            + " ms after the previous turn ended; the think time is 50 ms");
                }
            }
        }
    }

    private static double meanTtft(List<RequestRecord> records, int turn) {
        return records.stream().filter(r -> r.conversation().turn() == turn).mapToDouble(RequestRecord::ttftMs)
                .average().orElseThrow();
    }
}
