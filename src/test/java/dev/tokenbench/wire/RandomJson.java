package dev.tokenbench.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random JSON documents for the differential tests: nested objects and arrays, every escape, raw
 * multi-byte UTF-8 (unless ASCII only), and numbers of every shape, with random insignificant whitespace.
 * Remembers each number's text in document order, because Jackson's tree keeps only a double for decimals.
 */
final class RandomJson {

    private static final String[] SIMPLE_ESCAPES = {"\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"};
    private static final String[] RAW_UTF8 = {"é", "ß", "—", "日本語", "한", "😀", "👋🏽", "𝔘", "\u007F", "€"};
    private static final String[] WHITESPACE = {"", "", "", " ", "\n", "\r\n", "\t", "  "};

    private final Random random;
    private final boolean asciiOnly;
    private final List<String> numbersInOrder = new ArrayList<>();

    RandomJson(long seed, boolean asciiOnly) {
        this.random = new Random(seed);
        this.asciiOnly = asciiOnly;
    }

    String document() {
        numbersInOrder.clear();
        StringBuilder sb = new StringBuilder();
        whitespace(sb);
        value(sb, 0);
        whitespace(sb);
        return sb.toString();
    }

    /** The raw text of every number of the last document, in order. */
    List<String> numbersInOrder() {
        return List.copyOf(numbersInOrder);
    }

    private void whitespace(StringBuilder sb) {
        sb.append(WHITESPACE[random.nextInt(WHITESPACE.length)]);
    }

    private void value(StringBuilder sb, int depth) {
        int kind = depth >= 5 ? 2 + random.nextInt(4) : random.nextInt(7);
        switch (kind) {
            case 0, 6 -> object(sb, depth);
            case 1 -> array(sb, depth);
            case 2 -> sb.append('"').append(stringBody()).append('"');
            case 3 -> number(sb);
            case 4 -> sb.append(random.nextBoolean() ? "true" : "false");
            default -> {
                if (random.nextBoolean()) {
                    sb.append("null");
                } else {
                    number(sb);
                }
            }
        }
    }

    private void object(StringBuilder sb, int depth) {
        sb.append('{');
        whitespace(sb);
        int members = random.nextInt(6);
        for (int i = 0; i < members; i++) {
            if (i > 0) {
                sb.append(',');
                whitespace(sb);
            }
            // "k" and the member's index first, so that keys are unique whatever follows.
            sb.append("\"k").append(i).append(random.nextInt(3) == 0 ? stringBody() : "").append('"');
            whitespace(sb);
            sb.append(':');
            whitespace(sb);
            value(sb, depth + 1);
            whitespace(sb);
        }
        sb.append('}');
    }

    private void array(StringBuilder sb, int depth) {
        sb.append('[');
        whitespace(sb);
        int elements = random.nextInt(6);
        for (int i = 0; i < elements; i++) {
            if (i > 0) {
                sb.append(',');
                whitespace(sb);
            }
            value(sb, depth + 1);
            whitespace(sb);
        }
        sb.append(']');
    }

    private String stringBody() {
        StringBuilder sb = new StringBuilder();
        int pieces = random.nextInt(6);
        for (int i = 0; i < pieces; i++) {
            switch (random.nextInt(asciiOnly ? 6 : 8)) {
                case 0, 1 -> {
                    int letters = 1 + random.nextInt(8);
                    for (int j = 0; j < letters; j++) {
                        sb.append(printable());
                    }
                }
                case 2 -> sb.append(SIMPLE_ESCAPES[random.nextInt(SIMPLE_ESCAPES.length)]);
                case 3 -> sb.append(unicodeEscape(random.nextInt(0x20))); // an escaped control character
                case 4 -> {
                    int unit;
                    do {
                        unit = random.nextInt(0x10000);
                    } while (Character.isSurrogate((char) unit));
                    sb.append(unicodeEscape(unit));
                }
                case 5 -> {
                    int codePoint = 0x10000 + random.nextInt(0x100000);
                    sb.append(unicodeEscape(Character.highSurrogate(codePoint)))
                            .append(unicodeEscape(Character.lowSurrogate(codePoint)));
                }
                case 6 -> sb.append(RAW_UTF8[random.nextInt(RAW_UTF8.length)]);
                default -> {
                    int codePoint;
                    do {
                        codePoint = 0x80 + random.nextInt(Character.MAX_CODE_POINT - 0x80);
                    } while (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE);
                    sb.appendCodePoint(codePoint);
                }
            }
        }
        return sb.toString();
    }

    private String printable() {
        char c;
        do {
            c = (char) (' ' + random.nextInt(95));
        } while (c == '"' || c == '\\');
        return String.valueOf(c);
    }

    private String unicodeEscape(int unit) {
        String hex = String.format("%04x", unit);
        return "\\u" + (random.nextBoolean() ? hex : hex.toUpperCase());
    }

    private void number(StringBuilder sb) {
        String text = switch (random.nextInt(12)) {
            case 0 -> Integer.toString(random.nextInt(2001) - 1000);
            case 1 -> Long.toString(random.nextLong());
            case 2 -> Long.toString(random.nextBoolean() ? Long.MAX_VALUE - random.nextInt(3)
                    : Long.MIN_VALUE + random.nextInt(3));
            case 3 -> (random.nextBoolean() ? "-" : "") + "1" + digits(19 + random.nextInt(25)); // beyond long
            case 4 -> integerPart() + "." + digits(1 + random.nextInt(8));
            case 5 -> integerPart() + "." + digits(15 + random.nextInt(20)); // beyond the fast path
            case 6 -> mantissa() + (random.nextBoolean() ? "e" : "E") + exponentPart();
            case 7 -> new String[] {"0", "-0", "0.0", "-0.0", "0e0", "-0E-0", "0.000", "1e0", "4.9e-324",
                "2.2250738585072014E-308", "1.7976931348623157e308", "1e400", "-1e400", "1e-400", "9007199254740993",
                "9007199254740993.5", "0.1", "1.5e1", "123456789012345678e-3", "9.223372036854775807e18",
                "9223372036854775808", "-9223372036854775809", "1e19", "-1e19", "100000000000000000000e-2"}
                    [random.nextInt(25)];
            case 8 -> Double.toString(Double.longBitsToDouble(random.nextLong())).replace("Infinity", "1e999")
                    .replace("NaN", "0");
            case 9 -> Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 10 -> "-" + integerPart().replace("-", "") + "e-" + random.nextInt(25);
            default -> Integer.toString(random.nextInt(10));
        };
        numbersInOrder.add(text);
        sb.append(text);
    }

    private String integerPart() {
        String magnitude = random.nextInt(4) == 0 ? "0" : (1 + random.nextInt(9)) + digits(random.nextInt(12));
        return (random.nextBoolean() ? "-" : "") + magnitude;
    }

    private String mantissa() {
        return random.nextBoolean() ? integerPart() : integerPart() + "." + digits(1 + random.nextInt(6));
    }

    private String exponentPart() {
        String sign = new String[] {"", "+", "-"}[random.nextInt(3)];
        String leadingZeros = random.nextInt(5) == 0 ? "00" : "";
        return sign + leadingZeros + random.nextInt(random.nextBoolean() ? 23 : 330);
    }

    private String digits(int count) {
        StringBuilder sb = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            sb.append((char) ('0' + random.nextInt(10)));
        }
        return sb.toString();
    }
}
