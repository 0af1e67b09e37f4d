package dev.tokenbench.run;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Takes credentials out of an error message before it is kept: providers echo keys back ("Incorrect API key
 * provided: sk-…"), and a transport error may quote a URL with a key in its query. The secrets are what the
 * request itself carried: every auth header's value (whole, and each long word of it, so that a bearer token or
 * a SigV4 credential quoted alone goes too) and credential-like query parameters. Each occurrence, raw or
 * URL-encoded, becomes {@code ***}, and so does a secret's beginning left at the end of a message cut short.
 * Strings shaped like any provider's key (echoed or mistyped keys that are not this request's) go too.
 * Runs once per failed request, never per event.
 */
final class SecretScrubber {
    static final String REDACTED = "***";
    static final Set<String> AUTH_HEADERS = Set.of("authorization", "proxy-authorization", "api-key", "x-api-key",
            "x-goog-api-key", "x-amz-security-token", "ocp-apim-subscription-key");
    private static final Set<String> SECRET_QUERY_PARAMETERS = Set.of("key", "api-key", "api_key", "apikey",
            "access_token", "token", "sig", "signature", "x-amz-signature", "x-amz-security-token", "code");
    /** Shorter words of a header value are scheme names and the like, not secrets. */
    private static final int MIN_WORD_CHARS = 8;
    /** The shortest beginning of a secret taken out of a cut-short end. */
    private static final int MIN_PREFIX_CHARS = 4;

    /** Key shapes worth masking even when they are not this request's. */
    private static final Pattern KEY_SHAPES = Pattern.compile(
            "(sk-(?:ant-|proj-)?[A-Za-z0-9_\\-]{16,})|(AIza[0-9A-Za-z_\\-]{30,})|(Bearer\\s+[A-Za-z0-9._~+/=\\-]{12,})");

    private final List<String> secrets;

    private SecretScrubber(List<String> secrets) {
        this.secrets = secrets;
    }

    /** The secrets one request carried in its headers and its URL. */
    static SecretScrubber forRequest(String absoluteUri, Map<String, String> headers, Map<String, String> extra) {
        List<String> found = new ArrayList<>();
        addHeaders(found, headers);
        addHeaders(found, extra);
        addQuery(found, absoluteUri);
        List<String> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(found));
        distinct.sort(Comparator.comparingInt(String::length).reversed()); // a whole value before its words
        return new SecretScrubber(List.copyOf(distinct));
    }

    String scrub(String text) {
        if (text == null) {
            return null;
        }
        String out = KEY_SHAPES.matcher(text).replaceAll(REDACTED);
        for (String secret : secrets) {
            out = out.replace(secret, REDACTED);
            String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
            if (!encoded.equals(secret)) {
                out = out.replace(encoded, REDACTED);
            }
        }
        return scrubCutEnd(out);
    }

    /** "… key: sk-abc12…": a message trimmed in the middle of a secret keeps no part of it. */
    private String scrubCutEnd(String text) {
        String suffix = text.endsWith("…") ? "…" : "";
        String body = text.substring(0, text.length() - suffix.length());
        for (String secret : secrets) {
            for (int k = Math.min(secret.length() - 1, body.length()); k >= MIN_PREFIX_CHARS; k--) {
                if (body.endsWith(secret.substring(0, k))) {
                    return body.substring(0, body.length() - k) + REDACTED + suffix;
                }
            }
        }
        return text;
    }

    private static void addHeaders(List<String> found, Map<String, String> headers) {
        if (headers == null) {
            return;
        }
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getValue() == null || !AUTH_HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                continue;
            }
            addValue(found, h.getValue());
        }
    }

    private static void addValue(List<String> found, String value) {
        String v = value.strip();
        if (v.length() < MIN_WORD_CHARS) {
            return; // no real credential is this short; taking it out of messages would mangle them ("bloc***ed")
        }
        found.add(v);
        int start = -1;
        for (int i = 0; i <= v.length(); i++) {
            boolean separator = i == v.length() || Character.isWhitespace(v.charAt(i)) || v.charAt(i) == ','
                    || v.charAt(i) == '=' || v.charAt(i) == '/';
            if (separator) {
                if (start >= 0 && i - start >= MIN_WORD_CHARS) {
                    found.add(v.substring(start, i));
                }
                start = -1;
            } else if (start < 0) {
                start = i;
            }
        }
    }

    private static void addQuery(List<String> found, String absoluteUri) {
        String query;
        try {
            query = URI.create(absoluteUri).getRawQuery();
        } catch (IllegalArgumentException e) {
            return;
        }
        if (query == null) {
            return;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && SECRET_QUERY_PARAMETERS.contains(pair.substring(0, eq).toLowerCase(Locale.ROOT))) {
                String raw = pair.substring(eq + 1);
                if (raw.length() >= MIN_WORD_CHARS) {
                    found.add(raw);
                    found.add(java.net.URLDecoder.decode(raw, StandardCharsets.UTF_8));
                }
            }
        }
    }
}
