package dev.tokenbench.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32;

// Hand-written rather than taken from the AWS SDK's event-stream decoder because this runs once per streamed
// event on the hot path: it frames by index over the raw bytes, verifies both CRCs with one reused CRC32 over
// byte ranges, allocates nothing per frame, and hands the frame over in place when one read holds all of it.

/**
 * AWS event-stream framer ({@code application/vnd.amazon.eventstream}, as Bedrock's ConverseStream and
 * InvokeModelWithResponseStream send it), over raw bytes, carrying a partial frame across reads.
 *
 * <p>A frame is: a 12-byte prelude (total length and headers length, both uint32 big-endian, then the CRC32 of
 * those 8 bytes), the headers, the payload, and the CRC32 of everything before it. A header is its name length
 * (1 byte), its name, its value type (1 byte) and its value: 0 true and 1 false (no bytes), 2 byte, 3 short,
 * 4 int, 5 long, 6 byte array and 7 string (uint16 length, then the bytes), 8 timestamp (int64 ms), 9 UUID (16
 * bytes). Both CRCs are checked and the headers parsed before a frame is delivered.
 *
 * <p>A frame with a sound prelude that cannot be delivered (its message CRC does not match, or it is larger than
 * {@code maxFrameBytes}) goes to {@link FrameHandler#onDroppedFrame}, which may drop just that frame: the prelude's
 * CRC vouches for the length, so the next frame's start is known (a wrong length that slipped through shows up as
 * a bad prelude next). Otherwise a framing error (a CRC that does not match, a prelude whose lengths cannot be, a
 * frame larger than {@code maxFrameBytes}, headers that overrun their block or use an unknown type) is reported
 * once through
 * {@link FrameHandler#onFramingError} and leaves the framer failed: a byte stream without resynchronisation
 * points cannot be trusted after a bad length, so every later byte is ignored until {@link #reset()}. A frame
 * longer than its prelude says is caught by the message CRC, which is read where the prelude says the frame
 * ends. Nothing here throws on any input.
 *
 * <p>Memory is bounded by {@code maxFrameBytes}: a frame is checked against it as soon as its prelude is
 * complete, before any of its bytes are held. A frame that lies whole in one read is delivered from the
 * caller's buffer without a copy; only a frame still open at the end of a read is copied, into a buffer that
 * is reused and grows to the largest such frame seen.
 *
 * <p>Single-threaded; one instance per connection, reusable with {@link #reset()}. An exception thrown by the
 * handler propagates out of {@link #feed}, leaving the rest of that read unframed: reset before reuse.
 */
public final class EventStreamFramer {

    public interface FrameHandler {
        /**
         * One frame whose CRCs matched. The headers and the payload live in {@code headers.array()}, valid only
         * during the call. arrivalNanos: the stamp of the read that completed the frame.
         */
        void onFrame(Headers headers, int payloadOffset, int payloadLength, long arrivalNanos);

        /**
         * The stream cannot be framed: the framer ignores every later byte. {@code reason} holds no payload
         * bytes, only lengths and CRC values.
         */
        void onFramingError(String reason, long arrivalNanos);

        /**
         * A frame whose prelude was sound (its CRC matched, so its length is known) but that cannot be delivered:
         * its message CRC does not match, or it is larger than {@code maxFrameBytes}. Return true to drop that one
         * frame and go on with the next (an oversize frame's bytes are skipped as they arrive, never held); false
         * to treat it as a framing error. The default reports it through {@link #onFramingError} and stops.
         */
        default boolean onDroppedFrame(String reason, long arrivalNanos) {
            onFramingError(reason, arrivalNanos);
            return false;
        }
    }

    public static final int PRELUDE_BYTES = 12;
    /** The message CRC after the payload. */
    public static final int MESSAGE_CRC_BYTES = 4;
    /** A frame with no headers and no payload. */
    public static final int MIN_FRAME_BYTES = PRELUDE_BYTES + MESSAGE_CRC_BYTES;

    public static final int TYPE_BOOL_TRUE = 0, TYPE_BOOL_FALSE = 1, TYPE_BYTE = 2, TYPE_SHORT = 3, TYPE_INT = 4,
            TYPE_LONG = 5, TYPE_BYTES = 6, TYPE_STRING = 7, TYPE_TIMESTAMP = 8, TYPE_UUID = 9;

    /** Bedrock's events are a few hundred bytes; the carry-over buffer starts small and grows to what is seen. */
    private static final int INITIAL_CARRY_BYTES = 1024;
    /** Value widths by type; -1: a uint16 length precedes the value. */
    private static final int[] VALUE_WIDTHS = {0, 0, 1, 2, 4, 8, -1, -1, 8, 16};

    private final FrameHandler handler;
    private final int maxFrameBytes;
    private final CRC32 crc = new CRC32();
    private final Headers headers = new Headers();
    /** The frame still open at the end of the last read, prelude first. */
    private final ByteSink carry;
    /** Total length of the carried frame once its prelude is complete and valid; 0 before. */
    private int carriedFrameBytes;
    private boolean failed;
    /** Bytes of a dropped oversize frame still to skip. */
    private long skipBytes;

    /**
     * @param maxFrameBytes the largest frame accepted, prelude and CRCs included (e.g. 16 MiB); at least
     *     {@link #MIN_FRAME_BYTES}
     */
    public EventStreamFramer(FrameHandler handler, int maxFrameBytes) {
        this.handler = Objects.requireNonNull(handler, "handler");
        if (maxFrameBytes < MIN_FRAME_BYTES) {
            throw new IllegalArgumentException(
                    "maxFrameBytes must be at least " + MIN_FRAME_BYTES + ": " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
        this.carry = new ByteSink(Math.min(INITIAL_CARRY_BYTES, maxFrameBytes), maxFrameBytes);
    }

    /**
     * Frames one read. Frames completed by it are delivered to the handler, stamped with {@code arrivalNanos},
     * before this returns.
     */
    public void feed(byte[] buf, int off, int len, long arrivalNanos) {
        Objects.checkFromIndexSize(off, len, buf.length);
        final int end = off + len;
        int pos = off;
        while (pos < end && !failed) {
            if (skipBytes > 0) {
                int skip = (int) Math.min(skipBytes, end - pos);
                pos += skip;
                skipBytes -= skip;
                continue;
            }
            if (carry.length() > 0) {
                pos = continueCarriedFrame(buf, pos, end, arrivalNanos);
                continue;
            }
            int available = end - pos;
            if (available < PRELUDE_BYTES) {
                carry.append(buf, pos, available);
                return;
            }
            int frameBytes = checkPrelude(buf, pos, arrivalNanos);
            if (frameBytes < 0) {
                if (skipBytes > 0) {
                    continue; // an oversize frame dropped: skip it from its first byte
                }
                return;
            }
            if (available < frameBytes) {
                carry.append(buf, pos, available);
                carriedFrameBytes = frameBytes;
                return;
            }
            deliver(buf, pos, frameBytes, arrivalNanos);
            pos += frameBytes;
        }
    }

    /**
     * End of body. Returns true when a frame was incomplete (its bytes are dropped); false at a frame boundary
     * and after a framing error, which was reported already. The framer is then ready for another stream.
     */
    public boolean end(long arrivalNanos) {
        boolean incompleteFramePending = !failed && (carry.length() > 0 || skipBytes > 0);
        reset();
        return incompleteFramePending;
    }

    /** Reuse for another stream; keeps the carry-over buffer's capacity. */
    public void reset() {
        carry.reset();
        carriedFrameBytes = 0;
        failed = false;
        skipBytes = 0;
        headers.clear();
    }

    /** True after a framing error, until {@link #reset()}. */
    public boolean failed() {
        return failed;
    }

    /** Bytes held for the frame in progress. */
    public int heldBytes() {
        return carry.length();
    }

    private int continueCarriedFrame(byte[] buf, int pos, int end, long arrivalNanos) {
        int p = pos;
        if (carriedFrameBytes == 0) {
            int take = Math.min(PRELUDE_BYTES - carry.length(), end - p);
            carry.append(buf, p, take);
            p += take;
            if (carry.length() < PRELUDE_BYTES) {
                return p;
            }
            int frameBytes = checkPrelude(carry.array(), 0, arrivalNanos);
            if (frameBytes < 0) {
                if (skipBytes > 0) {
                    skipBytes -= PRELUDE_BYTES; // the prelude is read already
                    carry.reset();
                    return p;
                }
                return end;
            }
            carriedFrameBytes = frameBytes;
        }
        int take = Math.min(carriedFrameBytes - carry.length(), end - p);
        carry.append(buf, p, take);
        p += take;
        if (carry.length() == carriedFrameBytes) {
            int frameBytes = carriedFrameBytes;
            carriedFrameBytes = 0;
            try {
                deliver(carry.array(), 0, frameBytes, arrivalNanos);
            } finally {
                carry.reset();
            }
        }
        return p;
    }

    /** The frame's total length when its prelude is sound, else -1 after reporting why. */
    private int checkPrelude(byte[] b, int at, long arrivalNanos) {
        long totalBytes = readUint32(b, at);
        long headersBytes = readUint32(b, at + 4);
        long preludeCrc = readUint32(b, at + 8);
        crc.reset();
        crc.update(b, at, 8);
        if (crc.getValue() != preludeCrc) {
            fail("prelude CRC mismatch (frame says " + hex(preludeCrc) + ", bytes give " + hex(crc.getValue())
                    + ")", arrivalNanos);
            return -1;
        }
        if (totalBytes > maxFrameBytes) {
            String reason = "a frame of " + totalBytes + " bytes exceeds the maximum of " + maxFrameBytes + " bytes";
            if (handler.onDroppedFrame(reason, arrivalNanos)) {
                skipBytes = totalBytes;
            } else {
                stop();
            }
            return -1;
        }
        if (totalBytes < MIN_FRAME_BYTES || headersBytes > totalBytes - MIN_FRAME_BYTES) {
            fail("impossible prelude: total length " + totalBytes + ", headers length " + headersBytes,
                    arrivalNanos);
            return -1;
        }
        return (int) totalBytes;
    }

    private void deliver(byte[] b, int at, int frameBytes, long arrivalNanos) {
        int crcAt = at + frameBytes - MESSAGE_CRC_BYTES;
        long messageCrc = readUint32(b, crcAt);
        crc.reset();
        crc.update(b, at, frameBytes - MESSAGE_CRC_BYTES);
        if (crc.getValue() != messageCrc) {
            String reason = "message CRC mismatch in a frame of " + frameBytes + " bytes (frame says "
                    + hex(messageCrc) + ", bytes give " + hex(crc.getValue()) + ")";
            if (!handler.onDroppedFrame(reason, arrivalNanos)) {
                stop();
            }
            return;
        }
        int headersStart = at + PRELUDE_BYTES;
        int headersEnd = headersStart + (int) readUint32(b, at + 4);
        String problem = headers.parse(b, headersStart, headersEnd);
        if (problem != null) {
            fail(problem, arrivalNanos);
            return;
        }
        handler.onFrame(headers, headersEnd, crcAt - headersEnd, arrivalNanos);
    }

    private void fail(String reason, long arrivalNanos) {
        stop();
        handler.onFramingError(reason, arrivalNanos);
    }

    /** Failed: every later byte is ignored until {@link #reset()}. */
    private void stop() {
        failed = true;
        carry.reset();
        carriedFrameBytes = 0;
        skipBytes = 0;
        headers.clear();
    }

    static long readUint32(byte[] b, int at) {
        return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8)
                | (b[at + 3] & 0xFFL);
    }

    private static String hex(long crc32) {
        return String.format("%08x", crc32);
    }

    /**
     * The headers of the frame being delivered: offsets into {@link #array()}, parsed once per frame into
     * reused arrays. Lookups compare bytes; nothing is decoded unless asked for with the allocating
     * {@code …AsString} methods, which are for rare paths (errors, tests).
     */
    public static final class Headers {
        private static final int INITIAL_HEADERS = 8;

        private byte[] buf;
        private int count;
        private int[] nameOffsets = new int[INITIAL_HEADERS];
        private int[] nameLengths = new int[INITIAL_HEADERS];
        private int[] types = new int[INITIAL_HEADERS];
        private int[] valueOffsets = new int[INITIAL_HEADERS];
        private int[] valueLengths = new int[INITIAL_HEADERS];

        Headers() {
        }

        /** The array the headers (and the payload after them) live in: valid only during onFrame. */
        public byte[] array() {
            return buf;
        }

        public int count() {
            return count;
        }

        /** Index of the first header named {@code name}, or -1. */
        public int indexOf(byte[] name) {
            for (int i = 0; i < count; i++) {
                if (nameEquals(i, name)) {
                    return i;
                }
            }
            return -1;
        }

        public boolean nameEquals(int index, byte[] name) {
            return rangeEquals(nameOffsets[index], nameLengths[index], name);
        }

        /** One of the {@code TYPE_} constants. */
        public int type(int index) {
            return types[index];
        }

        /** Where the value's bytes start (for strings and byte arrays: after their length). */
        public int valueOffset(int index) {
            return valueOffsets[index];
        }

        /** The value's length in bytes: 0 for booleans, the width for numbers, the length for strings. */
        public int valueLength(int index) {
            return valueLengths[index];
        }

        /** True when header {@code index} is a string or byte array holding exactly {@code value}. */
        public boolean valueEquals(int index, byte[] value) {
            int type = types[index];
            return (type == TYPE_STRING || type == TYPE_BYTES)
                    && rangeEquals(valueOffsets[index], valueLengths[index], value);
        }

        /**
         * True when header {@code name} is present as a string or byte array equal to {@code value}.
         */
        public boolean stringEquals(byte[] name, byte[] value) {
            int i = indexOf(name);
            return i >= 0 && valueEquals(i, value);
        }

        /** Allocation: rare paths only. The name, decoded as UTF-8. */
        public String nameAsString(int index) {
            return new String(buf, nameOffsets[index], nameLengths[index], StandardCharsets.UTF_8);
        }

        /**
         * Allocation: rare paths only. A string or byte array value decoded as UTF-8; a number as its decimal
         * text; a boolean as true/false; a timestamp as epoch milliseconds; a UUID as 32 hex digits.
         */
        public String valueAsString(int index) {
            int at = valueOffsets[index];
            switch (types[index]) {
                case TYPE_BOOL_TRUE:
                    return "true";
                case TYPE_BOOL_FALSE:
                    return "false";
                case TYPE_STRING:
                case TYPE_BYTES:
                    return new String(buf, at, valueLengths[index], StandardCharsets.UTF_8);
                case TYPE_UUID: {
                    StringBuilder hex = new StringBuilder(32);
                    for (int i = at; i < at + 16; i++) {
                        hex.append(Character.forDigit((buf[i] >> 4) & 0xF, 16))
                                .append(Character.forDigit(buf[i] & 0xF, 16));
                    }
                    return hex.toString();
                }
                default:
                    return Long.toString(signedValue(at, valueLengths[index]));
            }
        }

        /** Allocation: rare paths only. The string value of header {@code name}, or null when absent. */
        public String stringOrNull(byte[] name) {
            int i = indexOf(name);
            return i < 0 ? null : valueAsString(i);
        }

        private long signedValue(int at, int width) {
            long value = buf[at]; // sign-extends the most significant byte
            for (int i = at + 1; i < at + width; i++) {
                value = (value << 8) | (buf[i] & 0xFF);
            }
            return value;
        }

        private boolean rangeEquals(int off, int len, byte[] literal) {
            if (len != literal.length) {
                return false;
            }
            for (int i = 0; i < len; i++) {
                if (buf[off + i] != literal[i]) {
                    return false;
                }
            }
            return true;
        }

        void clear() {
            buf = null;
            count = 0;
        }

        /** Parses {@code b[start, end)}; returns null when sound, else why not. */
        String parse(byte[] b, int start, int end) {
            buf = b;
            count = 0;
            int p = start;
            while (p < end) {
                int nameLength = b[p] & 0xFF;
                int nameAt = p + 1;
                int typeAt = nameAt + nameLength;
                if (typeAt >= end) {
                    return headerProblem("a header name overruns the headers block", start, p);
                }
                int type = b[typeAt];
                if (type < 0 || type >= VALUE_WIDTHS.length) {
                    return headerProblem("unknown header value type " + (type & 0xFF), start, p);
                }
                int valueAt = typeAt + 1;
                int valueLength = VALUE_WIDTHS[type];
                if (valueLength < 0) {
                    if (valueAt + 2 > end) {
                        return headerProblem("a header value length overruns the headers block", start, p);
                    }
                    valueLength = ((b[valueAt] & 0xFF) << 8) | (b[valueAt + 1] & 0xFF);
                    valueAt += 2;
                }
                if (valueAt + valueLength > end) {
                    return headerProblem("a header value overruns the headers block", start, p);
                }
                add(nameAt, nameLength, type, valueAt, valueLength);
                p = valueAt + valueLength;
            }
            return null;
        }

        private String headerProblem(String what, int start, int at) {
            count = 0;
            return what + " (header at byte " + (at - start) + " of the block)";
        }

        private void add(int nameAt, int nameLength, int type, int valueAt, int valueLength) {
            if (count == types.length) {
                int grown = count * 2;
                nameOffsets = Arrays.copyOf(nameOffsets, grown);
                nameLengths = Arrays.copyOf(nameLengths, grown);
                types = Arrays.copyOf(types, grown);
                valueOffsets = Arrays.copyOf(valueOffsets, grown);
                valueLengths = Arrays.copyOf(valueLengths, grown);
            }
            nameOffsets[count] = nameAt;
            nameLengths[count] = nameLength;
            types[count] = type;
            valueOffsets[count] = valueAt;
            valueLengths[count] = valueLength;
            count++;
        }
    }
}
