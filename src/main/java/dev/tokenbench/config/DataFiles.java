package dev.tokenbench.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The data files a benchmark names besides its prompt set (a trace to replay, a dataset of prompts): found the way a
 * prompt file is (next to the benchmark, then the working directory; for a posted benchmark only inside the
 * service's prompt directory), and read line by line with a bound on each line, so that no file can make the loader
 * hold more than it needs.
 */
final class DataFiles {
    /** The longest line a trace or dataset may have: a JSONL row with a prompt of a million tokens fits. */
    static final int MAX_LINE_CHARACTERS = 16 * 1024 * 1024;
    /** A data file's size: a dataset is read whole before it is sampled (ShareGPT's largest file is ~650 MB). */
    static final long MAX_FILE_BYTES = 1024L * 1024 * 1024;

    /** A file found: where it is, and how to name it in messages. */
    record Found(Path path, String display) {
    }

    private DataFiles() {
    }

    /**
     * The file the benchmark's {@code field} names, or null after recording why not.
     *
     * @param what what the file is, for messages ("trace", "dataset")
     */
    static Found find(String written, String field, String what, LoadState state) {
        Problems problems = state.problems;
        if (written.isBlank()) {
            problems.add(field, "is empty; name the " + what + " file");
            return null;
        }
        if (state.posted != null) {
            // Untrusted: only a file inside the service's prompt directory; no message names anything outside it.
            Path dir = state.posted.promptsDir();
            Path inside = PostedFiles.inside(dir, written);
            if (inside == null) {
                problems.add(field, what + " file '" + written + "' is not in the service's prompt directory"
                        + (dir == null ? " (it has none)" : "") + "; a posted benchmark names a file relative to "
                        + "that directory (tokenbench.serve.benchmarks-dir)");
                return null;
            }
            return new Found(inside, written.replace('\\', '/'));
        }
        List<Path> candidates = SecretReferences.candidates(written, state.baseDir, state.workingDir);
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return new Found(candidate, display(written, candidate, state));
            }
        }
        problems.add(field, what + " file '" + written + "' not found (looked in "
                + SecretReferences.describe(candidates) + "); check the path");
        return null;
    }

    /** As the user would write it from where they stand: as written, unless it was found next to the benchmark. */
    private static String display(String written, Path found, LoadState state) {
        Path asWritten = Path.of(written);
        if (asWritten.isAbsolute() || state.baseDir == null
                || found.equals(state.workingDir.resolve(asWritten).normalize()) || state.displayDir == null) {
            return written;
        }
        return state.displayDir.resolve(asWritten).normalize().toString();
    }

    /** Why a data file cannot be opened: its size, or null when it can. */
    static String sizeProblem(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            return "is " + size / (1024 * 1024) + " MiB; at most " + MAX_FILE_BYTES / (1024 * 1024) + " MiB (it is "
                    + "read before the run starts); cut it down to the rows you need";
        }
        return null;
    }

    /** The message for a file that cannot be read, naming no path (the caller's error names the file). */
    static String readProblem(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "cannot read the file: permission denied; check its permissions";
        }
        if (e instanceof CharacterCodingException) {
            return "the file is not UTF-8 text; save it as UTF-8";
        }
        return "cannot read the file (" + e.getClass().getSimpleName() + "); check the path";
    }

    /** Jackson's message without the source location it appends (the caller names the line). */
    static String jsonProblem(String originalMessage) {
        String message = originalMessage == null ? "invalid JSON" : originalMessage;
        int cut = message.indexOf(" (for ");
        message = cut > 0 ? message.substring(0, cut) : message;
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }

    /** A strict UTF-8 reader: bad bytes are an error, not replacement characters in a prompt. */
    static BufferedReader utf8(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)), 64 * 1024);
    }

    /** Lines with their 1-based numbers, each at most {@link #MAX_LINE_CHARACTERS} long. */
    static final class Lines {
        private final BufferedReader reader;
        private final StringBuilder line = new StringBuilder();
        private int number;
        private boolean ended;

        Lines(BufferedReader reader) {
            this.reader = reader;
        }

        /** The next line without its line break, or null at the end of the file. */
        String next() throws IOException {
            if (ended) {
                return null;
            }
            line.setLength(0);
            int c;
            while ((c = reader.read()) != -1) {
                if (c == '\n') {
                    break;
                }
                if (line.length() >= MAX_LINE_CHARACTERS) {
                    throw new LineTooLong(number + 1);
                }
                line.append((char) c);
            }
            if (c == -1) {
                ended = true;
                if (line.length() == 0) {
                    return null;
                }
            }
            number++;
            int end = line.length();
            if (end > 0 && line.charAt(end - 1) == '\r') {
                end--;
            }
            String text = line.substring(0, end);
            // A byte-order mark some editors put first is not part of the header.
            return number == 1 && text.startsWith("\uFEFF") ? text.substring(1) : text;
        }

        /** The number of the line {@link #next} returned last. */
        int number() {
            return number;
        }
    }

    /** A line over {@link #MAX_LINE_CHARACTERS}. */
    static final class LineTooLong extends IOException {
        final int line;

        LineTooLong(int line) {
            super("line " + line + " is longer than " + MAX_LINE_CHARACTERS + " characters");
            this.line = line;
        }
    }
}
