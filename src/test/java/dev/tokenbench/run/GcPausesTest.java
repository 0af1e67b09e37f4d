package dev.tokenbench.run;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GcPausesTest {

    @Test
    void concurrentCyclesAreNotPauses() {
        assertTrue(GcPauses.isPause("G1 Young Generation"));
        assertTrue(GcPauses.isPause("G1 Old Generation"));
        assertTrue(GcPauses.isPause("ZGC Pauses"));
        assertTrue(GcPauses.isPause("Copy"));
        assertFalse(GcPauses.isPause("G1 Concurrent GC"));
        assertFalse(GcPauses.isPause("ZGC Cycles"));
        assertFalse(GcPauses.isPause("Shenandoah Cycles"));
    }

    @Test
    void pausesAddUpAndTheLongestIsKept() {
        try (GcPauses pauses = GcPauses.start()) {
            double before = pauses.totalMs();
            pauses.record(3_000);
            long counted = pauses.count();
            pauses.record(5_000);
            assertEquals(before + 8, pauses.totalMs(), 1e-9);
            assertEquals(counted + 1, pauses.count());
            assertTrue(pauses.maxMs() >= 5);
        }
    }

    @Test
    void aFullGcOfThisJvmIsHeardFromItsNotifications() throws InterruptedException {
        try (GcPauses pauses = GcPauses.start()) {
            assertFalse(Double.isNaN(pauses.totalMs()), "HotSpot sends GC notifications");
            System.gc(); // a collection with pauses in every collector (the tests run ZGC)
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (pauses.count() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20); // the notification comes from the JVM's own thread, soon after the pause
            }
            // Its length may read 0 ms: the JVM gives whole milliseconds, and ZGC's pauses are shorter.
            assertTrue(pauses.count() > 0, "the pause was counted");
        }
    }
}
