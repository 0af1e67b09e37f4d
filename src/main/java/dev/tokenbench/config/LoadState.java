package dev.tokenbench.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The state of one load of a benchmark: its file, where its relative paths start, the loader's settings, and what
 * the blocks have found so far (errors, target names, simulator references), shared by the blocks that read it.
 */
final class LoadState {
    final String display;
    /** Where relative paths in the benchmark start (before workingDir), or null. */
    final Path baseDir;
    /** {@link #baseDir} as the user wrote it, for messages. */
    final Path displayDir;
    final Path workingDir;
    /** The service's rules when the benchmark was posted to it; null for a file the user runs. */
    final PostedPolicy posted;
    final ApiCatalog catalog;
    final List<ConfigError> errors;
    final Problems problems;
    final SecretReferences references;
    /** Every target name written, valid or not, so a bad target does not also fail the baseline. */
    final Set<String> targetNames = new LinkedHashSet<>();
    /** The sim:// base URLs' scenarios, checked against the simulator block. */
    final List<SimReference> simReferences = new ArrayList<>();

    LoadState(BenchmarkLoader loader, String display, Path baseDir, Path displayDir, List<ConfigError> errors) {
        this.display = display;
        this.baseDir = baseDir;
        this.displayDir = displayDir;
        this.workingDir = loader.workingDir();
        this.posted = loader.posted();
        this.catalog = loader.catalog();
        this.errors = errors;
        this.problems = new Problems(display, errors);
        this.references = new SecretReferences(loader.env(), baseDir, workingDir, posted);
    }

    /** @param shown the scenario name for messages, or null when it came from a reference */
    record SimReference(String scenario, String shown, String field) {
    }
}
