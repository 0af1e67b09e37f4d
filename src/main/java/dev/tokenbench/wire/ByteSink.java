package dev.tokenbench.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Growable byte buffer, reused across events; single-threaded.
 *
 * <p>Growth doubles the backing array, never beyond the sink's maximum capacity: the framers give their
 * sinks a maximum so that a hostile or broken stream cannot make them hold more than a configured
 * number of bytes. A sink built with the public constructor is bounded only by the largest Java array.
 */
public final class ByteSink {

    /** Some JVMs reserve a few header words in an array; this is the largest size that is safe on all. */
    private static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;
    private static final int MIN_GROWN_CAPACITY_BYTES = 16;
    private static final int REPLACEMENT_CHARACTER = 0xFFFD;

    private final int maxCapacityBytes;
    private byte[] bytes;
    private int length;

    public ByteSink(int initialCapacity) {
        this(initialCapacity, MAX_ARRAY_BYTES);
    }

    /** A sink whose backing array never grows beyond {@code maxCapacityBytes}; appending past it throws. */
    ByteSink(int initialCapacity, int maxCapacityBytes) {
        if (maxCapacityBytes < 1 || maxCapacityBytes > MAX_ARRAY_BYTES) {
            throw new IllegalArgumentException("maxCapacityBytes out of range: " + maxCapacityBytes);
        }
        if (initialCapacity < 0 || initialCapacity > maxCapacityBytes) {
            throw new IllegalArgumentException(
                    "initialCapacity must be in [0, " + maxCapacityBytes + "]: " + initialCapacity);
        }
        this.maxCapacityBytes = maxCapacityBytes;
        this.bytes = new byte[initialCapacity];
    }

    public void append(byte b) {
        if (length == bytes.length) {
            grow(1);
        }
        bytes[length++] = b;
    }

    public void append(byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        if (len > bytes.length - length) {
            grow(len);
        }
        System.arraycopy(src, off, bytes, length, len);
        length += len;
    }

    /**
     * Appends the UTF-8 encoding of one code point. A surrogate or a value outside the Unicode range has no
     * UTF-8 form, so it is written as U+FFFD, the replacement character, as decoders do for bad input.
     */
    public void appendUtf8CodePoint(int codePoint) {
        int cp = codePoint;
        if (cp < 0 || cp > Character.MAX_CODE_POINT
                || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)) {
            cp = REPLACEMENT_CHARACTER;
        }
        int utf8Bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        if (bytes.length - length < utf8Bytes) {
            grow(utf8Bytes);
        }
        byte[] b = bytes;
        int n = length;
        if (cp < 0x80) {
            b[n++] = (byte) cp;
        } else if (cp < 0x800) {
            b[n++] = (byte) (0xC0 | (cp >>> 6));
            b[n++] = (byte) (0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            b[n++] = (byte) (0xE0 | (cp >>> 12));
            b[n++] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
            b[n++] = (byte) (0x80 | (cp & 0x3F));
        } else {
            b[n++] = (byte) (0xF0 | (cp >>> 18));
            b[n++] = (byte) (0x80 | ((cp >>> 12) & 0x3F));
            b[n++] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
            b[n++] = (byte) (0x80 | (cp & 0x3F));
        }
        length = n;
    }

    public int length() {
        return length;
    }

    /** The backing array, valid up to {@link #length()}; it is replaced when the sink grows. */
    public byte[] array() {
        return bytes;
    }

    /** Length 0, keeps capacity, so a sink reused per event allocates nothing once it has grown. */
    public void reset() {
        length = 0;
    }

    /** Allocation: for end-of-request work and messages only. Malformed UTF-8 decodes to U+FFFD. */
    public String toUtf8String() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    int capacity() {
        return bytes.length;
    }

    int maxCapacityBytes() {
        return maxCapacityBytes;
    }

    /** Makes room for {@code extraBytes} more; a rare path, kept out of the appends so they stay small. */
    private void grow(int extraBytes) {
        long requiredBytes = (long) length + extraBytes;
        if (requiredBytes > maxCapacityBytes) {
            throw new IllegalStateException(
                    "ByteSink full: " + length + " + " + extraBytes + " bytes exceed its maximum of "
                            + maxCapacityBytes + " bytes");
        }
        long doubledBytes = Math.max(2L * bytes.length, MIN_GROWN_CAPACITY_BYTES);
        long newCapacityBytes = Math.min(Math.max(doubledBytes, requiredBytes), maxCapacityBytes);
        bytes = Arrays.copyOf(bytes, (int) newCapacityBytes);
    }
}
