package dev.tokenbench.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.measure.HistogramCodec;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one suite every {@link HistoryStore} passes: the embedded store always, PostgreSQL on a real server. Each
 * test starts from an empty store ({@link #emptyStore()}).
 */
abstract class HistoryStoreContract {
    static final Instant T0 = Instant.parse("2025-05-01T10:00:00Z");

    /** A store with no runs in it. */
    abstract HistoryStore emptyStore() throws Exception;

    @Test
    void storesARunDirectoryWholeAndGivesItBack() throws Exception {
        HistoryStore store = emptyStore();
        Path dir = StoreFixtures.runDirectory();
        StoredRun run = StoredRun.fromDirectory(dir, null, "local", "eu-west");
        store.save(run);

        RunInfo info = store.info("20250501-100000-store-suite").orElseThrow();
        assertEquals("store-suite", info.name());
        assertEquals("done", info.status());
        assertEquals("local", info.probe());
        assertEquals("eu-west", info.region());
        assertEquals(List.of("fast", "slow"), info.targets());
        assertEquals(8, info.measured());
        assertEquals(0, info.failed());
        assertTrue(info.costUsd() > 0, "fast has pricing");

        JsonNode stored = StoreFixtures.JSON.readTree(store.runJson(info.id()).orElseThrow());
        assertEquals(StoreFixtures.runJson(), stored, "run.json comes back as it was");
        assertFalse(stored.toString().contains("sk-ant-secret"), "the config is the redacted one");

        List<String> lines = new ArrayList<>();
        assertTrue(store.records(info.id(), lines::add));
        assertEquals(StoreFixtures.records(), lines, "requests.jsonl comes back line for line, in order");
        assertFalse(store.records("no-such-run", l -> { }));
        assertTrue(store.info("no-such-run").isEmpty());
        assertTrue(store.runJson("no-such-run").isEmpty());
    }

    @Test
    void histogramsMergeIntoExactPercentilesAcrossRuns() throws Exception {
        HistoryStore store = emptyStore();
        store.save(StoreFixtures.variant("a", "bench", T0, 10, "local"));
        store.save(StoreFixtures.variant("b", "bench", T0.plusSeconds(60), 20, "probe-2"));

        List<String> encoded = store.histograms(null, "fast", "ttft_ms", T0, T0.plusSeconds(3600));
        assertEquals(2, encoded.size());
        Histogram merged = HistogramCodec.decode(encoded.get(0));
        merged.add(HistogramCodec.decode(encoded.get(1)));
        Histogram one = HistogramCodec.decode(StoreFixtures.runJson().path("targets").path(0).path("histograms")
                .path("ttft_ms").path("data").asText());
        assertEquals(2 * one.getTotalCount(), merged.getTotalCount());
        assertEquals(one.getValueAtPercentile(99), merged.getValueAtPercentile(99), "the same run twice");

        store.save(StoreFixtures.variant("c", "other", T0.plusSeconds(120), 30, "local"));
        assertEquals(3, store.histograms(null, "fast", "ttft_ms", T0, T0.plusSeconds(3600)).size());
        assertEquals(2, store.histograms("bench", "fast", "ttft_ms", T0, T0.plusSeconds(3600)).size(),
                "only the benchmark's runs");
        assertEquals(List.of("c"), store.history("other", "fast", "ttft_ms", "mean", T0, T0.plusSeconds(3600))
                .stream().map(HistoryPoint::runId).toList());
        assertTrue(store.history("nobody's", "fast", "ttft_ms", "mean", T0, T0.plusSeconds(3600)).isEmpty());
    }

    @Test
    void historyIsATimeSeriesPerTargetMetricAndAggregation() throws Exception {
        HistoryStore store = emptyStore();
        store.save(StoreFixtures.variant("r2", "bench", T0.plusSeconds(120), 30, "local"));
        store.save(StoreFixtures.variant("r1", "bench", T0, 10, "local"));
        store.save(StoreFixtures.variant("r3", "bench", T0.plusSeconds(240), 20, "probe-2"));

        List<HistoryPoint> mean = store.history(null, "fast", "ttft_ms", "mean", T0, T0.plusSeconds(3600));
        assertEquals(List.of("r1", "r2", "r3"), mean.stream().map(HistoryPoint::runId).toList(), "oldest first");
        assertEquals(List.of(10.0, 30.0, 20.0), mean.stream().map(HistoryPoint::value).toList());
        assertEquals("probe-2", mean.get(2).probe());
        assertEquals(4, mean.get(0).count());

        List<HistoryPoint> worst = store.history(null, "slow", "stream_tps", "worst10", T0, T0.plusSeconds(3600));
        double expected = StoreFixtures.runJson().path("targets").path(1).path("metrics").path("stream_tps")
                .path("worst10").asDouble();
        assertEquals(3, worst.size());
        assertEquals(expected, worst.get(0).value(), 1e-9);

        assertEquals(List.of("r2"), store.history(null, "fast", "ttft_ms", "mean", T0.plusSeconds(60),
                T0.plusSeconds(180)).stream().map(HistoryPoint::runId).toList(), "a range: from inclusive, to not");
        assertTrue(store.history(null, "nobody", "ttft_ms", "mean", T0, T0.plusSeconds(3600)).isEmpty());
        assertThrows(IllegalArgumentException.class,
                () -> store.history(null, "fast", "ttft_ms", "mean; DROP TABLE runs", T0, T0.plusSeconds(1)));
    }

    @Test
    void listsNewestFirstWithFilters() throws Exception {
        HistoryStore store = emptyStore();
        store.save(StoreFixtures.variant("a", "alpha", T0, 10, "local"));
        store.save(StoreFixtures.variant("b", "beta", T0.plusSeconds(60), 10, "local"));
        store.save(StoreFixtures.variant("c", "alpha", T0.plusSeconds(120), 10, "probe-2"));

        assertEquals(List.of("c", "b", "a"), ids(store.list(RunFilter.all())));
        assertEquals(List.of("c", "a"), ids(store.list(new RunFilter("alpha", null, null, null, 0))));
        assertEquals(List.of("c", "b"), ids(store.list(new RunFilter(null, null, null, T0.plusSeconds(1), 0))));
        assertEquals(List.of("c"), ids(store.list(new RunFilter(null, null, "probe-2", null, 0))));
        assertEquals(List.of("c"), ids(store.list(new RunFilter(null, null, null, null, 1))));
        assertEquals(List.of("c", "b", "a"), ids(store.list(new RunFilter(null, "slow", null, null, 0))));
        assertTrue(store.list(new RunFilter(null, "nobody", null, null, 0)).isEmpty());
    }

    @Test
    void anotherRunUnderAnIdAlreadyStoredIsRefusedAndTheStoredOneKept() throws Exception {
        HistoryStore store = emptyStore();
        store.save(StoreFixtures.variant("taken", "bench", T0, 10, "local"));

        StoreException started = assertThrows(RunIdTakenException.class,
                () -> store.save(StoreFixtures.variant("taken", "bench", T0.plusSeconds(1), 42, "local")));
        assertTrue(started.getMessage().contains("taken") && started.getMessage().contains("another run"),
                started.getMessage());
        assertThrows(RunIdTakenException.class,
                () -> store.save(StoreFixtures.variant("taken", "other-bench", T0, 42, "local")));

        assertEquals(1, store.list(RunFilter.all()).size());
        RunInfo kept = store.info("taken").orElseThrow();
        assertEquals("bench", kept.name());
        List<HistoryPoint> points = store.history(null, "fast", "ttft_ms", "mean", T0, T0.plusSeconds(10));
        assertEquals(10.0, points.get(0).value(), "the first run's figures stand");
    }

    @Test
    void savingAgainUnderTheSameIdReplaces() throws Exception {
        HistoryStore store = emptyStore();
        store.save(StoreFixtures.variant("same", "bench", T0, 10, "local"));
        store.save(StoreFixtures.variant("same", "bench", T0, 42, "local"));

        assertEquals(1, store.list(RunFilter.all()).size());
        List<HistoryPoint> points = store.history(null, "fast", "ttft_ms", "mean", T0, T0.plusSeconds(10));
        assertEquals(1, points.size());
        assertEquals(42.0, points.get(0).value());
        List<String> lines = new ArrayList<>();
        store.records("same", lines::add);
        assertEquals(StoreFixtures.records().size(), lines.size(), "records are not doubled");
    }

    @Test
    void retentionByAgeAndByCount() throws Exception {
        HistoryStore store = emptyStore();
        for (int i = 0; i < 5; i++) {
            store.save(StoreFixtures.variant("r" + i, "bench", T0.plusSeconds(60L * i), 10 + i, "local"));
        }
        assertEquals(2, store.prune(T0.plusSeconds(120), 0), "r0 and r1 started before the cut");
        assertEquals(List.of("r4", "r3", "r2"), ids(store.list(RunFilter.all())));
        assertEquals(1, store.prune(null, 2));
        assertEquals(List.of("r4", "r3"), ids(store.list(RunFilter.all())));
        assertEquals(0, store.prune(null, 0));
        assertFalse(store.records("r0", l -> { }));
        assertEquals(2, store.history(null, "fast", "ttft_ms", "mean", T0, T0.plusSeconds(3600)).size(),
                "the metrics of deleted runs are gone too");
    }

    @Test
    void aDocumentThatIsNoRunJsonIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StoredRun.fromRunJson(StoreFixtures.JSON.createObjectNode().put("name", "x"), List.of(),
                        null, "p", "r"));
        assertTrue(e.getMessage().contains("run_id"), e.getMessage());
    }

    @Test
    void answersAPing() throws Exception {
        HistoryStore store = emptyStore();
        assertTrue(store.ping());
        assertFalse(store.describe().isBlank());
    }

    private static List<String> ids(List<RunInfo> runs) {
        return runs.stream().map(RunInfo::id).toList();
    }
}
