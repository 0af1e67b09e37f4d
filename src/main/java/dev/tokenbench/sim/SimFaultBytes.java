package dev.tokenbench.sim;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/** Byte helpers of fault injection: rare paths, written for clarity rather than speed. */
public final class SimFaultBytes {
    /** Bytes cut off a malformed event's JSON: enough to leave a string or an object open in every API. */
    static final int MALFORMED_CUT_BYTES = 3;
    /** " benchmark": a token whose bytes no event's fixed parts contain. */
    static final int BIG_EVENT_PROBE_TOKEN = SimVocabulary.TOKENS.indexOf(" benchmark");
    static final byte[] KEEP_ALIVE_COMMENT = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);
    /** The vocabulary's multi-byte UTF-8 tokens: a utf8-split stream uses only these. */
    static final int[] MULTI_BYTE_TOKENS = multiByteTokens();

    /** One o200k_base token: a tokenizer counts a megabyte of it in a fraction of a second. */
    private static final byte[] FILLER_WORD = " benchmark".getBytes(StandardCharsets.US_ASCII);

    private SimFaultBytes() {
    }

    /** Appends {@code bytes} bytes of " benchmark benchmark…" (words, so a tokenizer splits them cheaply). */
    public static void appendFiller(Buffer out, int bytes) {
        byte[] chunk = new byte[Math.min(bytes, 64 * FILLER_WORD.length * 100)];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = FILLER_WORD[i % FILLER_WORD.length];
        }
        int left = bytes;
        while (left > 0) {
            int n = Math.min(left, chunk.length);
            out.appendBytes(chunk, 0, n);
            left -= n;
        }
    }

    static int lastIndexOf(Buffer haystack, byte[] needle) {
        for (int at = haystack.length() - needle.length; at >= 0; at--) {
            if (matchesAt(haystack, at, needle)) {
                return at;
            }
        }
        return -1;
    }

    static int indexOf(Buffer haystack, byte[] needle, int from) {
        for (int at = Math.max(0, from); at <= haystack.length() - needle.length; at++) {
            if (matchesAt(haystack, at, needle)) {
                return at;
            }
        }
        return -1;
    }

    private static boolean matchesAt(Buffer haystack, int at, byte[] needle) {
        for (int i = 0; i < needle.length; i++) {
            if (haystack.getByte(at + i) != needle[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where to split an event so that a multi-byte character of {@code token} straddles the two writes: right after
     * the character's lead byte, in the token's first occurrence at or after {@code from}; -1 when there is none.
     */
    static int utf8SplitPoint(Buffer event, int from, int token) {
        byte[] bytes = SimVocabulary.JSON_UTF8[token];
        int lead = -1;
        for (int i = 0; i < bytes.length; i++) {
            if ((bytes[i] & 0xC0) == 0xC0) {
                lead = i;
                break;
            }
        }
        if (lead < 0) {
            return -1;
        }
        int at = indexOf(event, bytes, from);
        return at < 0 ? -1 : at + lead + 1;
    }

    /** The same bytes with every LF that has no CR before it preceded by one. */
    static Buffer toCrlf(Buffer in) {
        Buffer out = Buffer.buffer(in.length() + in.length() / 16 + 8);
        byte previous = 0;
        for (int i = 0; i < in.length(); i++) {
            byte b = in.getByte(i);
            if (b == '\n' && previous != '\r') {
                out.appendByte((byte) '\r');
            }
            out.appendByte(b);
            previous = b;
        }
        return out;
    }

    private static int[] multiByteTokens() {
        int count = 0;
        int[] found = new int[SimVocabulary.SIZE];
        for (int t = 0; t < SimVocabulary.SIZE; t++) {
            for (byte b : SimVocabulary.JSON_UTF8[t]) {
                if ((b & 0x80) != 0) {
                    found[count++] = t;
                    break;
                }
            }
        }
        return java.util.Arrays.copyOf(found, count);
    }
}
