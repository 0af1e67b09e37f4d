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
                receivedNanos + 100_000_000, receivedNanos + 500_000_000,
                new long[] {receivedNanos + 100_000_000, receivedNanos + 300_000_000, receivedNanos + 499_000_000},
                41, 3);
    }

    @Test
    void truthIsDerivedAsTokenbenchDefinesIt() {
        SimRequestLog log = entry("a", 1_000_000_000L);
        assertEquals(100_000_000, log.ttftNanos());
        assertEquals(500_000_000, log.e2eNanos());
        assertEquals(41 / 0.4, log.streamTokensPerSecond(), 1e-9);
        assertTrue(log.completed());

        SimRequestLog abandoned = new SimRequestLog("b", "fast", true, 5, 6, SimRequestLog.NOT_WRITTEN,
                SimRequestLog.NOT_WRITTEN, new long[0], 0, 0);
        assertEquals(-1, abandoned.ttftNanos());
        assertEquals(-1, abandoned.e2eNanos());
        assertTrue(Double.isNaN(abandoned.streamTokensPerSecond()));
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
                SimRequestLog.NOT_WRITTEN, SimRequestLog.NOT_WRITTEN, new long[0], 0, 0);
        log.add(completed);
        log.add(abandoned);
        log.stopJsonl();
        log.add(entry("after-stop", 3));

        assertEquals(List.of(completed, abandoned), SimLog.readJsonl(file));
        assertTrue(SimLog.toJsonLine(abandoned).contains("\"end_written_ns\":null"));
        log.stopJsonl(); // a second stop is a no-op
    }
}
