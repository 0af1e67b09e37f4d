package dev.tokenbench.config;

/**
 * One problem in a benchmark or prompt file.
 *
 * @param file  the file, as the user named it
 * @param field the field path, e.g. {@code targets[1].api}, or {@code (line 12)} for a syntax error
 * @param fix   what is wrong and what to do about it
 */
public record ConfigError(String file, String field, String fix) {
    @Override
    public String toString() {
        return file + ": " + field + ": " + fix;
    }
}
