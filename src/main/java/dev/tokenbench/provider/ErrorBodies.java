package dev.tokenbench.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.core.Json;

import java.util.Map;

/**
 * Reads the error bodies providers send with a failed response: the JSON shapes of OpenAI and Azure
 * ({@code error.message}, {@code error.code} or {@code error.type}), Anthropic ({@code error.type}), Google
 * ({@code error.status}) and Bedrock ({@code message}, the kind in a header), and anything else as its text.
 */
public final class ErrorBodies {
    /** The header in which AWS names an error's kind, e.g. {@code ThrottlingException:http://internal…}. */
    public static final String AMAZON_ERROR_TYPE = "x-amzn-errortype";

    private ErrorBodies() {
    }

    /**
     * The provider's own message when the body is JSON with one, else the body's text, on one line; led by the
     * error's kind ({@code kind} when given, else the one the body names), e.g. {@code overloaded_error: Overloaded}.
     * Neither scrubbed of credentials nor cut to length: the caller does both.
     */
    public static String describe(String body, String kind) {
        String text = body.strip();
        try {
            JsonNode node = Json.MAPPER.readTree(text);
            JsonNode error = node.path("error");
            String message = error.isTextual() ? error.asText() : error.path("message").asText(null);
            if (message == null) {
                message = node.path("message").asText(null);
            }
            if (kind == null) {
                kind = firstText(error.path("code"), error.path("status"), error.path("type"));
            }
            if (message != null) {
                text = kind == null || message.startsWith(kind) ? message : kind + ": " + message;
            }
        } catch (Exception notJson) {
            // keep the raw text
        }
        return text.replaceAll("\\s+", " ");
    }

    /** The kind AWS names in {@link #AMAZON_ERROR_TYPE} (before its {@code :}), or null when there is none. */
    public static String amazonErrorType(Map<String, String> headers) {
        String type = headers.get(AMAZON_ERROR_TYPE);
        if (type == null || type.isBlank()) {
            return null;
        }
        int colon = type.indexOf(':');
        return (colon < 0 ? type : type.substring(0, colon)).strip();
    }

    private static String firstText(JsonNode... candidates) {
        for (JsonNode c : candidates) {
            // Azure's code is often the status again ("429"): no news, so not a kind.
            if (c.isTextual() && !c.asText().isBlank() && !c.asText().chars().allMatch(Character::isDigit)) {
                return c.asText();
            }
        }
        return null;
    }
}
