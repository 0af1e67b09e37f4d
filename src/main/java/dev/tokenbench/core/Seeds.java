package dev.tokenbench.core;

/** Seeded choices that depend only on a seed and an index, never on timing or thread order. */
public final class Seeds {
    private Seeds() {
    }

    /** MurmurHash3's 64-bit finalizer: neighbouring seeds and indexes give unrelated values. */
    public static long mix64(long value) {
        value = (value ^ (value >>> 33)) * 0xff51afd7ed558ccdL;
        value = (value ^ (value >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return value ^ (value >>> 33);
    }

    /** The value for index n of a seeded sequence. */
    public static long forIndex(long seed, long index) {
        return mix64(seed ^ mix64(index + 0x9E3779B97F4A7C15L));
    }
}
