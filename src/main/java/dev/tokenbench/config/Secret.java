package dev.tokenbench.config;

import java.util.Objects;

/**
 * A credential resolved from {@code ${env:NAME}} or {@code ${file:PATH}}. Its value leaves this object only
 * through {@link #reveal()}, called where a request header is built; every other rendering is {@code ***}.
 */
public final class Secret {
    public static final String REDACTED = "***";

    private final String value;
    private final String source;

    public Secret(String value, String source) {
        this.value = Objects.requireNonNull(value, "value");
        this.source = Objects.requireNonNull(source, "source");
    }

    /** The credential itself: for request headers only. */
    public String reveal() {
        return value;
    }

    /** Where it came from, e.g. {@code env:OPENAI_API_KEY}: safe to show. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return REDACTED;
    }
}
