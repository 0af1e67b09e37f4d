package dev.tokenbench.config;

import java.util.List;

/**
 * Collects the errors of one file into a list shared by every file of a load (the benchmark and its prompt
 * set), so that one {@link ConfigException} reports them all.
 */
final class Problems {
    private final String file;
    private final List<ConfigError> sink;

    Problems(String file, List<ConfigError> sink) {
        this.file = file;
        this.sink = sink;
    }

    void add(String field, String fix) {
        sink.add(new ConfigError(file, field, fix));
    }

    /** Errors of another file (a prompt set) into the same list. */
    Problems forFile(String otherFile) {
        return new Problems(otherFile, sink);
    }

    String file() {
        return file;
    }

    int count() {
        return sink.size();
    }
}
