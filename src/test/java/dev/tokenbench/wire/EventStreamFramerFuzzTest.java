package dev.tokenbench.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tokenbench.fuzz.EventStreamFuzzInput;
import dev.tokenbench.fuzz.FuzzReads;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the AWS event-stream framer (inputs: see {@link EventStreamFuzzInput}). In
 * {@code mvn verify} Jazzer replays the seed corpus (EventStreamFramerFuzzTestInputs); {@code JAZZER_FUZZ=1}
 * (bench/fuzz.sh) mutates it.
 */
class EventStreamFramerFuzzTest {

    /** Whatever the bytes and the reads: no exception, the same frames and errors as one whole read. */
    @FuzzTest
    void framesTheSameWhateverTheReads(byte[] input) {
        byte[] body = EventStreamFuzzInput.body(input);
        int[] cuts = FuzzReads.cuts(input, body.length);
        Recorder whole = feed(body, new int[0], 1 << 20);
        Recorder cut = feed(body, cuts, 1 << 20);
        assertEquals(whole.frames, cut.frames);
        assertEquals(whole.errors.size(), cut.errors.size());
        assertEquals(whole.incompleteAtEnd, cut.incompleteAtEnd);
        assertTrue(cut.errors.size() <= 1, "one framing error ends framing: " + cut.errors);
        Recorder small = feed(body, cuts, 64);
        for (String frame : small.frames) {
            assertTrue(whole.frames.contains(frame), "a frame only the small limit delivered: " + frame);
        }
    }

    private static Recorder feed(byte[] body, int[] cuts, int maxFrameBytes) {
        Recorder r = new Recorder();
        EventStreamFramer framer = new EventStreamFramer(r, maxFrameBytes);
        long end = FuzzReads.feed(body, cuts, 0, framer::feed);
        r.incompleteAtEnd = framer.end(end);
        return r;
    }

    private static final class Recorder implements EventStreamFramer.FrameHandler {
        final List<String> frames = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        boolean incompleteAtEnd;

        @Override
        public void onFrame(EventStreamFramer.Headers headers, int payloadOffset, int payloadLength,
                long arrivalNanos) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < headers.count(); i++) {
                sb.append(headers.nameAsString(i)).append('/').append(headers.type(i)).append('=')
                        .append(HexFormat.of().formatHex(headers.array(), headers.valueOffset(i),
                                headers.valueOffset(i) + headers.valueLength(i))).append(';');
            }
            sb.append(HexFormat.of().formatHex(headers.array(), payloadOffset, payloadOffset + payloadLength));
            frames.add(sb.toString());
        }

        @Override
        public void onFramingError(String reason, long arrivalNanos) {
            errors.add(reason);
        }
    }
}
