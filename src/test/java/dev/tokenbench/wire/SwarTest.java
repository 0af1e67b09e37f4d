package dev.tokenbench.wire;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Differential: the eight-at-a-time tests find the same first byte as a plain byte loop, for every byte value. */
class SwarTest {
    private static final byte[] INTERESTING = {'"', '\\', '\n', '\r', 0, 0x1F, 0x20, 0x21, 0x0B, 0x0C, 0x0E,
        (byte) 0x80, (byte) 0xA2, (byte) 0xDC, (byte) 0xFF, 'a', '{', 0x7F, 0x01, 0x09, 0x22 ^ 0x01};

    @Test
    void firstSpecialByteMatchesAByteLoop() {
        SplittableRandom random = new SplittableRandom(7);
        byte[] word = new byte[8];
        for (int round = 0; round < 200_000; round++) {
            for (int i = 0; i < 8; i++) {
                word[i] = random.nextInt(3) == 0 ? INTERESTING[random.nextInt(INTERESTING.length)]
                        : (byte) random.nextInt(256);
            }
            long value = Swar.longAt(word, 0);
            assertEquals(firstStringSpecial(word), first(Swar.stringSpecialBytes(value)), () -> hex(word));
            assertEquals(firstLineEnd(word), first(Swar.lineEndBytes(value)), () -> hex(word));
        }
    }

    @Test
    void everySingleByteValueInEveryLane() {
        for (int lane = 0; lane < 8; lane++) {
            for (int v = 0; v < 256; v++) {
                byte[] word = {'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a'};
                word[lane] = (byte) v;
                long value = Swar.longAt(word, 0);
                assertEquals(firstStringSpecial(word), first(Swar.stringSpecialBytes(value)), "byte " + v);
                assertEquals(firstLineEnd(word), first(Swar.lineEndBytes(value)), "byte " + v);
            }
        }
    }

    private static int first(long mask) {
        return mask == 0 ? 8 : Swar.firstFlaggedByte(mask);
    }

    private static int firstStringSpecial(byte[] word) {
        for (int i = 0; i < 8; i++) {
            if (word[i] == '"' || word[i] == '\\' || (word[i] & 0xFF) < 0x20) {
                return i;
            }
        }
        return 8;
    }

    private static int firstLineEnd(byte[] word) {
        for (int i = 0; i < 8; i++) {
            if (word[i] == '\n' || word[i] == '\r') {
                return i;
            }
        }
        return 8;
    }

    private static String hex(byte[] word) {
        StringBuilder s = new StringBuilder();
        for (byte b : word) {
            s.append(String.format("%02x ", b));
        }
        return s.toString();
    }
}
