package dev.tokenbench.provider.openai;

import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.StreamDecoder;
import dev.tokenbench.provider.StreamReplay;

import java.util.function.Consumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Replays one golden SSE stream with {@link StreamReplay} at every cut (every two-read split and byte by byte) and
 * checks that each timing is the stamp of the read that completed its event, and that the rest is the same every
 * time. Event indexes count SSE events (blank-line terminated) from 0.
 */
public final class GoldenStreams {
    private GoldenStreams() {
    }

    /**
     * @param firstOutputEvent the event with the first reasoning or text delta
     * @param firstTokenEvent  the first visible text delta
     * @param lastContentEvent the last event with text
     * @param endEvent         the event that ends the request (end of stream, or a provider error); -1: none
     */
    public static void replayEverywhere(String resource, Function<RequestMeasurement, StreamDecoder> decoders,
            int firstOutputEvent, int firstTokenEvent, int lastContentEvent, int endEvent,
            Consumer<RequestMeasurement> sameEveryTime) {
        byte[] stream = StreamReplay.resource(resource);
        int[] eventEnds = StreamReplay.sseEventEnds(stream);
        int plans = 0;
        for (int[] cuts : StreamReplay.cutPlans(stream.length)) {
            RequestMeasurement m = StreamReplay.replay(stream, cuts, decoders);
            String where = resource + " cut at " + (cuts.length == 2 ? cuts[0] : cuts.length + " reads");
            assertEquals(StreamReplay.expectedArrival(eventEnds[firstOutputEvent], cuts), m.firstOutputNanos, where);
            assertEquals(StreamReplay.expectedArrival(eventEnds[firstTokenEvent], cuts), m.firstTokenNanos, where);
            assertEquals(StreamReplay.expectedArrival(eventEnds[lastContentEvent], cuts), m.lastContentNanos, where);
            if (endEvent >= 0) {
                assertEquals(StreamReplay.expectedArrival(eventEnds[endEvent], cuts), m.endNanos, where);
            }
            sameEveryTime.accept(m);
            plans++;
        }
        assertEquals(stream.length + 2, plans);
    }

    /** The number of SSE events in a golden stream, so a test can say which index is its last. */
    public static int eventCount(String resource) {
        return StreamReplay.sseEventEnds(StreamReplay.resource(resource)).length;
    }
}
