package dev.tokenbench.wire;

import static dev.tokenbench.wire.JsonScanner.ARRAY_END;
import static dev.tokenbench.wire.JsonScanner.ARRAY_START;
import static dev.tokenbench.wire.JsonScanner.END;
import static dev.tokenbench.wire.JsonScanner.ERROR;
import static dev.tokenbench.wire.JsonScanner.FALSE;
import static dev.tokenbench.wire.JsonScanner.NAME;
import static dev.tokenbench.wire.JsonScanner.NULL;
import static dev.tokenbench.wire.JsonScanner.NUMBER;
import static dev.tokenbench.wire.JsonScanner.OBJECT_END;
import static dev.tokenbench.wire.JsonScanner.OBJECT_START;
import static dev.tokenbench.wire.JsonScanner.STRING;
import static dev.tokenbench.wire.JsonScanner.TRUE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonScannerTest {

    private final JsonScanner scanner = new JsonScanner();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void load(String json) {
        byte[] bytes = utf8(json);
        scanner.reset(bytes, 0, bytes.length);
    }

    private List<Integer> tokens(String json) {
        load(json);
        List<Integer> tokens = new ArrayList<>();
        int t;
        do {
            t = scanner.next();
            tokens.add(t);
        } while (t != END && t != ERROR);
        return tokens;
    }

    private String unescaped() {
        ByteSink sink = new ByteSink(8);
        scanner.appendText(sink);
        return sink.toUtf8String();
    }

    @Test
    void openAiChunkIsTokenizedWithDepths() {
        load("{\"choices\":[{\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}");
        int[][] expected = {
            {OBJECT_START, 1}, {NAME, 1}, {ARRAY_START, 2}, {OBJECT_START, 3}, {NAME, 3}, {OBJECT_START, 4},
            {NAME, 4}, {STRING, 4}, {OBJECT_END, 3}, {OBJECT_END, 2}, {ARRAY_END, 1}, {NAME, 1}, {NULL, 1},
            {OBJECT_END, 0}, {END, 0},
        };
        for (int[] step : expected) {
            assertEquals(step[0], scanner.next());
            assertEquals(step[1], scanner.depth());
        }
    }

    @Test
    void textAccessorsWorkOnRawBytes() {
        load("{\"content\":\"a\\nb\",\"k\":\"\"}");
        scanner.next();
        assertEquals(NAME, scanner.next());
        assertTrue(scanner.textEquals(utf8("content")));
        assertFalse(scanner.textEquals(utf8("conten")));
        assertFalse(scanner.textHasEscapes());
        assertEquals(7, scanner.textLength());
        assertEquals(STRING, scanner.next());
        assertTrue(scanner.textHasEscapes());
        assertEquals(4, scanner.textLength(), "raw, still escaped");
        assertTrue(scanner.textEquals(utf8("a\\nb")), "compares the raw bytes");
        assertEquals("a\nb", unescaped());
        assertEquals("a\nb", scanner.textAsString());
        scanner.next();
        assertEquals(STRING, scanner.next());
        assertEquals(0, scanner.textLength());
        assertTrue(scanner.textEquals(new byte[0]));
        assertEquals(OBJECT_END, scanner.next());
        assertFalse(scanner.textEquals(new byte[0]), "no text on a non-text token");
        assertEquals("", scanner.textAsString());
    }

    @Test
    void escapesUnescapeToUtf8() {
        load("\"q\\\" s\\\\ sl\\/ \\b\\f\\r\\t \\u0041\\u00e9\\u65E5 \\ud83d\\ude00 raw 日本 😀 \\u0000\"");
        assertEquals(STRING, scanner.next());
        assertEquals("q\" s\\ sl/ \b\f\r\t Aé日 😀 raw 日本 😀 \u0000", unescaped());
    }

    @Test
    void loneSurrogatesBecomeReplacementCharacters() {
        load("[\"\\ud83d\", \"\\ude00x\", \"\\ud83d\\u0041\", \"\\ud83d\\ud83d\\ude00\", \"\\udbff\\udfff\", \"a\\ud800\"]");
        assertEquals(ARRAY_START, scanner.next());
        String[] expected = {"\uFFFD", "\uFFFDx", "\uFFFDA", "\uFFFD😀", new String(Character.toChars(0x10FFFF)), "a\uFFFD"};
        for (String e : expected) {
            assertEquals(STRING, scanner.next());
            assertEquals(e, unescaped());
        }
        ByteSink sink = new ByteSink(4);
        load("\"\\ud83d\"");
        scanner.next();
        scanner.appendText(sink);
        assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD}, Arrays.copyOf(sink.array(), sink.length()));
    }

    @Test
    void numbers() {
        Object[][] cases = {
            {"0", 0L, 0.0}, {"-0", 0L, -0.0}, {"42", 42L, 42.0}, {"-17", -17L, -17.0}, {"1.9", 1L, 1.9},
            {"-1.9", -1L, -1.9}, {"1e3", 1000L, 1000.0}, {"1.5E+2", 150L, 150.0}, {"25e-1", 2L, 2.5},
            {"9223372036854775807", Long.MAX_VALUE, 9.223372036854775807e18},
            {"-9223372036854775808", Long.MIN_VALUE, -9.223372036854775808e18},
            {"9223372036854775808", Long.MAX_VALUE, 9.223372036854775808e18},
            {"-99999999999999999999", Long.MIN_VALUE, -1e20}, {"1e400", Long.MAX_VALUE, Double.POSITIVE_INFINITY},
            {"0e999999999999", 0L, 0.0}, {"1e-999999999999", 0L, 0.0}, {"0.1", 0L, 0.1},
            {"123456789.123456789e5", 12345678912345L, 123456789.123456789e5},
        };
        for (Object[] c : cases) {
            load((String) c[0]);
            assertEquals(NUMBER, scanner.next(), (String) c[0]);
            assertEquals((long) c[1], scanner.longValue(), (String) c[0]);
            assertEquals((double) c[2], scanner.doubleValue(), (String) c[0]);
            assertEquals(END, scanner.next(), (String) c[0]);
        }
    }

    @Test
    void malformedInputIsAnErrorWithReasonAndOffset() {
        String[][] cases = {
            {"", "unexpected end of input at byte 0"},
            {"   ", "unexpected end of input at byte 3"},
            {"{\"a\":1", "unexpected end of input at byte 6"},
            {"{\"a\" 1}", "expected ':' after a member name at byte 5"},
            {"{\"a\":1 \"b\":2}", "expected ',' or '}' at byte 7"},
            {"[1 2]", "expected ',' or ']' at byte 3"},
            {"[1,]", "expected a value at byte 3"},
            {"{\"a\":1,}", "expected a member name at byte 7"},
            {"{a:1}", "expected a member name at byte 1"},
            {"\"abc", "unterminated string at byte 0"},
            {"[\"a\\", "unterminated string at byte 1"},
            {"\"\\x\"", "bad escape at byte 1"},
            {"\"\\u12G4\"", "bad \\u escape at byte 1"},
            {"\"tab\there\"", "control character in string at byte 4"},
            {"tru", "bad literal at byte 0"},
            {"[nul]", "bad literal at byte 1"},
            {"-", "bad number: expected a digit at byte 1"},
            {"1.", "bad number: expected a digit after '.' at byte 2"},
            {"1e+", "bad number: expected a digit in the exponent at byte 3"},
            {"+1", "expected a value at byte 0"},
            {"01", "unexpected data after the top-level value at byte 1"},
            {"{} x", "unexpected data after the top-level value at byte 3"},
            {"[1]]", "unexpected data after the top-level value at byte 3"},
            {"[DONE]", "expected a value at byte 1"},
        };
        for (String[] c : cases) {
            List<Integer> tokens = tokens(c[0]);
            assertEquals(ERROR, tokens.get(tokens.size() - 1), c[0]);
            assertEquals(c[1], scanner.errorMessage(), c[0]);
            assertEquals(ERROR, scanner.next(), "ERROR repeats");
        }
    }

    @Test
    void errorOffsetsCountFromTheStartOfTheRange() {
        byte[] bytes = utf8("xxxx[1,]yyyy");
        scanner.reset(bytes, 4, 4);
        assertEquals(ARRAY_START, scanner.next());
        assertEquals(NUMBER, scanner.next());
        assertEquals(ERROR, scanner.next());
        assertEquals("expected a value at byte 3", scanner.errorMessage());
        load("1");
        assertNull(scanner.errorMessage(), "reset clears the error");
    }

    @Test
    void theRangeEndIsTheEndOfInputEvenWhenMoreBytesFollow() {
        byte[] bytes = utf8("\"abc\" 123");
        scanner.reset(bytes, 0, 3);
        assertEquals(ERROR, scanner.next());
        scanner.reset(bytes, 6, 2);
        assertEquals(NUMBER, scanner.next());
        assertEquals(12, scanner.longValue());
        assertEquals(END, scanner.next());
    }

    @Test
    void literalsAndScalarsAtTopLevel() {
        assertEquals(List.of(TRUE, END), tokens(" true "));
        assertEquals(List.of(FALSE, END), tokens("false"));
        assertEquals(List.of(NULL, END), tokens("\r\n\tnull"));
        assertEquals(List.of(STRING, END), tokens("\"s\""));
        assertEquals(List.of(TRUE, ERROR), tokens("truex"));
    }

    @Test
    void nestingIsLimited() {
        String deepest = "[".repeat(JsonScanner.MAX_DEPTH) + "]".repeat(JsonScanner.MAX_DEPTH);
        List<Integer> ok = tokens(deepest);
        assertEquals(END, ok.get(ok.size() - 1));
        List<Integer> tooDeep = tokens("[".repeat(JsonScanner.MAX_DEPTH + 1));
        assertEquals(ERROR, tooDeep.get(tooDeep.size() - 1));
        assertEquals("nesting too deep at byte " + JsonScanner.MAX_DEPTH, scanner.errorMessage());
        // Objects and arrays interleaved past 64 levels: the container kind is remembered per level.
        String mixed = "{\"a\":[".repeat(100) + "1" + "]}".repeat(100);
        List<Integer> mixedTokens = tokens(mixed);
        assertEquals(END, mixedTokens.get(mixedTokens.size() - 1), scanner.errorMessage());
    }

    // ---- skipValue ----

    @Test
    void skipValueAfterNameSkipsContainersAndScalars() {
        load("{\"a\":{\"b\":[1,2,{\"c\":\"}]\"}]},\"d\":\"x\",\"e\":[],\"f\":{},\"g\":5,\"h\":[[[]]],\"last\":true}");
        assertEquals(OBJECT_START, scanner.next());
        List<String> namesKept = new ArrayList<>();
        int t;
        while ((t = scanner.next()) == NAME) {
            String name = scanner.textAsString();
            if (name.equals("last")) {
                assertEquals(TRUE, scanner.next());
                namesKept.add(name);
            } else {
                scanner.skipValue();
                assertEquals(1, scanner.depth(), "back among the members after skipping " + name);
                namesKept.add(name);
            }
        }
        assertEquals(OBJECT_END, t);
        assertEquals(END, scanner.next());
        assertEquals(List.of("a", "d", "e", "f", "g", "h", "last"), namesKept);
    }

    @Test
    void skipValueAtContainerStart() {
        load("[[1,[2]],{\"x\":[]},3]");
        assertEquals(ARRAY_START, scanner.next());
        assertEquals(ARRAY_START, scanner.next());
        scanner.skipValue();
        assertEquals(1, scanner.depth());
        assertEquals(OBJECT_START, scanner.next());
        scanner.skipValue();
        assertEquals(NUMBER, scanner.next());
        assertEquals(3, scanner.longValue());
        assertEquals(ARRAY_END, scanner.next());
        assertEquals(END, scanner.next());

        load("{\"a\":1}");
        assertEquals(OBJECT_START, scanner.next());
        scanner.skipValue();
        assertEquals(0, scanner.depth());
        assertEquals(END, scanner.next(), "skipping the top-level object leaves only the end");
    }

    @Test
    void skipValueOnAScalarTokenDoesNothing() {
        load("[1,2]");
        scanner.next();
        assertEquals(NUMBER, scanner.next());
        scanner.skipValue();
        assertEquals(NUMBER, scanner.next());
        assertEquals(2, scanner.longValue());
    }

    @Test
    void skipValueOverMalformedInputLeavesTheError() {
        load("{\"a\":[1,{\"b\" 2}],\"c\":1}");
        scanner.next();
        scanner.next();
        scanner.skipValue();
        assertEquals(ERROR, scanner.next());
        assertEquals("expected ':' after a member name at byte 13", scanner.errorMessage());

        load("{\"a\":[1,2");
        scanner.next();
        scanner.next();
        scanner.skipValue();
        assertEquals(ERROR, scanner.next());
    }

    @Test
    void reuseAcrossDocuments() {
        load("{\"a\":[");
        scanner.next();
        scanner.next();
        scanner.next();
        load("[true]");
        assertEquals(List.of(ARRAY_START, TRUE, ARRAY_END, END), tokens("[true]"));
        assertEquals(0, scanner.depth());
    }
}
