package dev.tokenbench.wire;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.tokenbench.wire.EventStreamTestFrames.concat;
import static dev.tokenbench.wire.EventStreamTestFrames.event;
import static dev.tokenbench.wire.EventStreamTestFrames.frameEnds;
import static dev.tokenbench.wire.EventStreamTestFrames.prelude;
import static dev.tokenbench.wire.EventStreamTestFrames.withDeclaredTotal;
import static dev.tokenbench.wire.EventStreamTestFrames.withFlippedByte;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A handler that drops a bad frame keeps the frames after it, when the bad frame's prelude vouches for its length:
 * a message CRC mismatch, an oversize frame (skipped as it arrives, never held). Replayed cut at every offset.
 */
class EventStreamFramerRecoveryTest {
    private static final int MAX_FRAME_BYTES = 1024;

    /** Keeps payloads as text and every report, in order; drops bad frames. */
    static final class Dropping implements EventStreamFramer.FrameHandler {
        final List<String> seen = new ArrayList<>();

        @Override
        public void onFrame(EventStreamFramer.Headers headers, int payloadOffset, int payloadLength,
                long arrivalNanos) {
            seen.add(new String(headers.array(), payloadOffset, payloadLength, StandardCharsets.UTF_8));
        }

        @Override
        public void onFramingError(String reason, long arrivalNanos) {
            seen.add("error: " + reason.split(" \\(| in a frame| exceeds")[0]);
        }

        @Override
        public boolean onDroppedFrame(String reason, long arrivalNanos) {
            seen.add("dropped: " + reason.split(" \\(| in a frame| exceeds")[0]);
            return true;
        }
    }

    private static byte[] frames(String... payloads) {
        List<byte[]> list = new ArrayList<>();
        for (String p : payloads) {
            list.add(event("contentBlockDelta", p));
        }
        return concat(list);
    }

    /** Feeds the stream cut at {@code cut} (0: whole), then ends it. */
    private static List<String> feed(byte[] stream, int cut, boolean[] incompleteAtEnd) {
        Dropping handler = new Dropping();
        EventStreamFramer framer = new EventStreamFramer(handler, MAX_FRAME_BYTES);
        if (cut > 0) {
            framer.feed(stream, 0, cut, 1);
        }
        framer.feed(stream, cut, stream.length - cut, 2);
        incompleteAtEnd[0] = framer.end(3);
        return handler.seen;
    }

    @Test
    void aBadMessageCrcDropsOneFrameAtEveryCut() {
        byte[] good = frames("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
        int[] ends = frameEnds(good);
        byte[] stream = withFlippedByte(good, ends[1] - 6); // inside frame 2's payload
        for (int cut = 0; cut < stream.length; cut++) {
            boolean[] incomplete = new boolean[1];
            assertEquals(List.of("{\"a\":1}", "dropped: message CRC mismatch", "{\"c\":3}"),
                    feed(stream, cut, incomplete), "cut at " + cut);
            assertFalse(incomplete[0]);
        }
    }

    @Test
    void anOversizeFrameIsSkippedWithoutBeingHeldAtEveryCut() {
        byte[] first = frames("{\"a\":1}");
        int bigTotal = 5_000;
        byte[] big = new byte[bigTotal];
        System.arraycopy(prelude(bigTotal, 0), 0, big, 0, 12);
        byte[] stream = concat(first, big, frames("{\"c\":3}"));
        for (int cut = 0; cut < stream.length; cut += 7) {
            boolean[] incomplete = new boolean[1];
            assertEquals(List.of("{\"a\":1}", "dropped: a frame of 5000 bytes", "{\"c\":3}"),
                    feed(stream, cut, incomplete), "cut at " + cut);
            assertFalse(incomplete[0]);
        }
        // Ended in the middle of the skipped frame: the body ended inside a frame.
        boolean[] incomplete = new boolean[1];
        feed(java.util.Arrays.copyOf(stream, first.length + 100), 0, incomplete);
        assertTrue(incomplete[0]);
    }

    @Test
    void aLengthThatLiesIsCaughtByTheNextPrelude() {
        byte[] good = frames("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
        int[] ends = frameEnds(good);
        byte[] stream = withDeclaredTotal(good, ends[0], ends[1] - ends[0] + 16);
        boolean[] incomplete = new boolean[1];
        assertEquals(List.of("{\"a\":1}", "dropped: message CRC mismatch", "error: prelude CRC mismatch"),
                feed(stream, 0, incomplete));
    }
}
