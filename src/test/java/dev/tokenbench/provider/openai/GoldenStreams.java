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


    /** The number of SSE events in a golden stream, so a test can say which index is its last. */
    public static int eventCount(String resource) {
        return StreamReplay.sseEventEnds(StreamReplay.resource(resource)).length;
    }
}
