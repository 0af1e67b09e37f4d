package dev.tokenbench.load;

import dev.tokenbench.config.LoadSpec;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClosedLoopDriverTest {

    @Test
    void workersShareTheRequestsEachOnItsLaneAndTheEndComesOnce() {
        FakeExchanges exchanges = new FakeExchanges(3, 2);
        AtomicInteger done = new AtomicInteger();
        new ClosedLoopDriver(exchanges, 0, 10, 4, ClosedLoopDriver.NO_DEADLINE).start(done::incrementAndGet);
        exchanges.runAll(1_000);
        assertEquals(1, done.get());
        assertEquals(10, exchanges.sent.size());
        // Worker w on lane (home + w) % lanes: lanes 2, 0, 1, 2 for the first four starts.
        assertEquals(2, exchanges.sent.get(0).lane());
        assertEquals(0, exchanges.sent.get(1).lane());
        assertEquals(1, exchanges.sent.get(2).lane());
        assertEquals(2, exchanges.sent.get(3).lane());
        assertTrue(exchanges.notStarted.stream().allMatch(n -> n[1] == 0));
    }

    @Test
    void aWorkerStartsItsNextRequestOnlyWhenItsLastHasEnded() {
        FakeExchanges exchanges = new FakeExchanges(2, 0);
        exchanges.endAtOnce = false;
        AtomicInteger done = new AtomicInteger();
        new ClosedLoopDriver(exchanges, 1, 5, 2, ClosedLoopDriver.NO_DEADLINE).start(done::incrementAndGet);
        exchanges.runAll(100);
        assertEquals(2, exchanges.sent.size(), "two workers, two requests in flight");
        exchanges.inFlight.remove(0).run();
        exchanges.runAll(100);
        assertEquals(3, exchanges.sent.size());
        assertEquals(1, exchanges.sent.get(2).step());
        while (!exchanges.inFlight.isEmpty()) {
            exchanges.inFlight.remove(0).run();
            exchanges.runAll(100);
        }
        assertEquals(5, exchanges.sent.size());
        assertEquals(1, done.get());
    }

    @Test
    void whenTheBudgetRefusesTheRestAreRecordedAsNotStarted() {
        FakeExchanges exchanges = new FakeExchanges(2, 0);
        exchanges.budgetClaims = 4;
        AtomicInteger done = new AtomicInteger();
        new ClosedLoopDriver(exchanges, 0, 10, 3, ClosedLoopDriver.NO_DEADLINE).start(done::incrementAndGet);
        exchanges.runAll(1_000);
        assertEquals(4, exchanges.sent.size());
        assertEquals(1, exchanges.notStarted.size());
        assertEquals(6, exchanges.notStarted.get(0)[1], "10 meant, 4 sent");
        assertEquals(1, done.get());
    }

    @Test
    void anUnboundedPhaseEndsAtItsDeadlineWithNothingCountedAsNotStarted() {
        FakeExchanges exchanges = new FakeExchanges(1, 0);
        AtomicInteger done = new AtomicInteger();
        new ClosedLoopDriver(exchanges, 0, LoadSpec.UNBOUNDED, 2, System.nanoTime() - 1).start(done::incrementAndGet);
        exchanges.runAll(100);
        assertEquals(0, exchanges.sent.size());
        assertEquals(0, exchanges.notStarted.get(0)[1]);
        assertEquals(1, done.get());
    }

    @Test
    void noRequestsOrNoWorkersEndAtOnce() {
        FakeExchanges exchanges = new FakeExchanges(2, 0);
        AtomicInteger done = new AtomicInteger();
        new ClosedLoopDriver(exchanges, -1, 0, 4, ClosedLoopDriver.NO_DEADLINE).start(done::incrementAndGet);
        new ClosedLoopDriver(exchanges, -1, 3, 0, ClosedLoopDriver.NO_DEADLINE).start(done::incrementAndGet);
        exchanges.runAll(10);
        assertEquals(2, done.get());
        assertEquals(0, exchanges.sent.size());
        assertTrue(exchanges.notStarted.isEmpty());
    }
}
