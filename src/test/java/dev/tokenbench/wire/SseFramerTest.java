package dev.tokenbench.wire;

import static dev.tokenbench.wire.SseTestSupport.Event;
import static dev.tokenbench.wire.SseTestSupport.FeedResult;
import static dev.tokenbench.wire.SseTestSupport.RecordingHandler;
import static dev.tokenbench.wire.SseTestSupport.ReferenceResult;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SseFramerTest {

    private static final int MIB = 1024 * 1024;
    private static final int MAX_EVENT_BYTES = 4 * MIB;

    private final RecordingHandler handler = new RecordingHandler();

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private FeedResult feedWhole(SseFramer framer, String body) {
        return SseTestSupport.feedInReads(framer, handler, ascii(body), new int[0]);
    }

    @Test
    void dispatchesOnBlankLineStampedWithTheReadThatCompletedIt() {
        SseFramer framer = new SseFramer(handler, MAX_EVENT_BYTES);
        byte[] first = ascii("event: delta\ndata: a\n");
        byte[] second = ascii("\ndata: b");
        framer.feed(first, 0, first.length, 100);
        assertTrue(handler.events.isEmpty(), "no blank line yet");
        framer.feed(second, 0, second.length, 200);
        assertEquals(List.of(Event.utf8("delta", "a", 200)), handler.events);
        assertTrue(framer.end(300), "data: b never got its blank line");
        assertEquals(1, handler.events.size());
    }

    @Test
    void crAtEndOfOneReadAndLfAtStartOfNextAreOneLineEnd() {
        SseFramer framer = new SseFramer(handler, MAX_EVENT_BYTES);
        // If the LF were a second line end it would be a blank line and dispatch "x" early, at stamp 2.
        byte[][] reads = {ascii("data: x\r"), ascii("\ndata: y\r"), ascii("\n\r"), ascii("\n")};
        for (int i = 0; i < reads.length; i++) {
            framer.feed(reads[i], 0, reads[i].length, i + 1);
        }
        assertEquals(List.of(Event.utf8("", "x\ny", 3)), handler.events);
        assertFalse(framer.end(5));
    }

    @Test
    void aBlankLineEndedByCrDispatchesAtOnceWithoutWaitingForAPossibleLf() {
        SseFramer framer = new SseFramer(handler, MAX_EVENT_BYTES);
        byte[] read = ascii("data: now\r\r");
        framer.feed(read, 0, read.length, 7);
        assertEquals(List.of(Event.utf8("", "now", 7)), handler.events);
    }

    @Test
    void emptyReadsChangeNothing() {
        SseFramer framer = new SseFramer(handler, MAX_EVENT_BYTES);
        byte[] body = ascii("data: a\r");
        framer.feed(new byte[0], 0, 0, 1);
        framer.feed(body, 0, body.length, 2);
        framer.feed(new byte[0], 0, 0, 3);
        framer.feed(ascii("\n\n"), 0, 2, 4);
        assertEquals(List.of(Event.utf8("", "a", 4)), handler.events);
    }

    @Test
    void byteOrderMarkOnlyAtStreamStartIsSkipped() {
        SseFramer framer = new SseFramer(handler, MAX_EVENT_BYTES);
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        ByteArrayOutputStream twice = new ByteArrayOutputStream();
        twice.writeBytes(bom);
        twice.writeBytes(bom);
        twice.writeBytes(ascii("data: a\n\ndata: b\n\n"));
        // The second mark makes the first field name "\uFEFFdata", which is no known field.
        FeedResult result = SseTestSupport.feedInReads(framer, handler, twice.toByteArray(), new int[] {1, 4});
        assertEquals(List.of(Event.utf8("", "b", 3)), result.events());
    }

    @Test
    void bytesThatStartLikeAByteOrderMarkButAreNotOneAreKept() {
        SseFramer framer = new SseFramer(handler, MAX_EVENT_BYTES);
        byte[] body = {(byte) 0xEF, (byte) 0xBB, 'x', ':', ' ', 'v', '\n', '\n', 'd', 'a', 't', 'a', ':', '1', '\n', '\n'};
        for (int cut = 0; cut <= body.length; cut++) {
            FeedResult result = SseTestSupport.feedInReads(framer, handler, body, new int[] {cut});
            assertEquals(List.of(Event.utf8("", "1", 0)), SseTestSupport.withoutArrivals(result.events()));
        }
        // A stream of only part of a mark: nothing pending.
        assertFalse(SseTestSupport.feedInReads(framer, handler, new byte[] {(byte) 0xEF, (byte) 0xBB},
                new int[] {1}).incompleteEventAtEnd());
    }

    @Test
    void handlerArraysHoldExactlyTheEventAndNothingStale() {
        SseFramer framer = new SseFramer(handler, MAX_EVENT_BYTES);
        FeedResult result = feedWhole(framer, "event: long-name\ndata: a long first payload\n\nevent: e\ndata: b\n\ndata:\n\n");
        assertEquals(List.of(Event.utf8("long-name", "a long first payload", 1), Event.utf8("e", "b", 1),
                Event.utf8("", "", 1)), result.events());
    }

    @Test
    void endReportsPendingDataOnlyForDataFields() {
        SseFramer framer = new SseFramer(handler, MAX_EVENT_BYTES);
        assertFalse(feedWhole(framer, "data: a\n\n").incompleteEventAtEnd());
        assertFalse(feedWhole(framer, "event: only-a-type\n").incompleteEventAtEnd());
        assertFalse(feedWhole(framer, ": a comment with no line end").incompleteEventAtEnd());
        assertFalse(feedWhole(framer, "id: 3").incompleteEventAtEnd());
        assertFalse(feedWhole(framer, "database: not data").incompleteEventAtEnd());
        assertTrue(feedWhole(framer, "data: a\n").incompleteEventAtEnd());
        assertTrue(feedWhole(framer, "data: no line end").incompleteEventAtEnd());
        assertTrue(feedWhole(framer, "data").incompleteEventAtEnd());
        assertTrue(feedWhole(framer, "data:").incompleteEventAtEnd());
        assertTrue(feedWhole(framer, "data: a\r").incompleteEventAtEnd());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new SseFramer(handler, 0));
        assertThrows(NullPointerException.class, () -> new SseFramer(null, 10));
        SseFramer framer = new SseFramer(handler, 10);
        assertThrows(IndexOutOfBoundsException.class, () -> framer.feed(new byte[4], 2, 3, 0));
    }

    /** Random streams of every construct the spec has, framed in random reads, against the reference. */
    @Test
    void randomStreamsInRandomReadsMatchTheReferenceParser() {
        Random random = new Random(20240611L);
        for (int stream = 0; stream < 3000; stream++) {
            byte[] body = randomStream(random);
            ReferenceResult reference = SseTestSupport.referenceParse(body);
            SseFramer framer = new SseFramer(handler, MAX_EVENT_BYTES);
            for (int split = 0; split < 8; split++) {
                int[] cuts = split == 0 ? new int[0]
                        : split == 1 ? SseTestSupport.everyByte(body.length)
                        : SseTestSupport.randomCuts(random, body.length, 10);
                FeedResult result = SseTestSupport.feedInReads(framer, handler, body, cuts);
                String where = "stream " + stream + " cuts " + Arrays.toString(cuts) + ": "
                        + SseTestSupport.latin1(body).replace("\r", "\\r").replace("\n", "\\n");
                assertEquals(SseTestSupport.expectedForCuts(reference, cuts), result.events(), where);
                assertEquals(reference.incompleteEventAtEnd(), result.incompleteEventAtEnd(), where);
            }
        }
    }

    private static final String[] VALUE_PIECES = {
        "a", "token", " ", "  ", ":", ": ", "{\"k\":1}", "é", "日本", "😀", "👨‍👩‍👧", "data", "event", "\t", "x y",
    };
    private static final String[] TERMINATORS = {"\n", "\r\n", "\r"};

    private static byte[] randomStream(Random random) {
        StringBuilder sb = new StringBuilder();
        if (random.nextInt(8) == 0) {
            sb.append('\uFEFF');
        }
        int lines = random.nextInt(14);
        for (int i = 0; i < lines; i++) {
            switch (random.nextInt(12)) {
                case 0, 1, 2 -> sb.append("data: ").append(randomValue(random));
                case 3 -> sb.append("data:").append(randomValue(random));
                case 4 -> sb.append("data");
                case 5 -> sb.append("event: ").append(randomValue(random));
                case 6 -> sb.append(random.nextBoolean() ? "id: 7" : "retry: 1000");
                case 7 -> sb.append(random.nextBoolean() ? ": keep-alive" : ":");
                case 8 -> sb.append(random.nextBoolean() ? "unknown: x" : "event");
                default -> { } // a blank line
            }
            if (i < lines - 1 || random.nextInt(3) != 0) {
                sb.append(TERMINATORS[random.nextInt(TERMINATORS.length)]);
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String randomValue(Random random) {
        StringBuilder sb = new StringBuilder();
        int pieces = random.nextInt(4);
        for (int i = 0; i < pieces; i++) {
            sb.append(VALUE_PIECES[random.nextInt(VALUE_PIECES.length)]);
        }
        return sb.toString();
    }

    // ---- Oversize protection ----

    private static byte[] body(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            out.writeBytes(part instanceof byte[] bytes ? bytes : ascii((String) part));
        }
        return out.toByteArray();
    }

    private static byte[] filled(int bytes, char c) {
        byte[] b = new byte[bytes];
        Arrays.fill(b, (byte) c);
        return b;
    }

    /** Feeds in fixed-size reads stamped 1, 2, ...; checks the memory bound after every read. */
    private void feedInChunksCheckingMemory(SseFramer framer, byte[] body, int chunkBytes, int maxEventBytes) {
        long stamp = 1;
        for (int off = 0; off < body.length; off += chunkBytes) {
            framer.feed(body, off, Math.min(chunkBytes, body.length - off), stamp++);
            assertBounded(framer, maxEventBytes);
        }
    }

    private static void assertBounded(SseFramer framer, int maxEventBytes) {
        assertTrue(framer.partialLineCapacityBytes() <= maxEventBytes, "line buffer " + framer.partialLineCapacityBytes());
        assertTrue(framer.dataCapacityBytes() <= maxEventBytes, "data buffer " + framer.dataCapacityBytes());
        assertTrue(framer.eventTypeCapacityBytes() <= maxEventBytes, "event buffer " + framer.eventTypeCapacityBytes());
        assertTrue(framer.heldBytes() <= maxEventBytes, "held " + framer.heldBytes());
    }

    @Test
    void tenMebibyteLineAcrossReadsIsDroppedAndLaterEventsStillArrive() {
        SseFramer framer = new SseFramer(handler, MAX_EVENT_BYTES);
        byte[] stream = body("data: before\n\n", "data: ", filled(10 * MIB, 'x'), "\n\n", "event: e\ndata: after\n\n");
        int chunkBytes = 64 * 1024;
        feedInChunksCheckingMemory(framer, stream, chunkBytes, MAX_EVENT_BYTES);
        assertEquals(1, handler.oversizeArrivalNanos.size());
        // Reported by the read in which the held line would have passed the limit.
        long crossingRead = (14 + MAX_EVENT_BYTES) / chunkBytes + 1;
        assertEquals(crossingRead, handler.oversizeArrivalNanos.get(0));
        long lastRead = (stream.length + chunkBytes - 1) / chunkBytes;
        assertEquals(List.of(Event.utf8("", "before", 1), Event.utf8("e", "after", lastRead)), handler.events);
        assertFalse(framer.end(0), "the oversize event was already reported");
        assertBounded(framer, MAX_EVENT_BYTES);
    }

    @Test
    void tenMebibyteLineInOneReadIsDroppedWithoutBeingCopied() {
        SseFramer framer = new SseFramer(handler, MAX_EVENT_BYTES);
        byte[] stream = body("data: before\n\n", "data: ", filled(10 * MIB, 'x'), "\n\ndata: after\n\n");
        framer.feed(stream, 0, stream.length, 42);
        assertEquals(List.of(42L), handler.oversizeArrivalNanos);
        assertEquals(List.of(Event.utf8("", "before", 42), Event.utf8("", "after", 42)), handler.events);
        assertTrue(framer.partialLineCapacityBytes() <= 1024 && framer.dataCapacityBytes() <= 1024,
                "a line seen whole is never copied");
    }

    @Test
    void endlessLineNeverHoldsMoreThanTheMaximum() {
        SseFramer framer = new SseFramer(handler, MAX_EVENT_BYTES);
        byte[] chunk = filled(MIB, 'y');
        byte[] start = ascii("data: ");
        framer.feed(start, 0, start.length, 0);
        for (int i = 1; i <= 64; i++) { // 64 MiB with no line end
            framer.feed(chunk, 0, chunk.length, i);
            assertBounded(framer, MAX_EVENT_BYTES);
        }
        assertEquals(List.of(4L), handler.oversizeArrivalNanos, "reported once, by the read that passed the limit");
        assertFalse(framer.end(65));
        // The same framer is fine for the next stream.
        byte[] next = ascii("data: ok\n\n");
        framer.feed(next, 0, next.length, 66);
        assertEquals(List.of(Event.utf8("", "ok", 66)), handler.events);
    }

    @Test
    void eventGrownPastTheMaximumByManyLinesIsDroppedWhole() {
        SseFramer framer = new SseFramer(handler, MAX_EVENT_BYTES);
        byte[] line = body("data: ", filled(MIB - 7, 'z'), "\n"); // one MiB per line, terminator included
        byte[] stream = body(line, line, line, line, line, "\n", "data: next\n\n");
        feedInChunksCheckingMemory(framer, stream, 100_000, MAX_EVENT_BYTES);
        assertEquals(1, handler.oversizeArrivalNanos.size());
        assertEquals(List.of("next"), handler.events.stream().map(e -> SseTestSupport.utf8Text(e.dataLatin1())).toList());
    }

    @Test
    void anOversizeLineInsideAnEventDropsTheWholeEventNotJustTheLine() {
        SseFramer framer = new SseFramer(handler, 64);
        FeedResult result = feedWhole(framer, "data: a\ndata: " + "w".repeat(100) + "\ndata: b\n\ndata: c\n\n");
        assertEquals(List.of(Event.utf8("", "c", 1)), result.events());
        assertEquals(List.of(1L), result.oversizeArrivalNanos());
    }

    /**
     * Right at the limit, split at every offset: whether an event is delivered must not depend on where the
     * reads fall. The limit counts the event type, the data so far and the whole line in progress.
     */
    @Test
    void limitIsExactAndTheSameWhereverTheReadsSplit() {
        int max = 32;
        String fits = "data: " + "f".repeat(26) + "\n\n";                  // 32-byte line
        String tooLong = "data: " + "t".repeat(27) + "\n\n";               // 33-byte line
        String typedFits = "event: ab\ndata: " + "g".repeat(24) + "\n\n";  // 2 held + 30-byte line
        String typedTooLong = "event: ab\ndata: " + "h".repeat(25) + "\n\n";
        String twoLinesFit = "data: " + "i".repeat(10) + "\ndata: " + "j".repeat(15) + "\n\n"; // 10 held + 21
        String twoLinesTooLong = "data: " + "k".repeat(10) + "\ndata: " + "l".repeat(17) + "\n\n";
        String comment = ": " + "c".repeat(40) + "\n\n";                   // oversize even as a comment
        byte[] stream = ascii(fits + tooLong + typedFits + typedTooLong + twoLinesFit + twoLinesTooLong + comment
                + "data: end\n\n");
        List<Event> expected = List.of(Event.utf8("", "f".repeat(26), 0), Event.utf8("ab", "g".repeat(24), 0),
                Event.utf8("", "i".repeat(10) + "\n" + "j".repeat(15), 0), Event.utf8("", "end", 0));
        SseFramer framer = new SseFramer(handler, max);
        for (int cut = 0; cut <= stream.length; cut++) {
            for (int cut2 = cut; cut2 <= Math.min(stream.length, cut + 40); cut2 += 13) {
                FeedResult result = SseTestSupport.feedInReads(framer, handler, stream, new int[] {cut, cut2});
                assertEquals(expected, SseTestSupport.withoutArrivals(result.events()), "cut at " + cut + "," + cut2);
                assertEquals(4, result.oversizeArrivalNanos().size(), "cut at " + cut + "," + cut2);
                assertBounded(framer, max);
            }
        }
        FeedResult byteAtATime = SseTestSupport.feedInReads(framer, handler, stream, SseTestSupport.everyByte(stream.length));
        assertEquals(expected, SseTestSupport.withoutArrivals(byteAtATime.events()));
    }
}
