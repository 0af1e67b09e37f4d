package dev.tokenbench.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Builds AWS event-stream frames from the format's description, with code that shares nothing with
 * {@link EventStreamFramer}: golden streams for the framer's and the Bedrock decoder's tests. The frames are
 * checked against the AWS SDK's own encoder (software.amazon.eventstream) in EventStreamFramerTest.
 */
public final class EventStreamTestFrames {

    private EventStreamTestFrames() {
    }

    /** One header: name, wire type (0-9) and the value's bytes as they go on the wire (with a length for 6, 7). */
    public record Header(String name, int type, byte[] valueBytes) {
        void writeTo(ByteArrayOutputStream out) {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            out.write(n.length);
            out.writeBytes(n);
            out.write(type);
            out.writeBytes(valueBytes);
        }
    }

    public static Header string(String name, String value) {
        return lengthPrefixed(name, 7, value.getBytes(StandardCharsets.UTF_8));
    }

    public static Header bytes(String name, byte[] value) {
        return lengthPrefixed(name, 6, value);
    }

    public static Header bool(String name, boolean value) {
        return new Header(name, value ? 0 : 1, new byte[0]);
    }

    public static Header byteValue(String name, byte value) {
        return new Header(name, 2, new byte[] {value});
    }

    public static Header shortValue(String name, short value) {
        return new Header(name, 3, ByteBuffer.allocate(2).putShort(value).array());
    }

    public static Header intValue(String name, int value) {
        return new Header(name, 4, ByteBuffer.allocate(4).putInt(value).array());
    }

    public static Header longValue(String name, long value) {
        return new Header(name, 5, ByteBuffer.allocate(8).putLong(value).array());
    }

    public static Header timestamp(String name, long epochMillis) {
        return new Header(name, 8, ByteBuffer.allocate(8).putLong(epochMillis).array());
    }

    public static Header uuid(String name, UUID value) {
        return new Header(name, 9, ByteBuffer.allocate(16).putLong(value.getMostSignificantBits())
                .putLong(value.getLeastSignificantBits()).array());
    }

    private static Header lengthPrefixed(String name, int type, byte[] value) {
        byte[] wire = new byte[2 + value.length];
        wire[0] = (byte) (value.length >> 8);
        wire[1] = (byte) value.length;
        System.arraycopy(value, 0, wire, 2, value.length);
        return new Header(name, type, wire);
    }

    public static byte[] headerBlock(List<Header> headers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Header h : headers) {
            h.writeTo(out);
        }
        return out.toByteArray();
    }

    /** prelude (total, headers length, CRC of those 8 bytes), headers, payload, CRC of all before it. */
    public static byte[] frame(List<Header> headers, byte[] payload) {
        byte[] block = headerBlock(headers);
        int total = 12 + block.length + payload.length + 4;
        ByteBuffer frame = ByteBuffer.allocate(total);
        frame.putInt(total).putInt(block.length);
        frame.putInt((int) crc32(frame.array(), 0, 8));
        frame.put(block).put(payload);
        frame.putInt((int) crc32(frame.array(), 0, total - 4));
        return frame.array();
    }

    /** A Bedrock event frame, headers in Bedrock's order. */
    public static byte[] event(String eventType, String json) {
        return frame(List.of(string(":event-type", eventType), string(":content-type", "application/json"),
                string(":message-type", "event")), json.getBytes(StandardCharsets.UTF_8));
    }

    /** A Bedrock exception frame. */
    public static byte[] exception(String exceptionType, String json) {
        return frame(List.of(string(":exception-type", exceptionType), string(":content-type", "application/json"),
                string(":message-type", "exception")), json.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    public static byte[] concat(List<byte[]> parts) {
        return concat(parts.toArray(new byte[0][]));
    }

    /** Offsets just after each frame, found by walking the total lengths (no CRC checks). */
    public static int[] frameEnds(byte[] stream) {
        List<Integer> ends = new ArrayList<>();
        int at = 0;
        while (at + 4 <= stream.length) {
            int total = ByteBuffer.wrap(stream, at, 4).getInt();
            at += total;
            ends.add(at);
        }
        return ends.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A copy with one byte flipped. */
    public static byte[] withFlippedByte(byte[] stream, int index) {
        byte[] copy = Arrays.copyOf(stream, stream.length);
        copy[index] ^= 0x5A;
        return copy;
    }

    /**
     * A copy in which the frame starting at {@code frameStart} declares {@code newTotal} as its total length,
     * with its prelude CRC recomputed so that only the message CRC can notice.
     */
    public static byte[] withDeclaredTotal(byte[] stream, int frameStart, int newTotal) {
        byte[] copy = Arrays.copyOf(stream, stream.length);
        ByteBuffer.wrap(copy, frameStart, 4).putInt(newTotal);
        ByteBuffer.wrap(copy, frameStart + 8, 4).putInt((int) crc32(copy, frameStart, 8));
        return copy;
    }

    /** A prelude alone (valid CRC) declaring the given lengths. */
    public static byte[] prelude(long total, long headersLength) {
        ByteBuffer prelude = ByteBuffer.allocate(12);
        prelude.putInt((int) total).putInt((int) headersLength);
        prelude.putInt((int) crc32(prelude.array(), 0, 8));
        return prelude.array();
    }

    public static long crc32(byte[] b, int off, int len) {
        CRC32 crc = new CRC32();
        crc.update(b, off, len);
        return crc.getValue();
    }
}
