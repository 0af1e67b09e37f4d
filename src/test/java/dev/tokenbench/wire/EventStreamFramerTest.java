package dev.tokenbench.wire;

import static dev.tokenbench.wire.EventStreamTestFrames.bool;
import static dev.tokenbench.wire.EventStreamTestFrames.byteValue;
import static dev.tokenbench.wire.EventStreamTestFrames.bytes;
import static dev.tokenbench.wire.EventStreamTestFrames.concat;
import static dev.tokenbench.wire.EventStreamTestFrames.event;
import static dev.tokenbench.wire.EventStreamTestFrames.frame;
import static dev.tokenbench.wire.EventStreamTestFrames.frameEnds;
import static dev.tokenbench.wire.EventStreamTestFrames.intValue;
import static dev.tokenbench.wire.EventStreamTestFrames.longValue;
import static dev.tokenbench.wire.EventStreamTestFrames.shortValue;
import static dev.tokenbench.wire.EventStreamTestFrames.string;
import static dev.tokenbench.wire.EventStreamTestFrames.timestamp;
import static dev.tokenbench.wire.EventStreamTestFrames.uuid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

/**
 * Golden frames built from the format's description (and checked against the AWS SDK's own event-stream encoder),
 * replayed cut at every byte offset (mid-prelude, mid-headers, mid-payload, mid-CRC) and byte by byte: the same
 * frames every time, each stamped with the read that completed it. Broken frames are reported once and end the
 * stream, whatever the cut.
 */
class EventStreamFramerTest {

    private static final int MAX_FRAME_BYTES = 16 << 20;
    /** Larger than the carry-over buffer's first size, so that carrying it grows the buffer. */
    private static final int BIG_PAYLOAD_BYTES = 3_000;
    private static final UUID SOME_UUID = UUID.fromString("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");

    /** A frame as the handler saw it: headers as "name:type=value", payload as text, stamp. */
    record Seen(List<String> headers, String payload, long arrivalNanos) {
    }

    static final class Recorder implements EventStreamFramer.FrameHandler {
        final List<Seen> frames = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        final List<Long> errorStamps = new ArrayList<>();

        @Override
        public void onFrame(EventStreamFramer.Headers headers, int payloadOffset, int payloadLength,
                long arrivalNanos) {
            List<String> list = new ArrayList<>();
            for (int i = 0; i < headers.count(); i++) {
                list.add(headers.nameAsString(i) + ":" + headers.type(i) + "=" + headers.valueAsString(i));
            }
            frames.add(new Seen(list,
                    new String(headers.array(), payloadOffset, payloadLength, StandardCharsets.ISO_8859_1),
                    arrivalNanos));
        }

        @Override
        public void onFramingError(String reason, long arrivalNanos) {
            errors.add(reason);
            errorStamps.add(arrivalNanos);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Every header type, an empty payload, a multi-byte payload, a payload larger than one socket read. */
    private static List<byte[]> goldenFrames() {
        byte[] big = new byte[BIG_PAYLOAD_BYTES];
        new Random(7).nextBytes(big);
        return List.of(
                event("messageStart", "{\"p\":\"abcd\",\"role\":\"assistant\"}"),
                frame(List.of(string(":event-type", "allTypes"), bool("yes", true), bool("no", false),
                        byteValue("byte", (byte) -7), shortValue("short", (short) -30_000),
                        intValue("int", 2_000_000_000), longValue("long", -5_000_000_000L),
                        bytes("bytes", new byte[] {1, 2, 3}), timestamp("ts", 1_700_000_000_123L),
                        uuid("id", SOME_UUID), string("empty", "")), new byte[0]),
                event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"wörld 🌍 東京\"}}"),
                frame(List.of(), new byte[0]),
                frame(List.of(string(":event-type", "big")), big),
                event("messageStop", "{\"stopReason\":\"end_turn\"}"));
    }

    private static List<Seen> expectedFrames(int[] cuts, int[] ends) {
        return expectedFrames(cuts, ends, ends.length);
    }

    /** The first {@code count} golden frames as the handler must see them when the stream is cut at cuts. */
    private static List<Seen> expectedFrames(int[] cuts, int[] ends, int count) {
        byte[] big = new byte[BIG_PAYLOAD_BYTES];
        new Random(7).nextBytes(big);
        List<List<String>> headers = List.of(
                List.of(":event-type:7=messageStart", ":content-type:7=application/json", ":message-type:7=event"),
                List.of(":event-type:7=allTypes", "yes:0=true", "no:1=false", "byte:2=-7", "short:3=-30000",
                        "int:4=2000000000", "long:5=-5000000000", "bytes:6=\u0001\u0002\u0003",
                        "ts:8=1700000000123", "id:9=0f1e2d3c4b5a69788796a5b4c3d2e1f0", "empty:7="),
                List.of(":event-type:7=contentBlockDelta", ":content-type:7=application/json",
                        ":message-type:7=event"),
                List.of(),
                List.of(":event-type:7=big"),
                List.of(":event-type:7=messageStop", ":content-type:7=application/json", ":message-type:7=event"));
        List<String> payloads = List.of("{\"p\":\"abcd\",\"role\":\"assistant\"}", "",
                new String(utf8("{\"contentBlockIndex\":0,\"delta\":{\"text\":\"wörld 🌍 東京\"}}"),
                        StandardCharsets.ISO_8859_1),
                "", new String(big, StandardCharsets.ISO_8859_1), "{\"stopReason\":\"end_turn\"}");
        List<Seen> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add(new Seen(headers.get(i), payloads.get(i), stampFor(ends[i], cuts)));
        }
        return expected;
    }

    /** Feeds {@code stream} as reads ending at {@code cuts}; read k is stamped with its end offset. */
    private static Recorder feed(byte[] stream, int[] cuts, EventStreamFramer[] framerOut) {
        Recorder recorder = new Recorder();
        EventStreamFramer framer = new EventStreamFramer(recorder, MAX_FRAME_BYTES);
        int from = 0;
        for (int cut : cuts) {
            byte[] read = new byte[cut - from + 6];
            Arrays.fill(read, (byte) 0x77);
            System.arraycopy(stream, from, read, 3, cut - from);
            framer.feed(read, 3, cut - from, cut);
            from = cut;
        }
        if (framerOut != null) {
            framerOut[0] = framer;
        }
        return recorder;
    }

    private static long stampFor(int frameEnd, int[] cuts) {
        for (int cut : cuts) {
            if (frameEnd <= cut) {
                return cut;
            }
        }
        throw new IllegalArgumentException("frame ends after the stream");
    }

    /** Every way to cut the stream in two (incl. not at all), plus byte by byte. */
    private static List<int[]> cutPlans(int length) {
        List<int[]> plans = new ArrayList<>();
        for (int k = 1; k < length; k++) {
            plans.add(new int[] {k, length});
        }
        plans.add(new int[] {length});
        int[] byteByByte = new int[length];
        for (int i = 0; i < length; i++) {
            byteByByte[i] = i + 1;
        }
        plans.add(byteByByte);
        return plans;
    }

    @Test
    void testFramesAreWhatTheAwsSdkEncoderWrites() {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString("allTypes"));
        headers.put("yes", HeaderValue.fromBoolean(true));
        headers.put("no", HeaderValue.fromBoolean(false));
        headers.put("int", HeaderValue.fromInteger(2_000_000_000));
        headers.put("long", HeaderValue.fromLong(-5_000_000_000L));
        headers.put("bytes", HeaderValue.fromByteArray(new byte[] {1, 2, 3}));
        headers.put("ts", HeaderValue.fromTimestamp(Instant.ofEpochMilli(1_700_000_000_123L)));
        headers.put("id", HeaderValue.fromUuid(SOME_UUID));
        ByteBuffer aws = new Message(headers, utf8("{}")).toByteBuffer();
        byte[] awsBytes = new byte[aws.remaining()];
        aws.get(awsBytes);
        // The SDK's encoder (eventstream 1.0.1) refuses empty strings, which the format allows, and writes byte
        // and short headers without their value bytes: those three stay out of the comparison.
        assertArrayEquals(awsBytes, frame(List.of(string(":event-type", "allTypes"), bool("yes", true),
                bool("no", false), intValue("int", 2_000_000_000), longValue("long", -5_000_000_000L),
                bytes("bytes", new byte[] {1, 2, 3}), timestamp("ts", 1_700_000_000_123L), uuid("id", SOME_UUID)),
                utf8("{}")));

        Map<String, HeaderValue> bedrock = new LinkedHashMap<>();
        bedrock.put(":event-type", HeaderValue.fromString("messageStop"));
        bedrock.put(":content-type", HeaderValue.fromString("application/json"));
        bedrock.put(":message-type", HeaderValue.fromString("event"));
        ByteBuffer awsStop = new Message(bedrock, utf8("{\"stopReason\":\"end_turn\"}")).toByteBuffer();
        byte[] awsStopBytes = new byte[awsStop.remaining()];
        awsStop.get(awsStopBytes);
        assertArrayEquals(awsStopBytes, goldenFrames().get(5));
    }

    @Test
    void sameFramesAtEveryCutStampedWithTheReadThatCompletedThem() {
        byte[] stream = concat(goldenFrames());
        int[] ends = frameEnds(stream);
        assertEquals(6, ends.length);
        assertEquals(stream.length, ends[5]);
        int plans = 0;
        for (int[] cuts : cutPlans(stream.length)) {
            EventStreamFramer[] framer = new EventStreamFramer[1];
            Recorder recorder = feed(stream, cuts, framer);
            String where = cuts.length == 2 ? "cut at " + cuts[0] : cuts.length + " reads";
            assertEquals(List.of(), recorder.errors, where);
            assertEquals(expectedFrames(cuts, ends), recorder.frames, where);
            assertEquals(0, framer[0].heldBytes(), where);
            assertFalse(framer[0].end(0), where);
            plans++;
        }
        assertEquals(stream.length + 1, plans);
    }

    @Test
    void agreesWithTheAwsSdkDecoderOnRandomFrames() {
        Random random = new Random(42);
        List<byte[]> frames = new ArrayList<>();
        List<Message> awsMessages = new ArrayList<>();
        for (int f = 0; f < 200; f++) {
            Map<String, HeaderValue> headers = new LinkedHashMap<>();
            int headerCount = random.nextInt(5);
            for (int h = 0; h < headerCount; h++) {
                headers.put("h" + h, HeaderValue.fromString("v" + random.nextInt(1000)));
            }
            byte[] payload = new byte[random.nextInt(300)];
            random.nextBytes(payload);
            Message message = new Message(headers, payload);
            ByteBuffer buffer = message.toByteBuffer();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            frames.add(bytes);
            awsMessages.add(message);
        }
        byte[] stream = concat(frames);
        MessageDecoder awsDecoder = new MessageDecoder();
        awsDecoder.feed(stream);
        List<Message> decodedByAws = awsDecoder.getDecodedMessages();
        for (int trial = 0; trial < 20; trial++) {
            int[] cuts = randomCuts(random, stream.length, 97);
            Recorder recorder = feed(stream, cuts, null);
            assertEquals(List.of(), recorder.errors);
            assertEquals(decodedByAws.size(), recorder.frames.size());
            for (int i = 0; i < decodedByAws.size(); i++) {
                Message aws = decodedByAws.get(i);
                assertEquals(awsMessages.get(i), aws);
                List<String> headers = new ArrayList<>();
                aws.getHeaders().forEach((name, value) -> headers.add(name + ":7=" + value.getString()));
                assertEquals(headers, recorder.frames.get(i).headers());
                assertEquals(new String(aws.getPayload(), StandardCharsets.ISO_8859_1),
                        recorder.frames.get(i).payload());
            }
        }
    }

    private static int[] randomCuts(Random random, int length, int reads) {
        int[] cuts = random.ints(reads, 1, length).sorted().distinct().toArray();
        int[] withEnd = Arrays.copyOf(cuts, cuts.length + 1);
        withEnd[cuts.length] = length;
        return withEnd;
    }

    /** A corruption anywhere in frame k: frames before it are delivered, one error, nothing after, at every cut. */
    private static void assertBrokenAtFrame(byte[] stream, int brokenFrame, String errorStart) {
        int[] ends = frameEnds(concat(goldenFrames()));
        for (int[] cuts : cutPlans(stream.length)) {
            Recorder recorder = feed(stream, cuts, null);
            String where = cuts.length == 2 ? "cut at " + cuts[0] : cuts.length + " reads";
            assertEquals(brokenFrame, recorder.frames.size(), where);
            assertEquals(expectedFrames(cuts, ends, brokenFrame), recorder.frames, where);
            assertEquals(1, recorder.errors.size(), where + ": " + recorder.errors);
            assertTrue(recorder.errors.get(0).startsWith(errorStart), where + ": " + recorder.errors.get(0));
        }
    }

    @Test
    void aBadPreludeCrcIsOneFramingErrorAndTheRestIsIgnored() {
        byte[] golden = concat(goldenFrames());
        int[] ends = frameEnds(golden);
        byte[] stream = EventStreamTestFrames.withFlippedByte(golden, ends[1] + 9); // frame 2's prelude CRC
        assertBrokenAtFrame(stream, 2, "prelude CRC mismatch");
    }

    @Test
    void aBadMessageCrcIsOneFramingError() {
        byte[] golden = concat(goldenFrames());
        int[] ends = frameEnds(golden);
        byte[] payloadFlipped = EventStreamTestFrames.withFlippedByte(golden, ends[2] - 10);
        assertBrokenAtFrame(payloadFlipped, 2, "message CRC mismatch");
        byte[] crcFlipped = EventStreamTestFrames.withFlippedByte(golden, ends[4] - 2);
        assertBrokenAtFrame(crcFlipped, 4, "message CRC mismatch");
        byte[] headerFlipped = EventStreamTestFrames.withFlippedByte(golden, ends[0] + 14);
        assertBrokenAtFrame(headerFlipped, 1, "message CRC mismatch");
    }

    @Test
    void aFrameLongerOrShorterThanItsPreludeSaysFailsItsMessageCrc() {
        byte[] golden = concat(goldenFrames());
        int[] ends = frameEnds(golden);
        int frame2Length = ends[2] - ends[1];
        // The frame's bytes run on past where its prelude says it ends: the CRC is read from the wrong place.
        byte[] shorterDeclared = EventStreamTestFrames.withDeclaredTotal(golden, ends[1], frame2Length - 5);
        assertBrokenAtFrame(shorterDeclared, 2, "message CRC mismatch");
        byte[] longerDeclared = EventStreamTestFrames.withDeclaredTotal(golden, ends[1], frame2Length + 16);
        assertBrokenAtFrame(longerDeclared, 2, "message CRC mismatch");
    }

    @Test
    void anOversizeFrameIsRejectedFromItsPreludeBeforeAnyOfItIsHeld() {
        Recorder recorder = new Recorder();
        EventStreamFramer framer = new EventStreamFramer(recorder, 1024);
        byte[] prelude = EventStreamTestFrames.prelude(20L << 20, 100);
        framer.feed(prelude, 0, 6, 1);
        assertEquals(List.of(), recorder.errors, "mid-prelude: nothing known yet");
        framer.feed(prelude, 6, 6, 2);
        assertEquals(1, recorder.errors.size());
        assertEquals("a frame of 20971520 bytes exceeds the maximum of 1024 bytes", recorder.errors.get(0));
        assertEquals(List.of(2L), recorder.errorStamps);
        assertTrue(framer.failed());
        assertEquals(0, framer.heldBytes());
        byte[] more = event("messageStop", "{}");
        framer.feed(more, 0, more.length, 3);
        assertEquals(List.of(), recorder.frames, "nothing after a framing error");
        assertEquals(1, recorder.errors.size());
        assertFalse(framer.end(4), "the error was reported already");

        // A uint32 length past Integer.MAX_VALUE is oversize, not negative.
        Recorder huge = new Recorder();
        byte[] hugePrelude = EventStreamTestFrames.prelude(0xFFFF_FFF0L, 0);
        new EventStreamFramer(huge, MAX_FRAME_BYTES).feed(hugePrelude, 0, 12, 9);
        assertEquals(List.of("a frame of 4294967280 bytes exceeds the maximum of 16777216 bytes"), huge.errors);
    }

    @Test
    void anOversizeFrameAfterGoodOnesAtEveryCut() {
        byte[] golden = concat(goldenFrames());
        int[] ends = frameEnds(golden);
        byte[] stream = concat(Arrays.copyOf(golden, ends[2]), EventStreamTestFrames.prelude(17L << 20, 10),
                new byte[40]);
        assertBrokenAtFrame(stream, 3, "a frame of 17825792 bytes exceeds the maximum");
    }

    @Test
    void impossiblePreludesAreFramingErrors() {
        for (long[] lengths : new long[][] {{15, 0}, {0, 0}, {16, 1}, {100, 85}}) {
            Recorder recorder = new Recorder();
            byte[] prelude = EventStreamTestFrames.prelude(lengths[0], lengths[1]);
            new EventStreamFramer(recorder, MAX_FRAME_BYTES).feed(prelude, 0, prelude.length, 1);
            assertEquals(List.of("impossible prelude: total length " + lengths[0] + ", headers length "
                    + lengths[1]), recorder.errors);
        }
    }

    @Test
    void malformedHeadersAreFramingErrors() {
        byte[] unknownType = frameWithRawHeaders(new byte[] {1, 'a', 10});
        byte[] nameOverrun = frameWithRawHeaders(new byte[] {5, 'a', 'b'});
        byte[] valueOverrun = frameWithRawHeaders(new byte[] {1, 'a', 7, 0, 9, 'x'});
        byte[] lengthOverrun = frameWithRawHeaders(new byte[] {1, 'a', 6, 0});
        byte[] intOverrun = frameWithRawHeaders(new byte[] {1, 'a', 4, 0, 0});
        String[] expected = {"unknown header value type 10", "a header name overruns",
            "a header value overruns", "a header value length overruns", "a header value overruns"};
        byte[][] frames = {unknownType, nameOverrun, valueOverrun, lengthOverrun, intOverrun};
        for (int i = 0; i < frames.length; i++) {
            Recorder recorder = new Recorder();
            new EventStreamFramer(recorder, MAX_FRAME_BYTES).feed(frames[i], 0, frames[i].length, 1);
            assertEquals(List.of(), recorder.frames);
            assertEquals(1, recorder.errors.size());
            assertTrue(recorder.errors.get(0).startsWith(expected[i]), recorder.errors.get(0));
        }
    }

    /** A frame with CRCs right around a hand-made headers block. */
    private static byte[] frameWithRawHeaders(byte[] headerBlock) {
        int total = 12 + headerBlock.length + 4;
        ByteBuffer frame = ByteBuffer.allocate(total);
        frame.putInt(total).putInt(headerBlock.length);
        frame.putInt((int) EventStreamTestFrames.crc32(frame.array(), 0, 8));
        frame.put(headerBlock);
        frame.putInt((int) EventStreamTestFrames.crc32(frame.array(), 0, total - 4));
        return frame.array();
    }

    @Test
    void endTellsAnIncompleteFrameFromABoundaryAndResets() {
        byte[] stream = concat(goldenFrames());
        int[] ends = frameEnds(stream);
        for (int cut : new int[] {ends[1] + 3, ends[1] + 12, ends[2] - 1}) {
            Recorder recorder = new Recorder();
            EventStreamFramer framer = new EventStreamFramer(recorder, MAX_FRAME_BYTES);
            framer.feed(stream, 0, cut, 1);
            assertEquals(2, recorder.frames.size());
            assertTrue(framer.end(2), "cut at " + cut);
            // Reusable after end: a whole stream frames normally.
            framer.feed(stream, 0, stream.length, 3);
            assertEquals(8, recorder.frames.size());
            assertFalse(framer.end(4));
        }
    }

    @Test
    void carryOverMemoryStaysWithinTheLimit() {
        Recorder recorder = new Recorder();
        int max = 4096;
        EventStreamFramer framer = new EventStreamFramer(recorder, max);
        byte[] payload = new byte[max - 16 - 20];
        byte[] frame = frame(List.of(string(":event-type", "x")), payload);
        assertTrue(frame.length <= max);
        for (int i = 0; i < frame.length; i += 100) {
            framer.feed(frame, i, Math.min(100, frame.length - i), i);
            assertTrue(framer.heldBytes() <= max);
        }
        assertEquals(1, recorder.frames.size());
        assertEquals(List.of(), recorder.errors);
    }

    /** Decodes each frame's headers and payload as the Bedrock decoder would; allocation-free by construction. */
    private static final class CountingHandler implements EventStreamFramer.FrameHandler {
        private static final byte[] EVENT_TYPE = utf8(":event-type");
        private static final byte[] DELTA = utf8("contentBlockDelta");
        private static final byte[] TEXT = utf8("text");
        final JsonScanner json = new JsonScanner();
        final ByteSink text = new ByteSink(256);
        long deltas;

        @Override
        public void onFrame(EventStreamFramer.Headers headers, int payloadOffset, int payloadLength,
                long arrivalNanos) {
            if (headers.stringEquals(EVENT_TYPE, DELTA)) {
                deltas++;
                json.reset(headers.array(), payloadOffset, payloadLength);
                int t;
                while ((t = json.next()) != JsonScanner.END && t != JsonScanner.ERROR) {
                    if (t == JsonScanner.NAME && json.textEquals(TEXT) && json.next() == JsonScanner.STRING) {
                        text.reset();
                        json.appendText(text);
                    }
                }
            }
        }

        @Override
        public void onFramingError(String reason, long arrivalNanos) {
            throw new AssertionError(reason);
        }
    }

    @Test
    void framingAllocatesNothingPerFrame() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "HotSpot allocation counters");
        com.sun.management.ThreadMXBean counters = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(counters.isThreadAllocatedMemorySupported() && counters.isThreadAllocatedMemoryEnabled());

        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            frames.add(event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\" tok\\u00e9n " + i
                    + "\"},\"p\":\"abcdefghijklmnop\"}"));
        }
        byte[] stream = concat(frames);
        Random random = new Random(3);
        int[][] splits = new int[64][];
        for (int i = 0; i < splits.length; i++) {
            splits[i] = randomCuts(random, stream.length, 40);
        }
        CountingHandler handler = new CountingHandler();
        EventStreamFramer framer = new EventStreamFramer(handler, MAX_FRAME_BYTES);
        for (int warm = 0; warm < 200; warm++) {
            feedAll(framer, stream, splits[warm % splits.length]);
        }
        long threadId = Thread.currentThread().getId();
        long before = counters.getThreadAllocatedBytes(threadId);
        int rounds = 500;
        for (int r = 0; r < rounds; r++) {
            feedAll(framer, stream, splits[r % splits.length]);
        }
        long allocated = counters.getThreadAllocatedBytes(threadId) - before;
        assertEquals(700L * 50, handler.deltas);
        // Allowance for the counter's own noise; per frame this is well under one byte.
        assertTrue(allocated < 16 * 1024, "allocated " + allocated + " bytes for " + rounds * 50 + " frames");
    }

    private static void feedAll(EventStreamFramer framer, byte[] stream, int[] cuts) {
        int from = 0;
        for (int cut : cuts) {
            framer.feed(stream, from, cut - from, cut);
            from = cut;
        }
        assertFalse(framer.end(0));
    }
}
