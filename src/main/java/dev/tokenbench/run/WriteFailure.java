package dev.tokenbench.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A run's file could not be written (disk full, read-only, I/O error): the run is stopped, and the message names
 * the file and the cause, e.g. {@code writing runs/x/requests.jsonl failed: No space left on device}.
 */
public final class WriteFailure extends UncheckedIOException {
    private final Path file;

    public WriteFailure(Path file, IOException cause) {
        super("writing " + file + " failed: " + reason(cause), cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The OS's words for it ("No space left on device"), not the exception's class. */
    private static String reason(IOException cause) {
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            return cause.getClass().getSimpleName();
        }
        // NIO names the file in some messages ("/x/run.json.tmp: Read-only file system"): keep the cause only.
        int colon = message.lastIndexOf(": ");
        return colon >= 0 && message.startsWith("/") ? message.substring(colon + 2) : message;
    }
}
