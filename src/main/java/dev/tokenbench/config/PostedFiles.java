package dev.tokenbench.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/** The only files of the host a benchmark posted to the service may open: those inside the service's directory. */
final class PostedFiles {
    private PostedFiles() {
    }

    /**
     * The regular file {@code written} names inside {@code dir} (symbolic links followed, and still inside), or null:
     * for an absolute path, a drive or scheme, a {@code ..} segment, a file that is not there, or no directory.
     */
    static Path inside(Path dir, String written) {
        String normalized = written.replace('\\', '/');
        if (dir == null || !plain(normalized)) {
            return null;
        }
        try {
            Path candidate = dir.resolve(normalized).normalize();
            if (candidate.startsWith(dir) && Files.isRegularFile(candidate)
                    && candidate.toRealPath().startsWith(dir.toRealPath())) {
                return candidate;
            }
        } catch (IOException | InvalidPathException e) {
            // Not a readable file inside: the caller says so like any other.
        }
        return null;
    }

    /** A relative path without a drive, a scheme or a {@code ..} segment ({@code /} separated). */
    static boolean plain(String normalized) {
        return !normalized.startsWith("/") && !normalized.contains(":")
                && List.of(normalized.split("/")).stream().noneMatch(".."::equals);
    }
}
