package dev.tokenbench.measure;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientHealthTest {

    /** A clean 60 s run on 2 cores: lag under a ms, a few short GC pauses, no quota, little CPU. */
    private static ClientHealth.Builder clean() {
        return ClientHealth.builder().wallSeconds(60).lagMs(0.3, 2.5, 14).gcPauseMs(40, 6, 9).cpuThrottledMs(Double.NaN)
                .cpuSeconds(12, 2).requests(1_000, 3);
    }

    @Test
    void aCleanRunIsGood() {
        ClientHealth h = clean().judge();
        assertEquals(ClientHealth.GOOD, h.verdict());
        assertEquals(List.of(), h.reasons());
        assertTrue(h.good());
        assertNull(h.leftOutLine(), "no --drop-lagged, nothing to say");
    }

    @Test
    void lagNeedsAShareOfAffectedRequestsAndAHighP99OrOneLongStall() {
        assertEquals(ClientHealth.GOOD, clean().lagMs(1, 45, 300).requests(1_000, 10).judge().verdict(),
                "a lagging p99 that touched 1% of the requests");
        assertEquals(ClientHealth.GOOD, clean().lagMs(1, 15, 60).requests(1_000, 900).judge().verdict(),
                "many requests saw a lag, but the p99 is within a busy host's noise and no stall was long");
        ClientHealth stalled = clean().lagMs(0.3, 7, 306).requests(2_000, 1_000)
                .lagWindow(Instant.parse("2026-12-07T00:33:31Z"), Instant.parse("2026-12-07T00:33:32Z")).judge();
        assertEquals(ClientHealth.DEGRADED, stalled.verdict(),
                "one stall of 306 ms while 1,000 streams were in flight: their figures moved, whatever the p99");
        assertEquals(List.of("the client's event loops stalled for up to 306 ms (00:33:31 to 00:33:32 UTC), 1000 "
                + "of 2000 requests affected"), stalled.reasons());
        assertEquals(ClientHealth.GOOD, clean().lagMs(1, 7, 306).requests(1_000, 10).judge().verdict(),
                "a long stall that touched 1% of the requests");
        ClientHealth lagged = clean().lagMs(1, 40, 300).requests(1_000, 87)
                .lagWindow(Instant.parse("2026-12-06T12:03:10Z"), Instant.parse("2026-12-06T12:03:14Z")).judge();
        assertEquals(ClientHealth.DEGRADED, lagged.verdict());
        assertEquals(List.of("the client's event loops lagged 40 ms at p99 (12:03:10 to 12:03:14 UTC), 87 of 1000 "
                + "requests affected"), lagged.reasons());
        assertEquals(ClientHealth.UNTRUSTWORTHY, clean().lagMs(20, 150, 900).requests(100, 30).judge().verdict());
        assertEquals(ClientHealth.DEGRADED, clean().lagMs(20, 150, 900).requests(100, 20).judge().verdict(),
                "a p99 past the bar for untrustworthy, but too few requests affected for it");
    }

    @Test
    void throttlingIsJudgedAsAShareOfTheRun() {
        assertEquals(ClientHealth.GOOD, clean().cpuThrottledMs(0).judge().verdict());
        assertEquals(ClientHealth.GOOD, clean().cpuThrottledMs(500).judge().verdict(), "0.8% of 60 s");
        ClientHealth degraded = clean().cpuThrottledMs(3_000).judge();
        assertEquals(ClientHealth.DEGRADED, degraded.verdict());
        assertEquals(List.of("the client's CPU was throttled by its cgroup's quota for 3000 ms (summed over its "
                + "cores) in a 60 s run: raise the CPU limit or lower the load"), degraded.reasons());
        assertEquals(ClientHealth.UNTRUSTWORTHY, clean().cpuThrottledMs(6_001).judge().verdict());
    }

    @Test
    void gcPausesDegradeByTheirLongestOrTheirShare() {
        assertEquals(ClientHealth.DEGRADED, clean().gcPauseMs(60, 51, 2).judge().verdict(), "one 51 ms pause");
        assertEquals(ClientHealth.DEGRADED, clean().gcPauseMs(1_300, 10, 200).judge().verdict(), "2.2% of the run");
        assertEquals(ClientHealth.UNTRUSTWORTHY, clean().gcPauseMs(6_100, 10, 900).judge().verdict());
        assertEquals(ClientHealth.GOOD, clean().gcPauseMs(Double.NaN, Double.NaN, 0).judge().verdict(),
                "no GC notifications (a native image): nothing to judge");
    }

    @Test
    void theGcReasonCountsThePauses() {
        assertEquals(List.of("GC paused the client for 1300 ms in 200 pauses (2% of the run, longest 10 ms)"),
                clean().gcPauseMs(1_300, 10, 200).judge().reasons());
    }

    @Test
    void aClientThatUsedItsCoresWasItsOwnBottleneck() {
        ClientHealth h = clean().cpuSeconds(110, 2).judge();
        assertEquals(ClientHealth.DEGRADED, h.verdict());
        assertEquals(List.of("the client used 92% of the 2 cores it may use: it was its own bottleneck"), h.reasons());
        assertEquals(ClientHealth.GOOD, clean().cpuSeconds(50, 1).judge().verdict(), "83% of one core");
    }

    @Test
    void theWorstRuleGivesTheVerdictAndEveryRuleItsReason() {
        ClientHealth h = clean().cpuThrottledMs(30_000).gcPauseMs(100, 60, 2).judge();
        assertEquals(ClientHealth.UNTRUSTWORTHY, h.verdict());
        assertEquals(2, h.reasons().size(), h.reasons().toString());
        assertTrue(h.oneLine().startsWith("Client health: untrustworthy - the client's CPU was throttled"),
                h.oneLine());
    }

    @Test
    void figuresAreWrittenWithTheDigitsTheirSizeDeserves() {
        assertEquals("7310", ClientHealth.number(7310.043));
        assertEquals("38.3", ClientHealth.number(38.271));
        assertEquals("0.25", ClientHealth.number(0.25));
        assertEquals("2", ClientHealth.number(2.0));
        assertEquals("1.5", ClientHealth.number(1.5));
    }

    @Test
    void leftOutRequestsAreCounted() {
        ClientHealth h = clean().leftOut(50, 7).judge();
        assertEquals("7 requests measured while the client lagged more than 50 ms left out of the summaries "
                + "(kept in requests.jsonl, marked left_out)", h.leftOutLine());
        assertEquals(ClientHealth.GOOD, h.verdict());
    }
}
