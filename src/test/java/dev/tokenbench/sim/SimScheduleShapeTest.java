package dev.tokenbench.sim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The schedule of the shapes: pauses between bursts, and a streamed reasoning phase released at once. */
class SimScheduleShapeTest {
    private static final long MS = 1_000_000;

    private static SimSchedule.Builder base() {
        return SimSchedule.builder().ttftNanos(100 * MS).gapNanos(5 * MS).tokensPerChunk(1).outputTokens(20);
    }

    @Test
    void aPauseComesBeforeEveryNthEvent() {
        SimSchedule s = base().pauses(new SimSchedule.Pauses(5, 600 * MS, false)).build();
        assertEquals(0, s.pausesBeforeNanos(0));
        assertEquals(0, s.pausesBeforeNanos(4));
        assertEquals(600 * MS, s.pausesBeforeNanos(5));
        assertEquals(600 * MS, s.pausesBeforeNanos(9));
        assertEquals(1_200 * MS, s.pausesBeforeNanos(10));
        assertEquals(0, base().build().pausesBeforeNanos(10), "no pauses unless asked");
    }

    @Test
    void reasoningReleasedAtOnceIsOneEventAfterTheSilentPhase() {
        SimSchedule atOnce = base().reasoningTokens(30).reasoningStreamed(true)
                .pauses(new SimSchedule.Pauses(0, 0, true)).build();
        assertEquals(1, atOnce.reasoningEvents());
        assertEquals(21, atOnce.events());
        assertEquals(30, atOnce.tokensInEvent(true, 30));
        assertEquals(1, atOnce.tokensInEvent(false, 20));
        assertEquals(30, atOnce.maxTokensPerEvent());
        // 30 tokens at 5 ms each thought silently, then the burst.
        assertEquals(100 * MS + 150 * MS, atOnce.firstEventOffsetNanos());

        SimSchedule streamed = base().reasoningTokens(30).reasoningStreamed(true).build();
        assertEquals(30, streamed.reasoningEvents());
        assertEquals(100 * MS, streamed.firstEventOffsetNanos());
        assertEquals(1, streamed.maxTokensPerEvent());

        // Not streamed (the request did not ask to see it): a silent delay either way, as before.
        SimSchedule hidden = base().reasoningTokens(30).reasoningStreamed(false)
                .pauses(new SimSchedule.Pauses(0, 0, true)).build();
        assertEquals(0, hidden.reasoningEvents());
        assertEquals(250 * MS, hidden.firstEventOffsetNanos());
    }
}
