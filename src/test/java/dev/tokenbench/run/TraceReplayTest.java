package dev.tokenbench.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.ShardSpec;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.report.MarkdownReport;
import dev.tokenbench.sim.SimRequestLog;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 30-row Azure-format trace replayed against the built-in simulator: every row is one request, intended at its
 * row's offset from the first row divided by the speed (checked against offsets computed here from the CSV with plain
 * date arithmetic), sending a prompt of exactly the row's ContextTokens (the simulator's own count) and capped at its
 * GeneratedTokens (the simulator streamed exactly the cap, out of a scenario that would say far more).
 */
class TraceReplayTest {
    private static final Path TRACE = Path.of("src/test/resources/traces/azure-30.csv");
    private static final double SPEED = 1.5;
    private static final DateTimeFormatter AZURE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSS");

    private Vertx vertx;

    /** One row of the trace as the test reads it. */
    private record Row(long offsetNanos, int contextTokens, int generatedTokens) {
    }

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    }

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static List<Row> rows() throws Exception {
        List<String> lines = Files.readAllLines(TRACE);
        assertEquals("TIMESTAMP,ContextTokens,GeneratedTokens", lines.get(0));
        List<Row> rows = new ArrayList<>();
        LocalDateTime first = null;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            LocalDateTime at = LocalDateTime.parse(cells[0], AZURE_TIME);
            first = first == null ? at : first;
            rows.add(new Row(ChronoUnit.NANOS.between(first, at), Integer.parseInt(cells[1]),
                    Integer.parseInt(cells[2])));
        }
        assertEquals(30, rows.size());
        return rows;
    }

    private static String benchmark(String extraLoad) {
        return """
                name: trace-replay
                targets:
                  - {name: sim, api: openai-chat, base-url: 'sim://replay/v1', model: m}
                load: {mode: trace, trace: %s, speed: %s, timeout: 20s, stall-timeout: 10s%s}
                simulator:
                  scenarios:
                    replay: {ttft: 5ms, tokens-per-second: 2000, output-tokens: 100000}
                """.formatted(TRACE.toAbsolutePath(), SPEED, extraLoad);
    }

    @Test
    void everyRowGoesOutAtItsOffsetWithItsInputTokensAndOutputCap(@TempDir Path dir) throws Exception {
        List<Row> rows = rows();
        ProviderRegistry providers = ProviderRegistry.defaults();
        RunPlan plan = new BenchmarkLoader(name -> null, dir, providers).load("trace.yaml", benchmark(""), dir);
        ConcurrentLinkedQueue<RequestRecord> records = new ConcurrentLinkedQueue<>();
        RunEngine.Handle handle = new RunEngine(vertx, providers).start(plan, "trace", dir, records::add);
        RunResult result = handle.await();
        TargetSummary summary = result.targets().get(0);
        assertEquals(30, summary.ok(), summary.outcomes().toString());

        List<RequestRecord> measured = records.stream().filter(r -> !r.warmup())
                .sorted(Comparator.comparingInt(TraceReplayTest::row)).toList();
        assertEquals(30, measured.size());
        long phaseStart = measured.get(0).intendedStartNanos(); // row 1 is at offset 0
        for (int i = 0; i < rows.size(); i++) {
            RequestRecord r = measured.get(i);
            Row row = rows.get(i);
            assertEquals(i, row(r), "one request per row, in order");
            double expectedMs = row.offsetNanos() / SPEED / 1e6;
            double intendedMs = (r.intendedStartNanos() - phaseStart) / 1e6;
            assertEquals(expectedMs, intendedMs, 1.0, "row " + (i + 1) + "'s intended start");
            assertTrue(r.sentNanos() >= r.intendedStartNanos(), "row " + (i + 1) + " went out before its time");
            // Coordinated omission: measured from the row's intended start, as in mode open, not from its send.
            assertEquals((r.firstTokenNanos() - r.intendedStartNanos()) / 1e6, r.ttftFromIntendedMs(), 0.002,
                    "row " + (i + 1) + "'s ttft_from_intended");
            SimRequestLog truth = handle.simulator().log().find(r.requestId());
            assertNotNull(truth, r.requestId());
            assertEquals(row.generatedTokens(), truth.outputTokens(),
                    "row " + (i + 1) + ": the simulator streamed the row's output cap");
            assertEquals(row.generatedTokens(), r.outputTokens(), "row " + (i + 1) + "'s output tokens");
            assertEquals(row.contextTokens(), r.inputTokens(),
                    "row " + (i + 1) + ": the simulator counted exactly ContextTokens input tokens");
            assertEquals(Outcome.OK, r.outcome());
        }
        // The last row is due at its offset / speed: the whole replay cannot have been shorter.
        long lastOffset = rows.get(rows.size() - 1).offsetNanos();
        assertTrue(measured.get(29).sentNanos() - phaseStart >= Math.round(lastOffset / SPEED),
                "the replay ran on the trace's clock");

        // run.json and the report say what was replayed, and how fast.
        JsonNode trace = RunJson.toJson(result, "test").path("load").path("trace");
        assertEquals(TRACE.toAbsolutePath().toString(), trace.path("source").asText(), trace.toString());
        assertEquals("azure-csv", trace.path("format").asText(), trace.toString());
        assertEquals(SPEED, trace.path("speed").asDouble(), 0.0);
        assertEquals(30, trace.path("rows").asInt());
        String md = MarkdownReport.render(result);
        assertTrue(md.contains("trace replay of " + TRACE.toAbsolutePath() + " (azure-csv, 30 rows at "), md);
    }

    @Test
    void aShardReplaysEveryCountthRowAtTheRowsOffsets(@TempDir Path dir) throws Exception {
        List<Row> rows = rows();
        ProviderRegistry providers = ProviderRegistry.defaults();
        RunPlan plan = new BenchmarkLoader(name -> null, dir, providers).load("trace.yaml", benchmark(""), dir);
        ConcurrentLinkedQueue<RequestRecord> records = new ConcurrentLinkedQueue<>();
        RunEngine.Handle handle = new RunEngine(vertx, providers)
                .shard(new ShardSpec(1, 3, "g"), Sharding.ClockOffset.UNKNOWN)
                .start(plan, "trace-s1", dir, records::add);
        handle.await();
        List<RequestRecord> measured = records.stream().filter(r -> !r.warmup())
                .sorted(Comparator.comparingInt(TraceReplayTest::row)).toList();
        List<Integer> sent = measured.stream().map(TraceReplayTest::row).toList();
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i < 30; i += 3) {
            expected.add(i);
        }
        assertEquals(expected, sent, "shard 1 of 3 sends rows 2, 5, 8, ... (0-based 1, 4, 7, ...)");
        long anchor = measured.get(0).intendedStartNanos() - Math.round(rows.get(1).offsetNanos() / SPEED);
        for (RequestRecord r : measured) {
            Row row = rows.get(row(r));
            assertEquals(row.offsetNanos() / SPEED / 1e6, (r.intendedStartNanos() - anchor) / 1e6, 1.0,
                    r.promptId() + " keeps its place on the trace's clock");
            assertEquals(row.generatedTokens(), handle.simulator().log().find(r.requestId()).outputTokens());
            assertEquals(row.contextTokens(), r.inputTokens());
        }
    }

    @Test
    void limitReplaysTheFirstRows(@TempDir Path dir) throws Exception {
        ProviderRegistry providers = ProviderRegistry.defaults();
        RunPlan plan = new BenchmarkLoader(name -> null, dir, providers).load("trace.yaml", benchmark(", limit: 4"),
                dir);
        ConcurrentLinkedQueue<RequestRecord> records = new ConcurrentLinkedQueue<>();
        new RunEngine(vertx, providers).start(plan, "trace-limit", dir, records::add).await();
        assertEquals(List.of(0, 1, 2, 3), records.stream().map(TraceReplayTest::row).sorted().toList());
    }

    /** The 0-based trace row a request sent: its prompt id is {@code row-<1-based>}. */
    private static int row(RequestRecord r) {
        return Integer.parseInt(r.promptId().substring("row-".length())) - 1;
    }
}
