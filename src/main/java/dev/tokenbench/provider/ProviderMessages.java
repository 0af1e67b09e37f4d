package dev.tokenbench.provider;

/** A provider's error message as records and reports keep it: one line's worth, bounded. */
public final class ProviderMessages {
    public static final int MAX_CHARS = 500;

    private ProviderMessages() {
    }

    public static String trim(String message) {
        String oneLine = message.strip();
        return oneLine.length() <= MAX_CHARS ? oneLine : oneLine.substring(0, MAX_CHARS) + "…";
    }
}
