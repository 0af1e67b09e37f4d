package dev.tokenbench.output;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.core.Json;
import dev.tokenbench.report.ReportFixtures;
import dev.tokenbench.run.RunResult;
import dev.tokenbench.store.HistoryStore;
import dev.tokenbench.store.HistoryStores;
import dev.tokenbench.store.RunFilter;
import dev.tokenbench.store.RunInfo;
import dev.tokenbench.store.StoreSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The after-run pipeline: the run's files first, then each output in order, all fed the in-memory run. */
class OutputsTest {
    private static final Instant START = Instant.parse("2025-05-01T10:00:00Z");

    @Test
    void theFilesComeFirstThenEveryOutputInOrderWithTheRunJsonThatWasWritten(@TempDir Path dir) throws Exception {
        RunResult result = ReportFixtures.at(ReportFixtures.standard(), dir.resolve("run"), START);
        List<String> seen = new ArrayList<>();
        Outputs outputs = new Outputs(List.of(
                run -> seen.add("first:" + Files.exists(run.result().runDir().resolve("report.html"))),
                run -> seen.add("second:" + run.runJson().toString().equals(Json.MAPPER.readTree(
                        run.result().runDir().resolve("run.json").toFile()).toString()))));

        FinishedRun finished = outputs.finish(result, "9.9.9");

        assertEquals(List.of("first:true", "second:true"), seen);
        assertEquals("9.9.9", finished.runJson().path("tokenbench_version").asText());
        assertTrue(Files.exists(dir.resolve("run/report.md")));
    }

    /** The history takes the run.json just built: a run.json changed on the disk meanwhile does not reach it. */
    @Test
    void historyIsStoredFromTheInMemoryRunNotReadBackFromTheDisk(@TempDir Path dir) throws Exception {
        RunResult result = ReportFixtures.at(ReportFixtures.standard(), dir.resolve("run"), START);
        HistoryStores stores = embeddedStores(dir.resolve("data"));
        StringWriter err = new StringWriter();
        Outputs outputs = new Outputs(List.of(new HistoryOutput(stores, "probe-a", "eu-west", Retention.NONE,
                new PrintWriter(err, true))));
        FinishedRun finished = outputs.writeFiles(result, "9.9.9");
        Files.writeString(dir.resolve("run/run.json"), "{not json", StandardCharsets.UTF_8);

        outputs.deliver(finished);

        assertEquals("", err.toString());
        HistoryStore store = stores.store();
        JsonNode stored = Json.MAPPER.readTree(store.runJson(result.runId()).orElseThrow());
        assertEquals(finished.runJson().toString(), stored.toString());
        assertEquals("probe-a", store.info(result.runId()).orElseThrow().probe());
        store.close();
    }

    @Test
    void aStoreThatCannotBeOpenedIsSaidAndTheRunStands(@TempDir Path dir) throws Exception {
        RunResult result = ReportFixtures.at(ReportFixtures.standard(), dir.resolve("run"), START);
        StringWriter err = new StringWriter();
        HistoryStores broken = new HistoryStores(settings("no-such-kind", dir), null);
        Outputs outputs = new Outputs(List.of(new HistoryOutput(broken, "local", "", Retention.NONE,
                new PrintWriter(err, true))));

        outputs.finish(result, "9.9.9");

        assertTrue(err.toString().startsWith("tokenbench: the run was not stored in history (tokenbench.store.kind "
                + "must be embedded or postgresql"), err.toString());
        assertTrue(Files.exists(dir.resolve("run/run.json")));
    }

    /** The service's history applies the retention after each stored run, and clears the not-in-history mark. */
    @Test
    void theServiceHistoryAppliesRetentionAndLeavesNoMark(@TempDir Path dir) throws Exception {
        Path runs = dir.resolve("data/runs");
        HistoryStores stores = embeddedStores(dir.resolve("data"));
        ServiceHistory history = new ServiceHistory(stores, runs, "probe-b", "", new Retention(null, 2));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RunResult result = ReportFixtures.at(ReportFixtures.standard(), dir.resolve("r" + i),
                    START.plusSeconds(60L * i));
            // The service's own run directory, where the mark is written while the store has not answered.
            Files.createDirectories(history.runDirectory(result.runId()));
            history.finish(RunFiles.write(result, "9.9.9"));
            ids.add(result.runId());
        }

        List<String> kept = stores.store().list(RunFilter.all()).stream().map(RunInfo::id).toList();
        assertEquals(List.of(ids.get(2), ids.get(1)), kept);
        for (String id : ids) {
            assertTrue(Files.isDirectory(history.runDirectory(id)), id);
            assertFalse(Files.exists(history.runDirectory(id).resolve(ServiceHistory.NOT_IN_HISTORY)), id);
        }
        assertEquals(List.of(), history.runsNotInHistory());
        stores.store().close();
    }

    private static HistoryStores embeddedStores(Path dataDir) {
        return new HistoryStores(settings("embedded", dataDir), null);
    }

    private static StoreSettings settings(String kind, Path dataDir) {
        return new StoreSettings() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public Path dataDir() {
                return dataDir;
            }

            @Override
            public Duration busyTimeout() {
                return Duration.ofSeconds(2);
            }
        };
    }
}
