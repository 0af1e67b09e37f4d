package dev.tokenbench.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ByteSinkTest {

    private static byte[] contents(ByteSink sink) {
        return Arrays.copyOf(sink.array(), sink.length());
    }

    @Test
    void growsFromZeroAndKeepsCapacityOnReset() {
        ByteSink sink = new ByteSink(0);
        byte[] chunk = "hello, world".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 100; i++) {
            sink.append(chunk, 0, chunk.length);
            sink.append((byte) '!');
        }
        assertEquals(1300, sink.length());
        byte[] grown = sink.array();
        sink.reset();
        assertEquals(0, sink.length());
        sink.append(chunk, 7, 5);
        assertSame(grown, sink.array(), "reset keeps the array");
        assertEquals("world", sink.toUtf8String());
    }

    @Test
    void utf8CodePointsMatchTheJdkEncoder() {
        ByteSink sink = new ByteSink(1);
        int[] codePoints = {0, 0x41, 0x7F, 0x80, 0xE9, 0x7FF, 0x800, 0x65E5, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF};
        StringBuilder expected = new StringBuilder();
        for (int cp : codePoints) {
            sink.appendUtf8CodePoint(cp);
            expected.appendCodePoint(cp);
        }
        assertArrayEquals(expected.toString().getBytes(StandardCharsets.UTF_8), contents(sink));
    }

    @Test
    void codePointsWithoutAUtf8FormBecomeReplacementCharacters() {
        ByteSink sink = new ByteSink(4);
        for (int cp : new int[] {0xD800, 0xDFFF, 0x110000, -1}) {
            sink.appendUtf8CodePoint(cp);
        }
        assertEquals("\uFFFD".repeat(4), sink.toUtf8String());
    }

    @Test
    void boundedSinkGrowsToItsMaximumAndNoFurther() {
        ByteSink sink = new ByteSink(4, 10);
        sink.append(new byte[9], 0, 9);
        assertEquals(10, sink.capacity(), "growth is capped, not doubled past the maximum");
        sink.append((byte) 1);
        assertThrows(IllegalStateException.class, () -> sink.append((byte) 2));
        ByteSink nearlyFull = new ByteSink(0, 9);
        nearlyFull.append(new byte[8], 0, 8);
        nearlyFull.appendUtf8CodePoint('a'); // needs one byte, fits although a 4-byte one would not
        assertThrows(IllegalStateException.class, () -> nearlyFull.appendUtf8CodePoint(0x1F600));
        assertEquals(9, nearlyFull.length());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new ByteSink(-1));
        ByteSink sink = new ByteSink(4);
        assertThrows(IndexOutOfBoundsException.class, () -> sink.append(new byte[3], 2, 2));
    }
}
