package dev.tokenbench.config;

/**
 * A string read from a benchmark file.
 *
 * @param value     with {@code ${env:…}} and {@code ${file:…}} references resolved: may hold a secret
 * @param asWritten the file's text, references unresolved: the only form an error message may quote
 */
record Text(String value, String asWritten) {
    static Text literal(String s) {
        return new Text(s, s);
    }

    boolean hasReference() {
        return !value.equals(asWritten) || SecretReferences.containsReference(asWritten);
    }

    @Override
    public String toString() {
        return asWritten;
    }
}
