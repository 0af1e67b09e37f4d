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

    /**
     * Replays {@code stream} under every {@link #cutPlans cut plan} and checks that each timing is the stamp of
     * the read that completed its event (an index of -1 leaves that timing unchecked); {@code sameEveryTime}
     * checks what must not depend on the cuts. {@code eventEnds} are the offsets just after each event.
     */
    public static void replayEverywhere(byte[] stream, String name, int[] eventEnds,
            Function<RequestMeasurement, StreamDecoder> decoders, int firstOutputEvent, int firstTokenEvent,
            int lastContentEvent, int endEvent, java.util.function.Consumer<RequestMeasurement> sameEveryTime) {
        int plans = 0;
        for (int[] cuts : cutPlans(stream.length)) {
            RequestMeasurement m = replay(stream, cuts, decoders);
            String where = name + " cut at " + (cuts.length == 2 ? cuts[0] : cuts.length + " reads");
            assertArrival(eventEnds, firstOutputEvent, cuts, m.firstOutputNanos, where);
            assertArrival(eventEnds, firstTokenEvent, cuts, m.firstTokenNanos, where);
            assertArrival(eventEnds, lastContentEvent, cuts, m.lastContentNanos, where);
            assertArrival(eventEnds, endEvent, cuts, m.endNanos, where);
            sameEveryTime.accept(m);
            plans++;
        }
        org.junit.jupiter.api.Assertions.assertEquals(stream.length + 2, plans);
    }

    /** {@link #replayEverywhere} for an SSE test resource. */
    public static void replaySseEverywhere(String resource, Function<RequestMeasurement, StreamDecoder> decoders,
            int firstOutputEvent, int firstTokenEvent, int lastContentEvent, int endEvent,
            java.util.function.Consumer<RequestMeasurement> sameEveryTime) {
        byte[] stream = resource(resource);
        replayEverywhere(stream, resource, sseEventEnds(stream), decoders, firstOutputEvent, firstTokenEvent,
                lastContentEvent, endEvent, sameEveryTime);
    }

    private static void assertArrival(int[] eventEnds, int event, int[] cuts, long actualNanos, String where) {
        if (event >= 0) {
            org.junit.jupiter.api.Assertions.assertEquals(expectedArrival(eventEnds[event], cuts), actualNanos,
                    where);
        }
    }
}
