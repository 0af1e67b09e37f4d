package dev.tokenbench.measure;

import com.sun.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The per-loop gap buffers: handed back and lent again, so a warmed-up loop allocates nothing per event. */
class InterTokenLatencyLaneTest {

    @Test
    void aBufferHandedBackIsLentAgainGrownOnesIncludedHugeOnesNot() {
        InterTokenLatencyLane lane = new InterTokenLatencyLane();
        int[] first = lane.take();
        lane.record(first, 0, false);
        assertSame(first, lane.take(), "reused");
        int[] huge = new int[(1 << 16) + 1];
        lane.record(huge, 0, false);
        assertNotSame(huge, lane.take(), "a buffer past the bound is left to the GC");
    }

    @Test
    void onlyWhatCountsIsRecorded() {
        InterTokenLatencyLane lane = new InterTokenLatencyLane();
        lane.record(new int[] {5, 7, 9}, 2, true);
        lane.record(new int[] {11, 13}, 2, false);
        var h = lane.intervalHistogram();
        assertEquals(2, h.getTotalCount());
        assertEquals(7, h.getMaxValue());
        assertEquals(0, lane.intervalHistogram().getTotalCount(), "an interval: emptied when read");
    }

    @Test
    void requestsOnAWarmLaneAllocateNothingPerEvent() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof ThreadMXBean, "no allocation counter here");
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "no allocation counter here");
        InterTokenLatencyLane lane = new InterTokenLatencyLane();
        long thread = Thread.currentThread().getId();
        long eventBytes = 0;
        int events = 5_000;
        for (int request = 0; request < 40; request++) {
            RequestMeasurement m = new RequestMeasurement("r", 0, request, false, "p", lane);
            long before = threads.getThreadAllocatedBytes(thread);
            long nanos = 1_000_000;
            for (int e = 0; e < events; e++) {
                nanos += 9_000 + (e & 63) * 37;
                m.onContentEvent(nanos, true);
            }
            long after = threads.getThreadAllocatedBytes(thread);
            if (request >= 20) { // the lane's buffer has grown to the stream
                eventBytes += after - before;
            }
            m.onStreamEnd(nanos);
            m.finish(null, null, nanos);
            m.recordInterTokenLatency();
        }
        assertTrue(eventBytes < 20 * 64, "allocated " + eventBytes + " bytes over " + 20 * events + " events");
        assertEquals(40L * (events - 1), lane.intervalHistogram().getTotalCount());
    }
}
