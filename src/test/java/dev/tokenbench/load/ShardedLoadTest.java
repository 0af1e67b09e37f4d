package dev.tokenbench.load;

import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.ShardSpec;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardedLoadTest {

    @Test
    void theShardsArrivalsTogetherAreExactlyTheUnshardedPoissonSchedule() {
        LoadSpec.OpenLoop open = new LoadSpec.OpenLoop(37.5, LoadSpec.OpenLoop.POISSON, 42);
        long[] whole = ArrivalSchedule.of(open, 1_001);
        for (int count : new int[] {1, 2, 3, 7}) {
            long[] union = LongStream.empty().toArray();
            for (int i = 0; i < count; i++) {
                long[] mine = ArrivalSchedule.shard(whole, new ShardSpec(i, count, null));
                assertEquals(new ShardSpec(i, count, null).share(whole.length), mine.length);
                for (int k = 1; k < mine.length; k++) {
                    assertTrue(mine[k] >= mine[k - 1], "a shard's arrivals stay in order");
                }
                // Each shard computes the schedule from the seed itself: the same arrivals in every process.
                assertArrayEquals(mine, ArrivalSchedule.shard(ArrivalSchedule.of(open, 1_001),
                        new ShardSpec(i, count, null)));
                union = LongStream.concat(Arrays.stream(union), Arrays.stream(mine)).toArray();
            }
            Arrays.sort(union);
            assertArrayEquals(whole, union, count + " shards");
        }
    }

    @Test
    void aClosedLoopStartingAtAPastInstantCountsEachWorkersFirstStartLate() {
        FakeExchanges exchanges = new FakeExchanges(2, 0);
        AtomicInteger done = new AtomicInteger();
        ClosedLoopDriver late = new ClosedLoopDriver(exchanges, 0, 6, 3, ClosedLoopDriver.NO_DEADLINE)
                .startingAt(System.nanoTime() - 5_000_000);
        late.start(done::incrementAndGet);
        exchanges.runAll(1_000);
        assertEquals(6, exchanges.sent.size());
        assertEquals(3, late.lateStarts(), "each of the three workers started 5 ms after the instant");

        FakeExchanges onTime = new FakeExchanges(2, 0);
        ClosedLoopDriver ahead = new ClosedLoopDriver(onTime, 0, 6, 3, ClosedLoopDriver.NO_DEADLINE)
                .startingAt(System.nanoTime() + 60_000_000_000L);
        ahead.start(done::incrementAndGet);
        onTime.runAll(1_000);
        assertEquals(0, ahead.lateStarts());
        assertEquals(2, done.get());
    }

    @Test
    void anOpenLoopStartingAtAPastInstantKeepsItsScheduleAndCountsTheMissedStartsLate() {
        FakeExchanges exchanges = new FakeExchanges(1, 0);
        AtomicInteger done = new AtomicInteger();
        long start = System.nanoTime() - 50_000_000; // 50 ms ago
        long[] offsets = {0, 10_000_000, 20_000_000};
        OpenLoopDriver driver = new OpenLoopDriver(exchanges, 0, offsets, 10).startingAt(start);
        driver.start(done::incrementAndGet);
        exchanges.runAll(1_000);
        assertEquals(3, exchanges.sent.size());
        for (int i = 0; i < offsets.length; i++) {
            assertEquals(start + offsets[i], exchanges.sent.get(i).intendedNanos(), "intended starts keep the instant");
        }
        assertEquals(3, driver.lateStarts(), "every arrival was due before the driver started");
        assertEquals(1, done.get());
    }
}
