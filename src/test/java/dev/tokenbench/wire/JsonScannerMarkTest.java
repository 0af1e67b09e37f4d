package dev.tokenbench.wire;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scan resumed from a mark gives, token for token, what a scan from the start gives, for any document that
 * shares the marked bytes: the same document, and the same prefix followed by other bytes (valid or not).
 */
class JsonScannerMarkTest {
    private final JsonScanner scanner = new JsonScanner();

    @Test
    void resumingAtEveryMarkableTokenGivesTheSameTokensAsAScanFromTheStart() {
        RandomJson generator = new RandomJson(99L, false);
        Random random = new Random(7);
        JsonScanner.Mark mark = new JsonScanner.Mark();
        int resumed = 0;
        for (int doc = 0; doc < 1500; doc++) {
            byte[] first = generator.document().getBytes(StandardCharsets.UTF_8);
            byte[] other = generator.document().getBytes(StandardCharsets.UTF_8);
            List<String> whole = tokens(first, 0, -1, null);
            for (int k = 1; k < whole.size(); k++) {
                scanner.reset(first, 0, first.length);
                for (int i = 0; i < k; i++) {
                    scanner.next();
                }
                if (!scanner.mark(mark)) {
                    continue;
                }
                int length = mark.length();
                // The same bytes, in a bigger array at another offset.
                byte[] padded = new byte[first.length + 5];
                System.arraycopy(first, 0, padded, 2, first.length);
                assertEquals(whole.subList(k, whole.size()), tokens(padded, 2, first.length, mark),
                        "resumed after token " + k + " of " + new String(first, StandardCharsets.UTF_8));
                // The same prefix, then another document's bytes from a random point (mostly not JSON).
                int from = random.nextInt(other.length + 1);
                byte[] spliced = new byte[length + other.length - from];
                System.arraycopy(first, 0, spliced, 0, length);
                System.arraycopy(other, from, spliced, length, other.length - from);
                List<String> fromStart = tokens(spliced, 0, -1, null);
                assertEquals(whole.subList(0, k), fromStart.subList(0, k), "the shared prefix scans the same");
                assertEquals(fromStart.subList(k, fromStart.size()), tokens(spliced, 0, spliced.length, mark),
                        "resumed in " + new String(spliced, StandardCharsets.UTF_8));
                resumed++;
            }
        }
        assertTrue(resumed > 5_000, "marks taken and resumed: " + resumed);
    }

    @Test
    void noMarkOnTextNumbersOrAfterAnError() {
        JsonScanner.Mark mark = new JsonScanner.Mark();
        byte[] doc = "{\"a\":12,\"b\":[true]}".getBytes(StandardCharsets.US_ASCII);
        scanner.reset(doc, 0, doc.length);
        assertEquals(JsonScanner.OBJECT_START, scanner.next());
        assertTrue(scanner.mark(mark));
        assertEquals(1, mark.length());
        assertEquals(JsonScanner.NAME, scanner.next());
        assertFalse(scanner.mark(mark));
        assertEquals(-1, mark.length());
        assertEquals(JsonScanner.NUMBER, scanner.next());
        assertFalse(scanner.mark(mark));
        byte[] bad = "{\"a\" 1}".getBytes(StandardCharsets.US_ASCII);
        scanner.reset(bad, 0, bad.length);
        scanner.next();
        scanner.next();
        assertEquals(JsonScanner.ERROR, scanner.next());
        assertFalse(scanner.mark(mark));
        assertThrows(IllegalArgumentException.class, () -> scanner.resume(doc, 0, doc.length, mark));
    }

    /** Every token to END or ERROR, each with its text or number, from the start or (with a mark) resumed. */
    private List<String> tokens(byte[] buf, int off, int len, JsonScanner.Mark mark) {
        if (mark == null) {
            scanner.reset(buf, off, len < 0 ? buf.length - off : len);
        } else {
            scanner.resume(buf, off, len, mark);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            int t = scanner.next();
            out.add(switch (t) {
                case JsonScanner.NAME, JsonScanner.STRING -> t + ":" + scanner.textAsString();
                case JsonScanner.NUMBER -> t + ":" + scanner.doubleValue() + "/" + scanner.longValue();
                case JsonScanner.ERROR -> t + ":" + scanner.errorMessage();
                default -> Integer.toString(t);
            });
            if (t == JsonScanner.END || t == JsonScanner.ERROR) {
                return out;
            }
        }
        throw new AssertionError("no END after 100,000 tokens: " + Arrays.toString(buf));
    }
}
