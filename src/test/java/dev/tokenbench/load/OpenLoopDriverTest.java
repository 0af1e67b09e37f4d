package dev.tokenbench.load;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenLoopDriverTest {

    @Test
    void everyStartKeepsItsIntendedTimeAndGoesToTheLanesInTurnSkippingThoseWithoutAClient() {
        FakeExchanges exchanges = new FakeExchanges(3, 1, true, false, true);
        long[] offsets = ArrivalSchedule.fixedRate(200_000, 12); // every 5 µs
        AtomicInteger done = new AtomicInteger();
        OpenLoopDriver driver = new OpenLoopDriver(exchanges, 2, offsets, 100);
        driver.start(done::incrementAndGet);
        exchanges.runAll(10_000_000);
        assertEquals(1, done.get());
        assertEquals(12, exchanges.sent.size());
        long phaseStart = exchanges.sent.get(0).intendedNanos();
        for (int i = 0; i < 12; i++) {
            FakeExchanges.Sent s = exchanges.sent.get(i);
            assertEquals(phaseStart + offsets[i], s.intendedNanos(), "request " + i + " keeps its schedule");
            assertEquals(i % 2 == 0 ? 0 : 2, s.lane(), "lanes 0 and 2 in turn (1 has no client)");
            assertEquals(2, s.step());
        }
        assertEquals(0, exchanges.notStarted.get(0)[1]);
    }

    @Test
    void startsBeyondTheInFlightCapWaitAndAreLate() {
        FakeExchanges exchanges = new FakeExchanges(1, 0);
        exchanges.endAtOnce = false;
        long[] offsets = ArrivalSchedule.fixedRate(1e9, 5); // all due at once
        AtomicInteger done = new AtomicInteger();
        OpenLoopDriver driver = new OpenLoopDriver(exchanges, 0, offsets, 2);
        driver.start(done::incrementAndGet);
        exchanges.runAll(1_000);
        assertEquals(2, exchanges.sent.size(), "the cap");
        sleepMillis(3); // the waiting starts are now more than 1 ms late
        while (!exchanges.inFlight.isEmpty()) {
            exchanges.inFlight.remove(0).run();
            exchanges.runAll(1_000);
        }
        assertEquals(5, exchanges.sent.size());
        assertEquals(1, done.get());
        // The three that waited for a slot (the first two too, should this thread have stalled a millisecond).
        assertTrue(driver.lateStarts() >= 3 && driver.lateStarts() <= 5, "late starts " + driver.lateStarts());
    }

    @Test
    void aHaltStopsTheStartsAndTheRestAreRecordedAsNotStarted() {
        FakeExchanges exchanges = new FakeExchanges(2, 0);
        exchanges.budgetClaims = 3;
        long[] offsets = ArrivalSchedule.fixedRate(1e9, 8);
        AtomicInteger done = new AtomicInteger();
        new OpenLoopDriver(exchanges, 0, offsets, 100).start(done::incrementAndGet);
        exchanges.runAll(1_000);
        assertEquals(3, exchanges.sent.size());
        assertEquals(1, done.get());
        // All 8 are due at once: 3 sent, then the budget refuses the other 5, which are recorded as not started.
        assertEquals(5, exchanges.notStarted.get(0)[1]);
        assertTrue(exchanges.halted());
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
