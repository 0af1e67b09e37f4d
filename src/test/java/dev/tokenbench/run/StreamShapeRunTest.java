package dev.tokenbench.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.measure.Dialects;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.StreamShape;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.provider.ProviderRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each stream shape the simulator can play, through the real client against an in-process simulator on
 * 127.0.0.1, gets its verdict: one run, one target per shape, a few short requests each (under a second of
 * streaming per target).
 */
class StreamShapeRunTest {
    private static final int TOKENS = 40;
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void eachSimulatedShapeGetsItsVerdict(@TempDir Path dir) throws Exception {
        // 5 ms between events everywhere; what differs is tokens per event and the pauses. The pauses are well over
        // the 250 ms floor: on a loaded machine events arrive late and together, and a pause can shrink by the
        // lateness of the event before it.
        Map<String, String> scenarios = new LinkedHashMap<>();
        scenarios.put(StreamShape.SMOOTH, "tokens-per-second: 200");
        scenarios.put(StreamShape.CHUNKED, "tokens-per-second: 1000, tokens-per-chunk: 5");
        scenarios.put(StreamShape.BUFFERED, "tokens-per-second: 800, tokens-per-chunk: 4, pause-every: 5, "
                + "pause: 600ms");
        scenarios.put(StreamShape.STALLING, "tokens-per-second: 200, pause-every: 20, pause: 600ms");
        StringBuilder yaml = new StringBuilder("name: shapes\ntargets:\n");
        for (String shape : scenarios.keySet()) {
            yaml.append("  - {name: ").append(shape).append(", api: openai-chat, base-url: 'sim://s-").append(shape)
                    .append("/v1', model: m}\n");
        }
        yaml.append("prompts: {synthetic: {input-tokens: 10, output-tokens: ").append(TOKENS).append("}}\n");
        yaml.append("load: {mode: closed, concurrency: 1, requests: 3, warmup: 0, timeout: 30s, stall-timeout: 10s}\n");
        yaml.append("simulator:\n  scenarios:\n");
        scenarios.forEach((shape, knobs) -> yaml.append("    s-").append(shape).append(": {ttft: 10ms, output-tokens: ")
                .append(TOKENS).append(", ").append(knobs).append("}\n"));
        ProviderRegistry providers = ProviderRegistry.defaults();
        RunPlan plan = new BenchmarkLoader(name -> null, dir, providers).load("shapes.yaml", yaml.toString(), dir);
        ConcurrentLinkedQueue<RequestRecord> records = new ConcurrentLinkedQueue<>();
        RunResult result = new RunEngine(vertx, providers).start(plan, "shapes", dir, records::add).await();
        assertEquals(RunResult.DONE, result.status());

        List<TargetSummary> targets = result.targets();
        assertEquals(4, targets.size());
        for (TargetSummary s : targets) {
            assertEquals(3, s.ok(), s.target() + " ok requests");
            StreamShape shape = StreamShape.of(s);
            assertEquals(s.target(), shape.verdict(), s.target() + ": " + shape.sentence());
        }
        StreamShape buffered = StreamShape.of(byName(targets, StreamShape.BUFFERED));
        // 10 events of 4 tokens, a 600 ms pause after every fifth: one pause in a ~645 ms stream.
        assertEquals(4.0, buffered.tokensPerEventP50(), 0.01);
        assertTrue(buffered.pauseShare() > 0.5 && buffered.pauseShare() < 1, buffered.sentence());
        assertTrue(buffered.eventGapMsP99() >= StreamShape.PAUSE_FLOOR_MICROS / 1e3, buffered.sentence());
        StreamShape smooth = StreamShape.of(byName(targets, StreamShape.SMOOTH));
        assertEquals(1.0, smooth.tokensPerEventP50(), 0.01);
        assertEquals(1.0, smooth.tokensPerEventP90(), 0.01);
        for (RequestRecord r : records) {
            assertTrue(!Double.isNaN(r.pauseShare()), r.requestId() + " has a pause share");
        }
        // The chart's requests kept every gap between their events, in order; the other records keep none.
        for (TargetSummary s : targets) {
            assertTrue(!s.shapeExamples().isEmpty() && s.shapeExamples().size() <= 2, s.target());
            for (RequestRecord r : s.shapeExamples()) {
                assertEquals(r.contentEvents() - 1, r.eventGaps().gapsMicros().length, r.requestId());
            }
        }
        RequestRecord worstBuffered = byName(targets, StreamShape.BUFFERED).shapeExamples().get(
                byName(targets, StreamShape.BUFFERED).shapeExamples().size() - 1);
        // run.json keeps the two charted requests' gaps (requests.jsonl keeps none), and gives them back.
        JsonNode runJson = RunJson.toJson(result, "test");
        RunJsonReader reader = RunJsonReader.of(runJson, "run.json");
        for (int i = 0; i < targets.size(); i++) {
            TargetSummary back = reader.summary(i, targets.get(i).target());
            assertEquals(targets.get(i).shapeExamples().stream().map(RequestRecord::eventGaps).toList(),
                    back.shapeExamples().stream().map(RequestRecord::eventGaps).toList(), targets.get(i).target());
            assertEquals(targets.get(i).target(), runJson.path("targets").path(i).path("stream_shape")
                    .path("verdict").asText());
        }
        // The fifth gap is the pause.
        assertTrue(worstBuffered.eventGaps().gapsMicros()[4] >= StreamShape.PAUSE_FLOOR_MICROS,
                worstBuffered.eventGaps().toString());

        // vLLM's TPOT is tokenbench's; LLMPerf's ITL includes the wait for the first token, so it is the larger.
        TargetSummary stalling = byName(targets, StreamShape.STALLING);
        Dialects d = Dialects.of(stalling);
        double tpotMean = records.stream().filter(r -> r.target().equals(StreamShape.STALLING))
                .mapToDouble(RequestRecord::tpotMs).average().orElseThrow();
        assertEquals(tpotMean, d.vllm().tpotMs(), 1e-9);
        assertTrue(d.llmperf().itlMs() > d.vllm().tpotMs() * 0.9, d.toString());
    }

    private static TargetSummary byName(List<TargetSummary> targets, String name) {
        return targets.stream().filter(t -> t.target().equals(name)).findFirst().orElseThrow();
    }
}
