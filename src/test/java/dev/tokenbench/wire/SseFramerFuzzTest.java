package dev.tokenbench.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tokenbench.fuzz.FuzzReads;
import dev.tokenbench.wire.SseTestSupport.Event;
import dev.tokenbench.wire.SseTestSupport.FeedResult;
import dev.tokenbench.wire.SseTestSupport.RecordingHandler;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the SSE framer. In {@code mvn verify} Jazzer replays the seed corpus
 * (SseFramerFuzzTestInputs); {@code JAZZER_FUZZ=1} (bench/fuzz.sh) mutates it for as long as asked.
 */
class SseFramerFuzzTest {

    /**
     * Any body, cut into any reads: the framer finds exactly the events of the spec-literal reference parser,
     * stamped with the read that completed each; with a small limit it drops oversize events, never delivers
     * one over the limit, and does the same whatever the reads.
     */
    @FuzzTest
    void framesLikeTheSpecWhateverTheReads(byte[] body) {
        int[] cuts = FuzzReads.cuts(body, body.length);
        RecordingHandler handler = new RecordingHandler();
        FeedResult framed = SseTestSupport.feedInReads(new SseFramer(handler, 1 << 20), handler, body, cuts);
        SseTestSupport.ReferenceResult reference = SseTestSupport.referenceParse(body);
        assertEquals(SseTestSupport.expectedForCuts(reference, cuts), framed.events());
        assertEquals(reference.incompleteEventAtEnd(), framed.incompleteEventAtEnd());
        assertTrue(framed.oversizeArrivalNanos().isEmpty());

        int limit = 48;
        RecordingHandler small = new RecordingHandler();
        FeedResult cutSmall = SseTestSupport.feedInReads(new SseFramer(small, limit), small, body, cuts);
        RecordingHandler whole = new RecordingHandler();
        FeedResult wholeSmall = SseTestSupport.feedInReads(new SseFramer(whole, limit), whole, body, new int[0]);
        for (Event e : cutSmall.events()) {
            assertTrue(e.dataLatin1().length() + e.eventLatin1().length() <= limit, e.toString());
        }
        assertEquals(SseTestSupport.withoutArrivals(wholeSmall.events()),
                SseTestSupport.withoutArrivals(cutSmall.events()));
        assertEquals(wholeSmall.oversizeArrivalNanos().size(), cutSmall.oversizeArrivalNanos().size());
        assertEquals(wholeSmall.incompleteEventAtEnd(), cutSmall.incompleteEventAtEnd());
        List<Event> bigEvents = SseTestSupport.withoutArrivals(framed.events());
        for (Event e : SseTestSupport.withoutArrivals(cutSmall.events())) {
            assertTrue(bigEvents.contains(e), "a small-limit event the unlimited framer did not deliver: " + e);
        }
    }
}
