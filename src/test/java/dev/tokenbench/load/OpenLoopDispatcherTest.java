package dev.tokenbench.load;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dispatcher on a virtual clock: exact times, no sleeping. */
class OpenLoopDispatcherTest {
    private record Start(int index, long intendedNanos, long actualNanos) {
    }

    private static final long MS = 1_000_000;

    @Test
    void onTimeStartsKeepTheirScheduleAndALateClientIsCountedNotShifted() {
        long[] offsets = ArrivalSchedule.fixedRate(100, 300); // every 10 ms for 3 s
        List<Start> starts = new ArrayList<>();
        long[] now = {1_000 * MS};
        OpenLoopDispatcher d = new OpenLoopDispatcher(offsets, now[0], 1_000,
                (i, intended) -> starts.add(new Start(i, intended, now[0])));
        long wake = d.onWake(now[0]);
        while (!d.allStarted()) {
            now[0] = wake;
            if (now[0] >= 2_000 * MS && now[0] < 2_000 * MS + 10 * MS) {
                now[0] += 1_000 * MS; // the client stalls for a second at t = 1 s into the phase
            }
            wake = d.onWake(now[0]);
        }
        assertEquals(300, starts.size());
        for (int i = 0; i < starts.size(); i++) {
            assertEquals(i, starts.get(i).index());
            assertEquals(1_000 * MS + offsets[i], starts.get(i).intendedNanos(), "intended times never move");
        }
        // Requests due during the stall (1.00 s .. 2.00 s into the phase) start at its end, late by up to 1 s.
        assertEquals(100, d.lateStarts());
        assertTrue(d.maxLatenessNanos() >= 990 * MS && d.maxLatenessNanos() <= 1_000 * MS, "" + d.maxLatenessNanos());
        Start firstLate = starts.get(100);
        assertEquals(3_000 * MS, firstLate.actualNanos());
        assertEquals(2_000 * MS, firstLate.intendedNanos());
        Start afterStall = starts.get(200);
        assertEquals(afterStall.intendedNanos(), afterStall.actualNanos(), "back on schedule after the stall");
    }

    @Test
    void theInFlightCapMakesStartsWaitAndTheWaitIsLateness() {
        long[] offsets = ArrivalSchedule.fixedRate(1_000, 10); // every 1 ms
        List<Start> starts = new ArrayList<>();
        long[] now = {0};
        OpenLoopDispatcher d = new OpenLoopDispatcher(offsets, 0, 2,
                (i, intended) -> starts.add(new Start(i, intended, now[0])));
        assertEquals(MS, d.onWake(0));
        assertEquals(Long.MAX_VALUE, d.onWake(MS), "two in flight: wait for one to finish");
        assertEquals(2, d.inFlight());
        now[0] = 5 * MS;
        d.onFinished();
        d.onWake(now[0]);
        assertEquals(3, starts.size());
        assertEquals(2 * MS, starts.get(2).intendedNanos());
        assertEquals(5 * MS, starts.get(2).actualNanos());
        assertEquals(1, d.lateStarts());
    }
}
