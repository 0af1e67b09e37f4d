package dev.tokenbench.provider;

import dev.tokenbench.measure.RequestMeasurement;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Replays a captured stream into a fresh decoder, cut into reads at chosen offsets, each read stamped with its
 * own arrival time. The stamp of a read is {@code BASE + offset just after its last byte}, so the arrival time
 * any event must get is known in advance: the stamp of the read that holds the event's last byte.
 */
public final class StreamReplay {
    public static final long BASE_NANOS = 1_000_000L;

    private StreamReplay() {
    }

    public static byte[] resource(String path) {
        try (InputStream in = StreamReplay.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Feeds {@code stream} as reads ending at each of {@code cuts} (ascending, last = length). */
    public static RequestMeasurement replay(byte[] stream, int[] cuts,
            Function<RequestMeasurement, StreamDecoder> decoders) {
        RequestMeasurement m = new RequestMeasurement("replay", 0, 0, false, "p", null);
        m.sentNanos = BASE_NANOS;
        StreamDecoder decoder = decoders.apply(m);
        int from = 0;
        for (int cut : cuts) {
            // A copy per read, padded on both sides, so a decoder that keeps a reference or ignores off/len fails.
            byte[] read = new byte[cut - from + 8];
            System.arraycopy(stream, from, read, 4, cut - from);
            java.util.Arrays.fill(read, 0, 4, (byte) 'x');
            java.util.Arrays.fill(read, read.length - 4, read.length, (byte) 'x');
            decoder.onBytes(read, 4, cut - from, stampOf(cut));
            from = cut;
        }
        decoder.onBodyEnd(stampOf(stream.length) + 1);
        return m;
    }

    public static long stampOf(int offsetAfterRead) {
        return BASE_NANOS + offsetAfterRead;
    }

    /** The arrival stamp an event ending at {@code eventEnd} gets when the stream is cut at {@code cuts}. */
    public static long expectedArrival(int eventEnd, int[] cuts) {
        for (int cut : cuts) {
            if (eventEnd <= cut) {
                return stampOf(cut);
            }
        }
        throw new IllegalArgumentException("event ends after the stream");
    }

    /** Every way to cut the stream in two, plus byte by byte. */
    public static List<int[]> cutPlans(int length) {
        List<int[]> plans = new ArrayList<>();
        for (int k = 0; k <= length; k++) {
            plans.add(k == 0 || k == length ? new int[] {length} : new int[] {k, length});
        }
        int[] byteByByte = new int[length];
        for (int i = 0; i < length; i++) {
            byteByByte[i] = i + 1;
        }
        plans.add(byteByByte);
        return plans;
    }

    /**
     * Offsets just after each SSE event's terminating blank line, found by a naive text scan that shares no
     * code with the framer under test (LF or CRLF files only; for CRLF, just after the blank line's CR).
     */
    public static int[] sseEventEnds(byte[] stream) {
        List<Integer> ends = new ArrayList<>();
        for (int i = 0; i + 1 < stream.length; i++) {
            if (stream[i] == '\n' && stream[i + 1] == '\n') {
                ends.add(i + 2);
            } else if (i + 3 < stream.length && stream[i] == '\r' && stream[i + 1] == '\n'
                    && stream[i + 2] == '\r' && stream[i + 3] == '\n') {
                // The blank line is complete at its CR: a lone CR ends a line in SSE, the LF after it is skipped.
                ends.add(i + 3);
                i += 2;
            }
        }
        return ends.stream().mapToInt(Integer::intValue).toArray();
    }
}
