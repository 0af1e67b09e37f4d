package dev.tokenbench.run;

import dev.tokenbench.provider.PreparedRequest;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Takes the request's credentials out of an error message before it reaches a record: a provider may echo the key
 * it refused, a transport exception may quote the URL. Runs once per failed request, never per event.
 */
final class ErrorScrubber {
    static final String MASK = "***";

    /** Request headers that carry credentials (lower case). */
    static final Set<String> AUTH_HEADERS = Set.of("authorization", "proxy-authorization", "api-key", "x-api-key",
            "x-goog-api-key", "x-amz-security-token", "cookie", "ocp-apim-subscription-key");
    /** Query parameters that carry credentials (Gemini's {@code key=}). */
    private static final Set<String> AUTH_QUERY_PARAMETERS = Set.of("key", "api-key", "api_key", "access_token",
            "x-amz-security-token", "x-amz-signature", "sig");
    /** A part of a credential this long is masked wherever it shows up on its own (a Bearer token, a signature). */
    private static final int MIN_PART_CHARS = 12;
    private static final int MIN_VALUE_CHARS = 4;
    /** Key shapes worth masking even when they are not this request's: echoed or mistyped keys of any provider. */
    private static final Pattern KEY_SHAPES = Pattern.compile(
            "(sk-(?:ant-|proj-)?[A-Za-z0-9_\\-]{16,})|(AIza[0-9A-Za-z_\\-]{30,})|(Bearer\\s+[A-Za-z0-9._~+/=\\-]{12,})");

    private final List<String> secrets;

    private ErrorScrubber(List<String> secrets) {
        this.secrets = secrets;
    }

    static ErrorScrubber forRequest(PreparedRequest prepared, Map<String, String> extraHeaders) {
        List<String> secrets = new ArrayList<>();
        addHeaderSecrets(prepared.headers(), secrets);
        addHeaderSecrets(extraHeaders, secrets);
        addQuerySecrets(prepared.absoluteUri(), secrets);
        // Longest first, so a whole value is masked before a part of it could leave the rest showing.
        secrets.sort(Comparator.comparingInt(String::length).reversed());
        return new ErrorScrubber(secrets);
    }

    String scrub(String message) {
        if (message == null) {
            return null;
        }
        String out = message;
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        return KEY_SHAPES.matcher(out).replaceAll(MASK);
    }

    private static void addHeaderSecrets(Map<String, String> headers, List<String> secrets) {
        if (headers == null) {
            return;
        }
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getValue() != null && AUTH_HEADERS.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                addValue(h.getValue(), secrets);
            }
        }
    }

    private static void addQuerySecrets(String absoluteUri, List<String> secrets) {
        String query;
        try {
            query = URI.create(absoluteUri).getRawQuery();
        } catch (IllegalArgumentException notAUri) {
            return;
        }
        if (query == null) {
            return;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && AUTH_QUERY_PARAMETERS.contains(pair.substring(0, eq).toLowerCase(java.util.Locale.ROOT))) {
                addValue(pair.substring(eq + 1), secrets);
                addValue(java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8),
                        secrets);
            }
        }
    }

    /** The whole value and its long parts ("Bearer X" → X; SigV4's Credential and Signature values). */
    private static void addValue(String value, List<String> secrets) {
        String v = value.strip();
        if (v.length() < MIN_VALUE_CHARS) {
            return; // not a credential anyone could use, and masking it would mangle ordinary words
        }
        secrets.add(v);
        for (String part : v.split("[\\s,=/]+")) {
            if (part.length() >= MIN_PART_CHARS) {
                secrets.add(part);
            }
        }
    }
}
