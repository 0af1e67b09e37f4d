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
        return SimRequestLog.builder()
                .requestId(requestId)
                .scenario("fast")
                .slow(false)
                .receivedNanos(receivedNanos)
                .headersWrittenNanos(receivedNanos + 1_000_000)
                .firstOutputWrittenNanos(receivedNanos + 100_000_000)
                .firstTokenWrittenNanos(receivedNanos + 100_000_000)
                .endWrittenNanos(receivedNanos + 500_000_000)
                .contentEventWrittenNanos(new long[] {receivedNanos + 100_000_000, receivedNanos + 300_000_000,
                        receivedNanos + 499_000_000})
                .outputTokens(41)
                .reasoningTokens(0)
                .contentEvents(3)
                .reasoningEvents(0)
                .build();
    }

    @Test
    void truthIsDerivedAsTokenbenchDefinesIt() {
        SimRequestLog log = entry("a", 1_000_000_000L);
        assertEquals(100_000_000, log.ttftNanos());
        assertEquals(500_000_000, log.e2eNanos());
        assertEquals(41 / 0.4, log.streamTokensPerSecond(), 1e-9);
        assertTrue(log.completed());

        SimRequestLog abandoned = SimRequestLog.builder()
                .requestId("b")
                .scenario("fast")
                .slow(true)
                .receivedNanos(5)
                .headersWrittenNanos(6)
                .firstOutputWrittenNanos(SimRequestLog.NOT_WRITTEN)
                .firstTokenWrittenNanos(SimRequestLog.NOT_WRITTEN)
                .endWrittenNanos(SimRequestLog.NOT_WRITTEN)
                .contentEventWrittenNanos(new long[0])
                .outputTokens(0)
                .reasoningTokens(0)
                .contentEvents(0)
                .reasoningEvents(0)
                .build();
        assertEquals(-1, abandoned.ttftNanos());
        assertEquals(-1, abandoned.timeToFirstOutputNanos());
        assertEquals(-1, abandoned.e2eNanos());
        assertTrue(Double.isNaN(abandoned.streamTokensPerSecond()));
        assertTrue(Double.isNaN(abandoned.visibleTokensPerSecond()));
    }

    @Test
    void reasoningCountsInStreamTpsButNotInVisibleTps() {
        // 30 reasoning tokens from 100 ms, 20 visible from 400 ms, end at 600 ms
        SimRequestLog log = SimRequestLog.builder()
                .requestId("r")
                .scenario("think")
                .slow(false)
                .receivedNanos(0)
                .headersWrittenNanos(1_000_000)
                .firstOutputWrittenNanos(100_000_000)
                .firstTokenWrittenNanos(400_000_000)
                .endWrittenNanos(600_000_000)
                .contentEventWrittenNanos(new long[] {100_000_000, 250_000_000, 400_000_000, 599_000_000})
                .outputTokens(50)
                .reasoningTokens(30)
                .contentEvents(4)
                .reasoningEvents(2)
                .build();
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
        assertEquals(SimRequestLog.builder()
                .requestId("old")
                .scenario("fast")
                .slow(false)
                .receivedNanos(10)
                .headersWrittenNanos(11)
                .firstOutputWrittenNanos(20)
                .firstTokenWrittenNanos(20)
                .endWrittenNanos(30)
                .contentEventWrittenNanos(new long[] {20, 29})
                .outputTokens(2)
                .reasoningTokens(0)
                .contentEvents(2)
                .reasoningEvents(0)
                .build(),
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
        SimRequestLog abandoned = SimRequestLog.builder()
                .requestId("gone")
                .scenario("slow")
                .slow(true)
                .receivedNanos(5)
                .headersWrittenNanos(SimRequestLog.NOT_WRITTEN)
                .firstOutputWrittenNanos(SimRequestLog.NOT_WRITTEN)
                .firstTokenWrittenNanos(SimRequestLog.NOT_WRITTEN)
                .endWrittenNanos(SimRequestLog.NOT_WRITTEN)
                .contentEventWrittenNanos(new long[0])
                .outputTokens(0)
                .reasoningTokens(0)
                .contentEvents(0)
                .reasoningEvents(0)
                .build();
        SimRequestLog reasoned = SimRequestLog.builder()
                .requestId("thought")
                .scenario("think")
                .slow(false)
                .receivedNanos(7)
                .headersWrittenNanos(8)
                .firstOutputWrittenNanos(9)
                .firstTokenWrittenNanos(12)
                .endWrittenNanos(14)
                .contentEventWrittenNanos(new long[] {9, 10, 12})
                .outputTokens(5)
                .reasoningTokens(3)
                .contentEvents(3)
                .reasoningEvents(2)
                .build();
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
