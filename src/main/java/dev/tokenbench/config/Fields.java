package dev.tokenbench.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Typed reads from one YAML mapping. A bad value records a {@link ConfigError} at its field path and reads as
 * null, so that the caller carries on and every problem of the file is reported at once. Absent and
 * {@code null} read the same.
 */
final class Fields {
    private final ObjectNode node;
    private final String path;
    private final Problems problems;
    /** Null for prompt-set files: their text is sent as written, {@code ${…}} included. */
    private final SecretReferences references;

    private Fields(ObjectNode node, String path, Problems problems, SecretReferences references) {
        this.node = node;
        this.path = path;
        this.problems = problems;
        this.references = references;
    }

    /**
     * @param what what the mapping should hold, for the error: e.g. {@code "ttft and stream-tps"}
     * @return null when the node is not a mapping (the error is recorded)
     */
    static Fields of(JsonNode node, String path, String what, Problems problems, SecretReferences references) {
        if (node instanceof ObjectNode object) {
            return new Fields(object, path, problems, references);
        }
        problems.add(path, "must be a mapping of " + what + ", found " + describe(node));
        return null;
    }

    String path() {
        return path;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    Problems problems() {
        return problems;
    }

    SecretReferences references() {
        return references;
    }

    boolean has(String key) {
        JsonNode value = node.get(key);
        return value != null && !value.isNull();
    }

    /** The raw node, or null when absent or null. */
    JsonNode raw(String key) {
        return has(key) ? node.get(key) : null;
    }

    List<String> keys() {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** Records an error for each key not in {@code allowed}, with a suggestion when one is close. */
    void allowOnly(List<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                problems.add(path(key), "unknown field '" + key + "'" + Suggestions.closest(key, allowed)
                        .map(s -> "; did you mean '" + s + "'?")
                        .orElse("; known fields here: " + String.join(", ", allowed)));
            }
        }
    }

    /** One of {@code allowed}, or {@code fallback} when absent; null (the problem recorded) when another. */
    String oneOf(String key, List<String> allowed, String fallback) {
        Text text = text(key);
        if (text == null) {
            return has(key) ? null : fallback;
        }
        if (!allowed.contains(text.value())) {
            problems.add(path(key), "unknown " + key + " '" + text.asWritten() + "'"
                    + Suggestions.didYouMean(text, allowed) + "; use one of " + String.join(", ", allowed));
            return null;
        }
        return text.value();
    }

    /** A string (numbers and booleans are taken as written), references resolved; null when absent or bad. */
    Text text(String key) {
        JsonNode value = raw(key);
        if (value == null) {
            return null;
        }
        if (!value.isValueNode()) {
            problems.add(path(key), "must be a single value, found " + describe(value));
            return null;
        }
        return resolve(value.asText(), path(key));
    }

    Text resolve(String raw, String field) {
        return references == null ? Text.literal(raw) : references.resolve(raw, field, problems);
    }

    String string(String key) {
        Text text = text(key);
        return text == null ? null : text.value();
    }

    /** A non-blank string; records {@code missingFix} when absent. */
    Text requiredText(String key, String missingFix) {
        if (!has(key)) {
            problems.add(path(key), missingFix);
            return null;
        }
        Text text = text(key);
        if (text != null && text.value().isBlank()) {
            problems.add(path(key), "is empty; " + missingFix);
            return null;
        }
        return text;
    }

    /** A whole number >= {@code min}; a quoted or {@code ${env:…}} number is accepted too. */
    Integer integer(String key, int min) {
        Long value = wholeNumber(key, min, Integer.MAX_VALUE);
        return value == null ? null : value.intValue();
    }

    Long longInteger(String key) {
        return wholeNumber(key, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private Long wholeNumber(String key, long min, long max) {
        JsonNode value = raw(key);
        if (value == null) {
            return null;
        }
        if (!value.isValueNode()) {
            problems.add(path(key), "must be a whole number, found " + describe(value));
            return null;
        }
        Long parsed = null;
        Text text = Text.literal(value.asText());
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            parsed = value.longValue();
        } else if (value.isTextual()) {
            text = resolve(value.asText(), path(key));
            if (text == null) {
                return null;
            }
            try {
                parsed = Long.parseLong(text.value().strip());
            } catch (NumberFormatException e) {
                parsed = null;
            }
        }
        String range = min == Long.MIN_VALUE ? "" : min == 0 ? " of 0 or more" : min == 1 ? " of 1 or more"
                : " of at least " + min;
        if (parsed == null) {
            problems.add(path(key), "'" + text.asWritten() + "' is not a whole number; write a whole number" + range);
            return null;
        }
        if (parsed < min || parsed > max) {
            String what = parsed > max ? "too large" : parsed == 0 ? "zero" : parsed < 0 ? "negative" : "too small";
            String must = parsed > max ? "it must be at most " + max : "it must be a whole number" + range;
            // A literal is quoted back; a value from a reference is described, never shown.
            problems.add(path(key), text.hasReference()
                    ? "'" + text.asWritten() + "' is " + what + "; " + must
                    : "is " + parsed + " (" + what + "); " + must);
            return null;
        }
        return parsed;
    }

    /** A number > {@code min} (or >= when {@code minInclusive}) and <= {@code max}. */
    Double number(String key, double min, boolean minInclusive, double max, String example) {
        JsonNode value = raw(key);
        if (value == null) {
            return null;
        }
        if (!value.isValueNode()) {
            problems.add(path(key), "must be a number, e.g. " + example + ", found " + describe(value));
            return null;
        }
        Double parsed = null;
        Text text = Text.literal(value.asText());
        if (value.isNumber()) {
            parsed = value.doubleValue();
        } else if (value.isTextual()) {
            text = resolve(value.asText(), path(key));
            if (text == null) {
                return null;
            }
            try {
                parsed = Double.parseDouble(text.value().strip());
            } catch (NumberFormatException e) {
                parsed = null;
            }
        }
        String range = (minInclusive ? "at least " : "greater than ") + plain(min)
                + (max == Double.MAX_VALUE ? "" : " and at most " + plain(max));
        if (parsed == null || parsed.isNaN() || parsed.isInfinite()) {
            problems.add(path(key), "'" + text.asWritten() + "' is not a number; write a number " + range + ", e.g. "
                    + example);
            return null;
        }
        if (parsed < min || (!minInclusive && parsed == min) || parsed > max) {
            problems.add(path(key), (text.hasReference() ? "'" + text.asWritten() + "' is out of range"
                    : "is " + plain(parsed)) + "; it must be " + range);
            return null;
        }
        return parsed;
    }

    /** A duration such as {@code 60s}; {@code positive} rejects zero. */
    Duration duration(String key, boolean positive) {
        JsonNode value = raw(key);
        if (value == null) {
            return null;
        }
        if (!value.isValueNode()) {
            problems.add(path(key), "must be a duration like 500ms, 60s or 2m, found " + describe(value));
            return null;
        }
        Text text = value.isTextual() ? resolve(value.asText(), path(key)) : Text.literal(value.asText());
        if (text == null) {
            return null;
        }
        try {
            Duration duration = Durations.parse(text.value());
            if (positive && duration.isZero()) {
                problems.add(path(key), "is zero; it must be longer than 0, e.g. 500ms or 60s");
                return null;
            }
            return duration;
        } catch (IllegalArgumentException e) {
            // The parser quotes its input; re-phrase with the text as written so a resolved secret never shows.
            problems.add(path(key), text.hasReference()
                    ? e.getMessage().replace("'" + text.value() + "'", "'" + text.asWritten() + "'")
                    : e.getMessage());
            return null;
        }
    }

    Boolean bool(String key) {
        JsonNode value = raw(key);
        if (value == null) {
            return null;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual()) {
            Text text = resolve(value.asText(), path(key));
            if (text == null) {
                return null;
            }
            if (text.value().equalsIgnoreCase("true") || text.value().equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(text.value());
            }
        }
        problems.add(path(key), "'" + value.asText() + "' is not true or false; write true or false");
        return null;
    }

    /** A nested mapping, or null when absent or not a mapping (error recorded). */
    Fields mapping(String key, String what) {
        JsonNode value = raw(key);
        return value == null ? null : of(value, path(key), what, problems, references);
    }

    /** A list, or null when absent or not a list (error recorded). */
    ArrayNode list(String key, String what) {
        JsonNode value = raw(key);
        if (value == null) {
            return null;
        }
        if (value instanceof ArrayNode array) {
            return array;
        }
        problems.add(path(key), "must be a list of " + what + ", found " + describe(value));
        return null;
    }

    static String describe(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isTextual()) {
            return "the text '" + abbreviate(node.asText()) + "'";
        }
        return "'" + node.asText() + "'";
    }

    private static String abbreviate(String s) {
        // A reference may sit in the text; it is as written, never resolved, so it is safe to quote.
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
