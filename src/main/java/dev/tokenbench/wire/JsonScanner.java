package dev.tokenbench.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A pull tokenizer for one JSON document in a byte range; allocation-free except the messages of errors.
 *
 * <p>Hand-written for the per-event hot path: a provider decoder walks each streamed chunk (a few hundred
 * bytes of JSON) looking for two or three fields, so this scans by index over the bytes in place, keeps
 * only offsets into them, and unescapes a string only when asked, into a caller's reused {@link ByteSink}.
 *
 * <p>Strict RFC 8259: malformed input (an unterminated string, a bad escape, a raw control character in a
 * string, a bad literal or number, a missing colon or comma, a trailing comma, data after the top-level
 * value, or no value at all) yields {@link #ERROR}, which then repeats; nothing throws on any input. Bytes
 * inside strings are passed through as they are: UTF-8 is not validated. Nesting deeper than
 * {@value #MAX_DEPTH} levels is an error, so a hostile document cannot grow the container stack without end.
 *
 * <p>Single-threaded; one instance reused with {@link #reset} for every document.
 */
public final class JsonScanner {

    public static final int END = 0, OBJECT_START = 1, OBJECT_END = 2, ARRAY_START = 3, ARRAY_END = 4,
            NAME = 5, STRING = 6, NUMBER = 7, TRUE = 8, FALSE = 9, NULL = 10, ERROR = -1;

    /** Jackson's default limit too, so a document one accepts the other does not reject for its depth. */
    static final int MAX_DEPTH = 1000;

    /** The current token before the first {@link #next()}. */
    private static final int NO_TOKEN = Integer.MIN_VALUE;

    // What next() looks for.
    private static final int EXPECT_VALUE = 0;         // document start, after ':', after ',' in an array
    private static final int EXPECT_FIRST_NAME = 1;    // after '{': a name or '}'
    private static final int EXPECT_FIRST_ELEMENT = 2; // after '[': a value or ']'
    private static final int EXPECT_COLON = 3;         // after a name
    private static final int EXPECT_SEPARATOR = 4;     // after a value: ',' or the container's close
    private static final int AT_END = 5;
    private static final int FAILED = 6;

    /** Exponents beyond this give 0 or infinity anyway; clamping keeps the int from overflowing. */
    private static final int EXPONENT_CLAMP = 100_000_000;
    /** Largest long whose conversion to double is exact. */
    private static final long MAX_EXACT_DOUBLE_MANTISSA = 1L << 53;
    /** 18 decimal digits always fit in a long. */
    private static final int MAX_MANTISSA_DIGITS = 18;
    /** Powers of ten that are exact doubles, for the fast path of {@link #doubleValue()}. */
    private static final double[] EXACT_POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };
    private static final int REPLACEMENT_CHARACTER = 0xFFFD;
    private static final byte[] TRUE_BYTES = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE_BYTES = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL_BYTES = {'n', 'u', 'l', 'l'};
    private static final byte[] NO_BYTES = {};

    private static final String UNEXPECTED_END = "unexpected end of input";

    private byte[] buf = NO_BYTES;
    private int start;
    private int pos;
    private int end;
    private int expect = EXPECT_VALUE;
    private int token = NO_TOKEN;
    private int depth;
    /** Bit d set: the container at depth d + 1 is an object, else an array. Grows only past 256 levels. */
    private long[] containerIsObject = new long[4];

    // The current NAME or STRING: raw bytes between the quotes.
    private int textStart;
    private int textEnd;
    private boolean textHasEscapes;

    // The current NUMBER: its text and where its digits are.
    private int numberStart;
    private int numberEnd;
    private boolean numberNegative;
    private int integerDigitsStart;
    private int integerDigitsEnd;
    private int fractionDigitsStart;
    private int fractionDigitsEnd;
    private int exponent;

    private String errorReason;
    private int errorOffset;

    public void reset(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        this.buf = buf;
        this.start = off;
        this.pos = off;
        this.end = off + len;
        this.expect = EXPECT_VALUE;
        this.token = NO_TOKEN;
        this.depth = 0;
        this.textHasEscapes = false;
        this.errorReason = null;
        this.errorOffset = 0;
    }

    /** Next token; an object member yields NAME then its value's token(s). After END or ERROR, the same again. */
    public int next() {
        int p;
        switch (expect) {
            case EXPECT_VALUE:
                return value(skipWhitespace(pos));
            case EXPECT_FIRST_NAME:
                p = skipWhitespace(pos);
                if (p < end && buf[p] == '}') {
                    return closeContainer(p, OBJECT_END);
                }
                return name(p);
            case EXPECT_FIRST_ELEMENT:
                p = skipWhitespace(pos);
                if (p < end && buf[p] == ']') {
                    return closeContainer(p, ARRAY_END);
                }
                return value(p);
            case EXPECT_COLON:
                p = skipWhitespace(pos);
                if (p < end && buf[p] == ':') {
                    return value(skipWhitespace(p + 1));
                }
                return fail(p, p < end ? "expected ':' after a member name" : UNEXPECTED_END);
            case EXPECT_SEPARATOR:
                return separator(skipWhitespace(pos));
            case AT_END:
                return token = END;
            default:
                return ERROR;
        }
    }

    /** Container nesting depth after the current token (top-level object's members are at depth 1). */
    public int depth() {
        return depth;
    }

    /** Whether the current NAME/STRING raw bytes (between the quotes) equal the literal; escapes are not undone. */
    public boolean textEquals(byte[] ascii) {
        if (!isText()) {
            return false;
        }
        int len = textEnd - textStart;
        if (len != ascii.length) {
            return false;
        }
        byte[] b = buf;
        int s = textStart;
        for (int i = 0; i < len; i++) {
            if (b[s + i] != ascii[i]) {
                return false;
            }
        }
        return true;
    }

    /** Raw (still escaped) byte length of the current NAME/STRING; 0 for other tokens. */
    public int textLength() {
        return isText() ? textEnd - textStart : 0;
    }

    public boolean textHasEscapes() {
        return isText() && textHasEscapes;
    }

    /**
     * The current NUMBER as long, fraction truncated toward zero, exact for every JSON number (an exponent is
     * applied to the decimal digits, not through a double); beyond the long range it saturates to
     * {@link Long#MAX_VALUE} or {@link Long#MIN_VALUE}. 0 when the current token is not a NUMBER.
     */
    public long longValue() {
        if (token != NUMBER) {
            return 0;
        }
        final int integerDigits = integerDigitsEnd - integerDigitsStart;
        final int allDigits = integerDigits + (fractionDigitsEnd - fractionDigitsStart);
        final long digitsBeforePoint = (long) integerDigits + exponent;
        // Accumulated negative: the long range has one more negative value than positive.
        long negativeValue = 0;
        for (long k = 0; k < digitsBeforePoint; k++) {
            int digit;
            if (k < integerDigits) {
                digit = buf[integerDigitsStart + (int) k] - '0';
            } else if (k < allDigits) {
                digit = buf[fractionDigitsStart + (int) (k - integerDigits)] - '0';
            } else if (negativeValue == 0) {
                return 0; // all digits were zero, however large the exponent
            } else {
                digit = 0;
            }
            if (negativeValue < Long.MIN_VALUE / 10) {
                return saturated();
            }
            negativeValue *= 10;
            if (negativeValue < Long.MIN_VALUE + digit) {
                return saturated();
            }
            negativeValue -= digit;
        }
        if (numberNegative) {
            return negativeValue;
        }
        return negativeValue == Long.MIN_VALUE ? Long.MAX_VALUE : -negativeValue;
    }

    /**
     * The current NUMBER, correctly rounded; 0 when the current token is not a NUMBER. Up to 15-16
     * significant digits with a small exponent (nearly every number a provider sends) are converted
     * exactly without allocating (Clinger's fast path); longer ones go through {@link Double#parseDouble}.
     */
    public double doubleValue() {
        if (token != NUMBER) {
            return 0;
        }
        long mantissa = 0;
        int significantDigits = 0;
        final int integerDigits = integerDigitsEnd - integerDigitsStart;
        final int allDigits = integerDigits + (fractionDigitsEnd - fractionDigitsStart);
        for (int k = 0; k < allDigits; k++) {
            int digit = k < integerDigits
                    ? buf[integerDigitsStart + k] - '0'
                    : buf[fractionDigitsStart + k - integerDigits] - '0';
            if (mantissa == 0 && digit == 0) {
                continue; // a leading zero is not significant
            }
            if (++significantDigits > MAX_MANTISSA_DIGITS) {
                return parseDoubleSlowly();
            }
            mantissa = mantissa * 10 + digit;
        }
        if (mantissa == 0) {
            return numberNegative ? -0.0 : 0.0;
        }
        long decimalExponent = (long) exponent - (allDigits - integerDigits);
        if (mantissa > MAX_EXACT_DOUBLE_MANTISSA
                || decimalExponent < -(EXACT_POWERS_OF_TEN.length - 1)
                || decimalExponent > EXACT_POWERS_OF_TEN.length - 1) {
            return parseDoubleSlowly();
        }
        // Both operands are exact doubles, so the one rounding of the product or quotient is the right one.
        double magnitude = decimalExponent >= 0
                ? (double) mantissa * EXACT_POWERS_OF_TEN[(int) decimalExponent]
                : (double) mantissa / EXACT_POWERS_OF_TEN[(int) -decimalExponent];
        return numberNegative ? -magnitude : magnitude;
    }

    /**
     * Appends the current NAME/STRING, unescaped, as UTF-8: a backslash-u escape (a surrogate pair counts as one)
     * becomes up to 4 bytes, a lone surrogate becomes U+FFFD. Appends nothing for other tokens.
     */
    public void appendText(ByteSink sink) {
        if (!isText()) {
            return;
        }
        final byte[] b = buf;
        final int textLimit = textEnd;
        if (!textHasEscapes) {
            sink.append(b, textStart, textLimit - textStart);
            return;
        }
        int runStart = textStart;
        int i = textStart;
        // The string was validated when it was scanned, so every escape here is complete and well formed.
        while (i < textLimit) {
            if (b[i] != '\\') {
                i++;
                continue;
            }
            if (i > runStart) {
                sink.append(b, runStart, i - runStart);
            }
            byte escaped = b[i + 1];
            i += 2;
            switch (escaped) {
                case 'b': sink.append((byte) '\b'); break;
                case 'f': sink.append((byte) '\f'); break;
                case 'n': sink.append((byte) '\n'); break;
                case 'r': sink.append((byte) '\r'); break;
                case 't': sink.append((byte) '\t'); break;
                case 'u': {
                    int unit = hex4(b, i);
                    i += 4;
                    int codePoint = unit;
                    if (Character.isHighSurrogate((char) unit)) {
                        int low = i + 6 <= textLimit && b[i] == '\\' && b[i + 1] == 'u' ? hex4(b, i + 2) : -1;
                        if (low >= 0 && Character.isLowSurrogate((char) low)) {
                            codePoint = Character.toCodePoint((char) unit, (char) low);
                            i += 6;
                        } else {
                            codePoint = REPLACEMENT_CHARACTER;
                        }
                    } else if (Character.isLowSurrogate((char) unit)) {
                        codePoint = REPLACEMENT_CHARACTER;
                    }
                    sink.appendUtf8CodePoint(codePoint);
                    break;
                }
                default: sink.append(escaped); break; // '"', '\\' and '/' stand for themselves
            }
            runStart = i;
        }
        if (i > runStart) {
            sink.append(b, runStart, i - runStart);
        }
    }

    /**
     * Called right after NAME (or at OBJECT_START/ARRAY_START): skips the whole value so the next next()
     * returns what follows it. At any other token it does nothing. The value is still checked: malformed
     * input inside it makes the next next() return ERROR.
     */
    public void skipValue() {
        int current = token;
        if (current == NAME) {
            current = next();
        }
        if (current != OBJECT_START && current != ARRAY_START) {
            return;
        }
        final int outsideDepth = depth - 1;
        while (true) {
            int t = next();
            if (t == ERROR || t == END) {
                return;
            }
            if (depth == outsideDepth && (t == OBJECT_END || t == ARRAY_END)) {
                return;
            }
        }
    }

    /**
     * Where a scan stands between two tokens, to {@link #resume} another document that has the same bytes up to
     * here: a left-to-right scanner's state after a prefix depends on that prefix's bytes alone. One per decoder,
     * reused; valid only between containers no deeper than 63 levels (the nesting bits fit one long).
     */
    public static final class Mark {
        int offset = -1;
        int expect;
        int token;
        int depth;
        long containers;

        /** How many bytes of the marked document, from its start, the state depends on; -1 when unset. */
        public int length() {
            return offset;
        }

        public void clear() {
            offset = -1;
        }
    }

    /**
     * Marks where the scan stands now; false (and the mark unset) after an error, beyond 63 levels, or on a token
     * with text or digits (a mark keeps no offsets into the document but its length).
     */
    public boolean mark(Mark mark) {
        if (expect == FAILED || depth > 63 || token == NAME || token == STRING || token == NUMBER) {
            mark.offset = -1;
            return false;
        }
        mark.offset = pos - start;
        mark.expect = expect;
        mark.token = token;
        mark.depth = depth;
        mark.containers = containerIsObject[0];
        return true;
    }

    /**
     * Starts scanning {@code buf[off, off + len)} where {@code mark} was taken in another document. The caller
     * has checked that this one's first {@link Mark#length()} bytes are the marked document's: the tokens after it
     * then come out exactly as a scan from the start would give them.
     */
    public void resume(byte[] buf, int off, int len, Mark mark) {
        reset(buf, off, len);
        if (mark.offset < 0 || mark.offset > len) {
            throw new IllegalArgumentException("mark not set or beyond the document");
        }
        this.pos = off + mark.offset;
        this.expect = mark.expect;
        this.token = mark.token;
        this.depth = mark.depth;
        this.containerIsObject[0] = mark.containers;
    }

    /** After ERROR: short reason with the byte offset (from the start of the range); null otherwise. */
    public String errorMessage() {
        return errorReason == null ? null : errorReason + " at byte " + errorOffset;
    }

    /** Allocation: for rare paths only. The current NAME/STRING unescaped; "" for other tokens. */
    public String textAsString() {
        if (!isText()) {
            return "";
        }
        ByteSink sink = new ByteSink(textEnd - textStart);
        appendText(sink);
        return sink.toUtf8String();
    }

    private boolean isText() {
        return token == NAME || token == STRING;
    }

    private long saturated() {
        return numberNegative ? Long.MIN_VALUE : Long.MAX_VALUE;
    }

    private double parseDoubleSlowly() {
        // The JSON number grammar is a subset of Java's, so the raw text parses as it is.
        return Double.parseDouble(new String(buf, numberStart, numberEnd - numberStart, StandardCharsets.ISO_8859_1));
    }

    private int skipWhitespace(int from) {
        final byte[] b = buf;
        int p = from;
        while (p < end) {
            byte c = b[p];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                break;
            }
            p++;
        }
        return p;
    }

    private int value(int p) {
        if (p >= end) {
            return fail(p, UNEXPECTED_END);
        }
        switch (buf[p]) {
            case '{':
                return openContainer(p, true, OBJECT_START, EXPECT_FIRST_NAME);
            case '[':
                return openContainer(p, false, ARRAY_START, EXPECT_FIRST_ELEMENT);
            case '"':
                if (!scanString(p)) {
                    return ERROR;
                }
                expect = EXPECT_SEPARATOR;
                return token = STRING;
            case 't':
                return literal(p, TRUE_BYTES, TRUE);
            case 'f':
                return literal(p, FALSE_BYTES, FALSE);
            case 'n':
                return literal(p, NULL_BYTES, NULL);
            case '-': case '0': case '1': case '2': case '3': case '4':
            case '5': case '6': case '7': case '8': case '9':
                return number(p);
            default:
                return fail(p, "expected a value");
        }
    }

    private int name(int p) {
        if (p >= end) {
            return fail(p, UNEXPECTED_END);
        }
        if (buf[p] != '"') {
            return fail(p, "expected a member name");
        }
        if (!scanString(p)) {
            return ERROR;
        }
        expect = EXPECT_COLON;
        return token = NAME;
    }

    private int separator(int p) {
        if (depth == 0) {
            if (p == end) {
                pos = p;
                expect = AT_END;
                return token = END;
            }
            return fail(p, "unexpected data after the top-level value");
        }
        if (p >= end) {
            return fail(p, UNEXPECTED_END);
        }
        byte c = buf[p];
        boolean inObject = isObjectAt(depth - 1);
        if (c == ',') {
            int q = skipWhitespace(p + 1);
            return inObject ? name(q) : value(q);
        }
        if (inObject && c == '}') {
            return closeContainer(p, OBJECT_END);
        }
        if (!inObject && c == ']') {
            return closeContainer(p, ARRAY_END);
        }
        return fail(p, inObject ? "expected ',' or '}'" : "expected ',' or ']'");
    }

    private int openContainer(int p, boolean isObject, int openToken, int nextExpect) {
        if (depth == MAX_DEPTH) {
            return fail(p, "nesting too deep");
        }
        int word = depth >>> 6;
        if (word == containerIsObject.length) {
            containerIsObject = Arrays.copyOf(containerIsObject, word * 2);
        }
        long bit = 1L << depth; // shifts use the low 6 bits, i.e. depth % 64
        if (isObject) {
            containerIsObject[word] |= bit;
        } else {
            containerIsObject[word] &= ~bit;
        }
        depth++;
        pos = p + 1;
        expect = nextExpect;
        return token = openToken;
    }

    private boolean isObjectAt(int level) {
        return (containerIsObject[level >>> 6] & (1L << level)) != 0;
    }

    private int closeContainer(int p, int closeToken) {
        depth--;
        pos = p + 1;
        expect = EXPECT_SEPARATOR;
        return token = closeToken;
    }

    /** Scans the string whose opening quote is at {@code quote}; on success the current text is set. */
    private boolean scanString(int quote) {
        final byte[] b = buf;
        final int limit = end;
        boolean escapes = false;
        int i = quote + 1;
        while (true) {
            // Plain bytes eight at a time; the loop below sees only the first byte that may be special, and the
            // last few bytes of the range.
            while (i <= limit - Long.BYTES) {
                long special = Swar.stringSpecialBytes(Swar.longAt(b, i));
                if (special != 0) {
                    i += Swar.firstFlaggedByte(special);
                    break;
                }
                i += Long.BYTES;
            }
            if (i >= limit) {
                fail(quote, "unterminated string");
                return false;
            }
            byte c = b[i];
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                escapes = true;
                if (i + 1 >= limit) {
                    fail(quote, "unterminated string");
                    return false;
                }
                byte e = b[i + 1];
                if (e == 'u') {
                    if (i + 6 > limit) {
                        fail(quote, "unterminated string");
                        return false;
                    }
                    if (hex4(b, i + 2) < 0) {
                        fail(i, "bad \\u escape");
                        return false;
                    }
                    i += 6;
                } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r'
                        || e == 't') {
                    i += 2;
                } else {
                    fail(i, "bad escape");
                    return false;
                }
            } else if ((c & 0xFF) < 0x20) {
                fail(i, "control character in string");
                return false;
            } else {
                i++;
            }
        }
        textStart = quote + 1;
        textEnd = i;
        textHasEscapes = escapes;
        pos = i + 1;
        return true;
    }

    /** The value of four hex digits at {@code at}, or -1 if any is not a hex digit. */
    private static int hex4(byte[] b, int at) {
        int value = 0;
        for (int i = at; i < at + 4; i++) {
            int c = b[i];
            int digit;
            if (c >= '0' && c <= '9') {
                digit = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                digit = c - 'a' + 10;
            } else if (c >= 'A' && c <= 'F') {
                digit = c - 'A' + 10;
            } else {
                return -1;
            }
            value = (value << 4) | digit;
        }
        return value;
    }

    private int literal(int p, byte[] word, int literalToken) {
        if (end - p < word.length) {
            return fail(p, "bad literal");
        }
        for (int i = 0; i < word.length; i++) {
            if (buf[p + i] != word[i]) {
                return fail(p, "bad literal");
            }
        }
        pos = p + word.length;
        expect = EXPECT_SEPARATOR;
        return token = literalToken;
    }

    private int number(int p) {
        final byte[] b = buf;
        int i = p;
        boolean negative = b[i] == '-';
        if (negative) {
            i++;
        }
        final int integerStart = i;
        if (i < end && b[i] == '0') {
            i++; // a leading zero stands alone; "01" ends the number after the 0
        } else if (i < end && isDigit(b[i])) {
            i = skipDigits(i + 1);
        } else {
            return fail(i, "bad number: expected a digit");
        }
        final int integerEnd = i;
        int fractionStart = i;
        int fractionEnd = i;
        if (i < end && b[i] == '.') {
            i++;
            if (i >= end || !isDigit(b[i])) {
                return fail(i, "bad number: expected a digit after '.'");
            }
            fractionStart = i;
            i = skipDigits(i + 1);
            fractionEnd = i;
        }
        int exponentValue = 0;
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                negativeExponent = b[i] == '-';
                i++;
            }
            if (i >= end || !isDigit(b[i])) {
                return fail(i, "bad number: expected a digit in the exponent");
            }
            do {
                if (exponentValue < EXPONENT_CLAMP) {
                    exponentValue = exponentValue * 10 + (b[i] - '0');
                }
                i++;
            } while (i < end && isDigit(b[i]));
            exponent = negativeExponent ? -exponentValue : exponentValue;
        } else {
            exponent = 0;
        }
        numberStart = p;
        numberEnd = i;
        numberNegative = negative;
        integerDigitsStart = integerStart;
        integerDigitsEnd = integerEnd;
        fractionDigitsStart = fractionStart;
        fractionDigitsEnd = fractionEnd;
        pos = i;
        expect = EXPECT_SEPARATOR;
        return token = NUMBER;
    }

    private int skipDigits(int from) {
        int i = from;
        while (i < end && isDigit(buf[i])) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private int fail(int p, String reason) {
        errorReason = reason;
        errorOffset = p - start;
        expect = FAILED;
        return token = ERROR;
    }

    // Value readers every provider decoder needs; here once so that no decoder carries its own copy.

    /**
     * After {@link #next()} returned {@code token} for a value: skips the rest of that value when it opened an
     * object or array. False when the token was {@link #ERROR}.
     */
    public boolean skipRestOf(int token) {
        if (token == OBJECT_START || token == ARRAY_START) {
            skipValue();
        }
        return token != ERROR;
    }

    /** Reads the next value: its long when it is a number; otherwise skips it and returns -1. */
    public long nextLong() {
        int token = next();
        if (token == NUMBER) {
            return longValue();
        }
        skipRestOf(token);
        return -1;
    }

    /** Reads the next value: appends it to {@code sink} when it is a non-empty string (true), else skips it. */
    public boolean nextNonEmptyText(ByteSink sink) {
        int token = next();
        if (token == STRING) {
            if (textLength() == 0) {
                return false;
            }
            appendText(sink);
            return true;
        }
        skipRestOf(token);
        return false;
    }

    /**
     * Reads the next value whole and appends its JSON bytes, as they stand in the buffer, to {@code sink} (a
     * structured value such as a tool call's arguments object, counted as text). False on ERROR.
     */
    public boolean nextRawValue(ByteSink sink) {
        int token = next();
        int from;
        switch (token) {
            case OBJECT_START, ARRAY_START -> from = pos - 1;
            case STRING -> from = textStart - 1;
            case NUMBER -> from = numberStart;
            case TRUE, NULL -> from = pos - TRUE_BYTES.length;
            case FALSE -> from = pos - FALSE_BYTES.length;
            default -> {
                return false;
            }
        }
        skipRestOf(token);
        if (expect == FAILED) {
            return false;
        }
        sink.append(buf, from, pos - from);
        return true;
    }

    /** Reads the next value, an object, and returns its member {@code key} as a long; -1 when absent. */
    public long nextMemberLong(byte[] key) {
        int token = next();
        if (token != OBJECT_START) {
            skipRestOf(token);
            return -1;
        }
        long value = -1;
        while (next() == NAME) {
            if (textEquals(key)) {
                value = nextLong();
            } else {
                skipValue();
            }
        }
        return value;
    }

    /** True when {@code buf[off, off + len)} holds exactly the bytes of {@code literal}. */
    public static boolean rangeEquals(byte[] buf, int off, int len, byte[] literal) {
        if (len != literal.length) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (buf[off + i] != literal[i]) {
                return false;
            }
        }
        return true;
    }
}
