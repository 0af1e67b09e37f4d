package dev.tokenbench.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The scanner against Jackson: the same documents go into both and must give the same structure, names,
 * strings and numbers; and for broken documents both must agree on whether the input is JSON at all.
 */
class JsonScannerDifferentialTest {

    /** Trailing tokens rejected, so that "valid" means the same thing to both. */
    private static final ObjectMapper STRICT_JACKSON =
            JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final JsonScanner scanner = new JsonScanner();
    private final ByteSink text = new ByteSink(64);

    @Test
    void randomDocumentsWalkToTheSameTreeAsJackson() throws IOException {
        for (boolean asciiOnly : new boolean[] {false, true}) {
            RandomJson generator = new RandomJson(asciiOnly ? 17L : 4711L, asciiOnly);
            for (int doc = 0; doc < 4000; doc++) {
                String json = generator.document();
                byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
                JsonNode expected = STRICT_JACKSON.readTree(bytes);
                // The document sits inside a larger array, between bytes that would change it if read.
                byte[] padded = pad(bytes, 3, "\"1]");
                scanner.reset(padded, 3, bytes.length);
                Iterator<String> numbers = generator.numbersInOrder().iterator();
                try {
                    walk(expected, scanner.next(), numbers, 0);
                    assertEquals(JsonScanner.END, scanner.next(), "nothing after the document");
                    assertEquals(JsonScanner.END, scanner.next(), "END repeats");
                    assertFalse(numbers.hasNext());
                } catch (AssertionError e) {
                    throw new AssertionError("document " + doc + ": " + json, e);
                }
            }
        }
    }

    private void walk(JsonNode expected, int token, Iterator<String> numbers, int depthBefore) {
        switch (token) {
            case JsonScanner.OBJECT_START -> {
                assertTrue(expected.isObject(), "object expected: " + expected);
                assertEquals(depthBefore + 1, scanner.depth());
                Iterator<Map.Entry<String, JsonNode>> members = expected.fields();
                while (true) {
                    int t = scanner.next();
                    if (t == JsonScanner.OBJECT_END) {
                        assertFalse(members.hasNext(), "members missing");
                        assertEquals(depthBefore, scanner.depth());
                        return;
                    }
                    assertEquals(JsonScanner.NAME, t, scanner.errorMessage());
                    assertEquals(depthBefore + 1, scanner.depth());
                    Map.Entry<String, JsonNode> member = members.next();
                    assertText(member.getKey());
                    walk(member.getValue(), scanner.next(), numbers, depthBefore + 1);
                }
            }
            case JsonScanner.ARRAY_START -> {
                assertTrue(expected.isArray(), "array expected: " + expected);
                assertEquals(depthBefore + 1, scanner.depth());
                Iterator<JsonNode> elements = expected.elements();
                while (true) {
                    int t = scanner.next();
                    if (t == JsonScanner.ARRAY_END) {
                        assertFalse(elements.hasNext(), "elements missing");
                        assertEquals(depthBefore, scanner.depth());
                        return;
                    }
                    assertTrue(elements.hasNext(), "extra element");
                    walk(elements.next(), t, numbers, depthBefore + 1);
                }
            }
            case JsonScanner.STRING -> {
                assertTrue(expected.isTextual());
                assertText(expected.textValue());
            }
            case JsonScanner.NUMBER -> {
                assertTrue(expected.isNumber());
                String raw = numbers.next();
                assertEquals(expectedLong(raw), scanner.longValue(), raw);
                double expectedDouble = Double.parseDouble(raw);
                assertEquals(Double.doubleToLongBits(expectedDouble), Double.doubleToLongBits(scanner.doubleValue()),
                        raw + " gave " + scanner.doubleValue());
                assertTrue(expected.doubleValue() == expectedDouble, "Jackson agrees on " + raw);
            }
            case JsonScanner.TRUE -> assertTrue(expected.isBoolean() && expected.booleanValue());
            case JsonScanner.FALSE -> assertTrue(expected.isBoolean() && !expected.booleanValue());
            case JsonScanner.NULL -> assertTrue(expected.isNull());
            default -> fail("unexpected token " + token + " (" + scanner.errorMessage() + ") for " + expected);
        }
        assertEquals(depthBefore, scanner.depth(), "depth after a whole value");
    }

    private void assertText(String expected) {
        byte[] expectedBytes = expected.getBytes(StandardCharsets.UTF_8);
        text.reset();
        scanner.appendText(text);
        assertArrayEquals(expectedBytes, Arrays.copyOf(text.array(), text.length()), expected);
        assertEquals(expected, scanner.textAsString());
        if (!scanner.textHasEscapes()) {
            assertTrue(scanner.textEquals(expectedBytes));
            assertEquals(expectedBytes.length, scanner.textLength());
        } else {
            assertTrue(scanner.textLength() > 0);
        }
    }

    /** Truncation toward zero, saturated at the long range, done with exact decimal arithmetic. */
    private static long expectedLong(String raw) {
        BigInteger truncated = new BigDecimal(raw).toBigInteger();
        if (truncated.compareTo(LONG_MAX) > 0) {
            return Long.MAX_VALUE;
        }
        if (truncated.compareTo(LONG_MIN) < 0) {
            return Long.MIN_VALUE;
        }
        return truncated.longValueExact();
    }

    @Test
    void everyTruncationOfValidDocumentsIsErrorOrEndAsJacksonSays() {
        for (boolean asciiOnly : new boolean[] {false, true}) {
            RandomJson generator = new RandomJson(asciiOnly ? 99L : 1234L, asciiOnly);
            for (int doc = 0; doc < 150; doc++) {
                byte[] bytes = generator.document().getBytes(StandardCharsets.UTF_8);
                for (int cut = 0; cut <= bytes.length; cut++) {
                    assertSameVerdictAsJackson(Arrays.copyOf(bytes, cut));
                }
            }
        }
    }

    private static final byte[] MUTATION_BYTES =
            "{}[]:,\"\\ \n0123456789-+.eEtrufalsnu/x'".getBytes(StandardCharsets.US_ASCII);

    @Test
    void mutatedDocumentsGetTheSameVerdictAsJacksonAndNeverThrow() {
        RandomJson generator = new RandomJson(31337L, true);
        Random random = new Random(8L);
        for (int doc = 0; doc < 20_000; doc++) {
            byte[] bytes = generator.document().getBytes(StandardCharsets.UTF_8);
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations && bytes.length > 0; m++) {
                bytes = mutate(bytes, random);
            }
            assertSameVerdictAsJackson(bytes);
        }
    }

    private static byte[] mutate(byte[] bytes, Random random) {
        int at = random.nextInt(bytes.length);
        byte b = random.nextInt(4) == 0 ? (byte) random.nextInt(128) : MUTATION_BYTES[random.nextInt(MUTATION_BYTES.length)];
        switch (random.nextInt(3)) {
            case 0 -> {
                byte[] out = bytes.clone();
                out[at] = b;
                return out;
            }
            case 1 -> {
                byte[] out = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, out, 0, at);
                out[at] = b;
                System.arraycopy(bytes, at, out, at + 1, bytes.length - at);
                return out;
            }
            default -> {
                byte[] out = new byte[bytes.length - 1];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(bytes, at + 1, out, at, bytes.length - at - 1);
                return out;
            }
        }
    }

    @Test
    void arbitraryBytesNeverThrowFromAnyMethod() {
        Random random = new Random(77L);
        byte[] alphabet = "{}[]:,\"\\ 0123456789-+.eEtrufalsnu\u0001\t\r\n".getBytes(StandardCharsets.ISO_8859_1);
        ByteSink sink = new ByteSink(16);
        for (int i = 0; i < 50_000; i++) {
            byte[] bytes = new byte[random.nextInt(48)];
            for (int j = 0; j < bytes.length; j++) {
                bytes[j] = random.nextInt(5) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
            }
            scanner.reset(bytes, 0, bytes.length);
            for (int steps = 0; steps <= bytes.length + 2; steps++) {
                int t = scanner.next();
                sink.reset();
                scanner.appendText(sink);
                scanner.textAsString();
                scanner.textEquals(bytes);
                scanner.longValue();
                scanner.doubleValue();
                scanner.depth();
                if (random.nextInt(4) == 0) {
                    scanner.skipValue();
                }
                if (t == JsonScanner.ERROR) {
                    assertTrue(scanner.errorMessage().contains(" at byte "), scanner.errorMessage());
                    assertEquals(JsonScanner.ERROR, scanner.next(), "ERROR repeats");
                    break;
                }
                if (t == JsonScanner.END) {
                    break;
                }
            }
        }
    }

    /**
     * Walks the whole input with the scanner (which must stop with END or ERROR, without throwing, within a
     * bounded number of tokens) and checks that END means exactly what Jackson accepts.
     */
    private void assertSameVerdictAsJackson(byte[] bytes) {
        byte[] padded = pad(bytes, 2, "1\"]");
        scanner.reset(padded, 2, bytes.length);
        int last;
        int tokens = 0;
        do {
            last = scanner.next();
            assertTrue(++tokens <= bytes.length + 2, "the scanner ends");
        } while (last != JsonScanner.END && last != JsonScanner.ERROR);
        String doc = new String(bytes, StandardCharsets.UTF_8);
        if (doc.isBlank()) {
            // Jackson reads "no content" as a missing node rather than an error; for JSON it is no document.
            assertEquals(JsonScanner.ERROR, last, "empty input is no JSON document");
            return;
        }
        boolean jacksonAccepts;
        try {
            STRICT_JACKSON.readTree(bytes);
            jacksonAccepts = true;
        } catch (JacksonException e) {
            String reason = e.getOriginalMessage();
            if (reason.contains("surrogate") && reason.contains("in field name") && last == JsonScanner.END) {
                // Jackson rejects a lone surrogate escape in a member name only (it accepts one in a value).
                // RFC 8259 section 8.2 calls such text syntactically valid; the scanner accepts it in both
                // places and unescapes it to U+FFFD.
                return;
            }
            jacksonAccepts = false;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertEquals(jacksonAccepts, last == JsonScanner.END,
                () -> "verdict on <" + doc + ">: scanner says " + scanner.errorMessage());
    }

    private static byte[] pad(byte[] bytes, int before, String junk) {
        byte[] junkBytes = junk.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[before + bytes.length + junkBytes.length];
        Arrays.fill(out, 0, before, (byte) '[');
        System.arraycopy(bytes, 0, out, before, bytes.length);
        System.arraycopy(junkBytes, 0, out, before + bytes.length, junkBytes.length);
        return out;
    }

    @Test
    void generatorCoversTheInterestingCases() {
        RandomJson generator = new RandomJson(4711L, false);
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            all.append(generator.document()).append(String.join(" ", generator.numbersInOrder()));
        }
        for (String needle : List.of("\\uD", "\\ud", "\\\"", "\\n", "😀", "日本語", "e-", "E+", "-0", "{", "[")) {
            assertTrue(all.indexOf(needle) >= 0, "generator produces " + needle);
        }
    }
}
