package dev.tokenbench.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimLogTest {

    private static SimRequestLog entry(String requestId, long receivedNanos) {
        return new SimRequestLog(requestId, "fast", false, receivedNanos, receivedNanos + 1_000_000,
                receivedNanos + 100_000_000, receivedNanos + 100_000_000, receivedNanos + 500_000_000,
                new long[] {receivedNanos + 100_000_000, receivedNanos + 300_000_000, receivedNanos + 499_000_000},
                41, 0, 3, 0);
    }

    @Test
    void truthIsDerivedAsTokenbenchDefinesIt() {
        SimRequestLog log = entry("a", 1_000_000_000L);
        assertEquals(100_000_000, log.ttftNanos());
        assertEquals(500_000_000, log.e2eNanos());
        assertEquals(41 / 0.4, log.streamTokensPerSecond(), 1e-9);
        assertTrue(log.completed());

        SimRequestLog abandoned = new SimRequestLog("b", "fast", true, 5, 6, SimRequestLog.NOT_WRITTEN,
                SimRequestLog.NOT_WRITTEN, SimRequestLog.NOT_WRITTEN, new long[0], 0, 0, 0, 0);
        assertEquals(-1, abandoned.ttftNanos());
        assertEquals(-1, abandoned.timeToFirstOutputNanos());
        assertEquals(-1, abandoned.e2eNanos());
        assertTrue(Double.isNaN(abandoned.streamTokensPerSecond()));
        assertTrue(Double.isNaN(abandoned.visibleTokensPerSecond()));
    }

    @Test
    void reasoningCountsInStreamTpsButNotInVisibleTps() {
        // 30 reasoning tokens from 100 ms, 20 visible from 400 ms, end at 600 ms
        SimRequestLog log = new SimRequestLog("r", "think", false, 0, 1_000_000, 100_000_000, 400_000_000,
                600_000_000, new long[] {100_000_000, 250_000_000, 400_000_000, 599_000_000}, 50, 30, 4, 2);
        assertEquals(100_000_000, log.timeToFirstOutputNanos());
        assertEquals(400_000_000, log.ttftNanos());
        assertEquals(50 / 0.5, log.streamTokensPerSecond(), 1e-9);
        assertEquals(20 / 0.2, log.visibleTokensPerSecond(), 1e-9);
    }

    @Test
    void readsLinesWrittenBeforeReasoningPhases(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("old.jsonl");
        java.nio.file.Files.writeString(file, "{\"request_id\":\"old\",\"scenario\":\"fast\",\"slow\":false,"
                + "\"received_ns\":10,\"headers_written_ns\":11,\"first_token_written_ns\":20,"
                + "\"end_written_ns\":30,\"output_tokens\":2,\"content_events\":2,"
                + "\"content_event_written_ns\":[20,29]}\n");
        SimRequestLog old = SimLog.readJsonl(file).get(0);
        assertEquals(new SimRequestLog("old", "fast", false, 10, 11, 20, 20, 30, new long[] {20, 29}, 2, 0, 2, 0),
                old);
    }

    @Test
    void keepsTheNewestEntriesUpToItsCapacity() {
        SimLog log = new SimLog(3);
        for (int i = 0; i < 5; i++) {
            log.add(entry("r" + i, i));
        }
        assertEquals(3, log.size());
        assertNull(log.find("r0"));
        assertNull(log.find("r1"));
        assertEquals(List.of("r2", "r3", "r4"), log.all().stream().map(SimRequestLog::requestId).toList());

        SimRequestLog retry = entry("r2", 99);
        log.add(retry);
        assertSame(retry, log.find("r2"), "the latest entry for a reused id wins");
        log.add(entry("r5", 100));
        assertSame(retry, log.find("r2"), "evicting the older r2 keeps the newer one findable");

        log.clear();
        assertEquals(0, log.size());
        assertNull(log.find("r5"));
    }

    @Test
    void jsonlSinkWritesOneLinePerRequestThatReadsBackEqual(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sim.jsonl");
        SimLog log = new SimLog();
        log.add(entry("before-start", 1));
        log.startJsonl(file);
        assertThrows(IllegalStateException.class, () -> log.startJsonl(file));
        SimRequestLog completed = entry("with \"quotes\" and é", 2);
        SimRequestLog abandoned = new SimRequestLog("gone", "slow", true, 5, SimRequestLog.NOT_WRITTEN,
                SimRequestLog.NOT_WRITTEN, SimRequestLog.NOT_WRITTEN, SimRequestLog.NOT_WRITTEN, new long[0], 0, 0,
                0, 0);
        SimRequestLog reasoned = new SimRequestLog("thought", "think", false, 7, 8, 9, 12, 14,
                new long[] {9, 10, 12}, 5, 3, 3, 2);
        log.add(completed);
        log.add(abandoned);
        log.add(reasoned);
        log.stopJsonl();
        log.add(entry("after-stop", 3));

        assertEquals(List.of(completed, abandoned, reasoned), SimLog.readJsonl(file));
        assertTrue(SimLog.toJsonLine(abandoned).contains("\"end_written_ns\":null"));
        log.stopJsonl(); // a second stop is a no-op
    }
}
