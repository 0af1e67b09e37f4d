package dev.tokenbench.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * SIMD within a register: tests eight bytes at once for the few byte values the framers and the JSON scanner stop
 * at, so that the long plain runs of a stream (ids, model names, text) cost one load and a few ALU operations per
 * eight bytes instead of a branch per byte.
 *
 * <p>A mask has the high bit of each byte lane set where that byte matched. The classic zero-byte test can also
 * flag a lane above a true match (a borrow runs upward), never one below it, so only the lowest flag is exact:
 * callers use {@link #firstFlaggedByte} and look at that byte themselves.
 */
final class Swar {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';
    private static final long CONTROL_LIMITS = ONES * 0x20;
    private static final long LFS = ONES * '\n';
    private static final long CRS = ONES * '\r';

    private Swar() {
    }

    /** Eight bytes from {@code at}, the first in the lowest lane; {@code at + 8} must not pass the array. */
    static long longAt(byte[] bytes, int at) {
        return (long) LONGS.get(bytes, at);
    }

    /** Byte index (0-7) of the lowest flagged lane of a non-zero mask. */
    static int firstFlaggedByte(long mask) {
        return Long.numberOfTrailingZeros(mask) >>> 3;
    }

    /** Lanes that are '"', '\\' or a control character (below 0x20): where a JSON string scan must stop. */
    static long stringSpecialBytes(long word) {
        long quotes = word ^ QUOTES;
        long backslashes = word ^ BACKSLASHES;
        return ((quotes - ONES) & ~quotes | (backslashes - ONES) & ~backslashes | (word - CONTROL_LIMITS) & ~word)
                & HIGH_BITS;
    }

    /** Lanes that are LF or CR. */
    static long lineEndBytes(long word) {
        long lfs = word ^ LFS;
        long crs = word ^ CRS;
        return ((lfs - ONES) & ~lfs | (crs - ONES) & ~crs) & HIGH_BITS;
    }
}
