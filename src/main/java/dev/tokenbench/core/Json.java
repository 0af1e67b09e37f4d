package dev.tokenbench.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * The one Jackson mapper of the application (thread-safe once configured, and costly to build, so it is built
 * once). Everything that reads or writes JSON outside the hot path's byte scanner goes through it; the project's
 * structure test checks that no other {@code new ObjectMapper()} appears.
 */
public final class Json {
    /** Compact output, default features. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    /** Indented output, for the files people open (run.json, plan.json). */
    public static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    private Json() {
    }
}
