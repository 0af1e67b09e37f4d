package dev.tokenbench.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Shared pieces of the SSE tests: a recording handler, a spec-literal reference parser, read splitters. */
final class SseTestSupport {

    private SseTestSupport() {
    }

    /**
     * One event as bytes, kept as ISO-8859-1 strings so that equality is byte-exact (each byte is one char).
     */
    record Event(String eventLatin1, String dataLatin1, long arrivalNanos) {
        static Event utf8(String event, String data, long arrivalNanos) {
            return new Event(latin1(event.getBytes(StandardCharsets.UTF_8)),
                    latin1(data.getBytes(StandardCharsets.UTF_8)), arrivalNanos);
        }

        Event withoutArrival() {
            return new Event(eventLatin1, dataLatin1, 0);
        }

        @Override
        public String toString() {
            return "Event[" + utf8Text(eventLatin1) + " | " + utf8Text(dataLatin1).replace("\n", "\\n")
                    + " @" + arrivalNanos + "]";
        }
    }

    static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static String utf8Text(String latin1) {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    static final class RecordingHandler implements SseFramer.EventHandler {
        final List<Event> events = new ArrayList<>();
        final List<Long> oversizeArrivalNanos = new ArrayList<>();

        @Override
        public void onEvent(byte[] event, int eventLength, byte[] data, int dataLength, long arrivalNanos) {
            events.add(new Event(new String(event, 0, eventLength, StandardCharsets.ISO_8859_1),
                    new String(data, 0, dataLength, StandardCharsets.ISO_8859_1), arrivalNanos));
        }

        @Override
        public void onOversize(long arrivalNanos) {
            oversizeArrivalNanos.add(arrivalNanos);
        }
    }

    /** What the reference parser found: events stamped with the index of the byte that completed each. */
    record ReferenceResult(List<Event> eventsAtByteIndex, boolean incompleteEventAtEnd) {
    }

    /**
     * The WHATWG event-stream algorithm written as literally as possible, over the whole body at once, with
     * strings: deliberately nothing like the framer, so that the two can be compared.
     */
    static ReferenceResult referenceParse(byte[] body) {
        String s = latin1(body);
        int i = s.startsWith("\u00EF\u00BB\u00BF") ? 3 : 0;
        List<Event> events = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        StringBuilder dataBuffer = new StringBuilder();
        String[] eventTypeBuffer = {""};
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n') {
                processReferenceLine(line.toString(), i, dataBuffer, eventTypeBuffer, events);
                line.setLength(0);
                if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                    i++;
                }
            } else {
                line.append(c);
            }
        }
        String partial = line.toString();
        boolean incomplete = dataBuffer.length() > 0 || partial.equals("data") || partial.startsWith("data:");
        return new ReferenceResult(events, incomplete);
    }

    private static void processReferenceLine(String line, int terminatorIndex, StringBuilder dataBuffer,
            String[] eventTypeBuffer, List<Event> events) {
        if (line.isEmpty()) {
            if (dataBuffer.length() == 0) {
                eventTypeBuffer[0] = "";
                return;
            }
            String data = dataBuffer.substring(0, dataBuffer.length() - 1); // the spec's trailing LF
            events.add(new Event(eventTypeBuffer[0], data, terminatorIndex));
            dataBuffer.setLength(0);
            eventTypeBuffer[0] = "";
            return;
        }
        if (line.startsWith(":")) {
            return;
        }
        String field;
        String value;
        int colon = line.indexOf(':');
        if (colon >= 0) {
            field = line.substring(0, colon);
            value = line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
        } else {
            field = line;
            value = "";
        }
        if (field.equals("event")) {
            eventTypeBuffer[0] = value;
        } else if (field.equals("data")) {
            dataBuffer.append(value).append('\n');
        }
    }

    /** The outcome of feeding a body to a framer in some reads. */
    record FeedResult(List<Event> events, List<Long> oversizeArrivalNanos, boolean incompleteEventAtEnd) {
    }

    /**
     * Feeds {@code body} cut at {@code cuts} (sorted offsets; repeats make empty reads). Read r (from 1) is
     * stamped r. Each read is copied into a larger array between junk bytes, so that a framer that looks
     * outside {@code [off, off + len)} goes wrong.
     */
    static FeedResult feedInReads(SseFramer framer, RecordingHandler handler, byte[] body, int[] cuts) {
        handler.events.clear();
        handler.oversizeArrivalNanos.clear();
        int from = 0;
        long stamp = 1;
        for (int c = 0; c <= cuts.length; c++) {
            int to = c < cuts.length ? cuts[c] : body.length;
            feedPadded(framer, body, from, to - from, stamp++);
            from = to;
        }
        boolean incomplete = framer.end(stamp);
        return new FeedResult(List.copyOf(handler.events), List.copyOf(handler.oversizeArrivalNanos), incomplete);
    }

    private static final byte[] JUNK = "\n\r\n\r:data: junk\n\n".getBytes(StandardCharsets.US_ASCII);

    private static void feedPadded(SseFramer framer, byte[] body, int from, int len, long stamp) {
        int pad = 5;
        byte[] read = new byte[len + 2 * pad];
        for (int i = 0; i < read.length; i++) {
            read[i] = JUNK[i % JUNK.length];
        }
        System.arraycopy(body, from, read, pad, len);
        framer.feed(read, pad, len, stamp);
    }

    /** The stamp of the read (numbered from 1) that holds byte {@code index}, for the given cuts. */
    static long readHolding(int index, int[] cuts) {
        long read = 1;
        for (int cut : cuts) {
            if (index >= cut) {
                read++;
            }
        }
        return read;
    }

    /** The reference events restamped with the read that completed each under the given cuts. */
    static List<Event> expectedForCuts(ReferenceResult reference, int[] cuts) {
        List<Event> expected = new ArrayList<>();
        for (Event e : reference.eventsAtByteIndex()) {
            expected.add(new Event(e.eventLatin1(), e.dataLatin1(), readHolding((int) e.arrivalNanos(), cuts)));
        }
        return expected;
    }

    static int[] everyByte(int length) {
        int[] cuts = new int[Math.max(0, length - 1)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        return cuts;
    }

    /** Up to {@code maxCuts} random cut offsets in [0, length], sorted, repeats allowed (empty reads). */
    static int[] randomCuts(Random random, int length, int maxCuts) {
        int[] cuts = new int[random.nextInt(maxCuts + 1)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = random.nextInt(length + 1);
        }
        Arrays.sort(cuts);
        return cuts;
    }

    static List<Event> withoutArrivals(List<Event> events) {
        List<Event> out = new ArrayList<>();
        for (Event e : events) {
            out.add(e.withoutArrival());
        }
        return out;
    }
}
