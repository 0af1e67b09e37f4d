package dev.tokenbench.cli;

import dev.tokenbench.run.RunManifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code run --out DIR} into a directory that already holds a run: refused (exit 2), since appending to its
 * requests.jsonl while replacing its run.json would make one run of two; or, with {@code --force}, the old run's
 * files are removed first. Other files in the directory are left alone.
 */
final class RunDirectory {
    /** What makes a directory hold a run. */
    static final List<String> RUN_MARKERS = List.of("run.json", "requests.jsonl");
    /** Every file a run writes into its directory, and the temporary files of its atomic writes. */
    static final List<String> RUN_FILES = List.of("requests.jsonl", RunManifest.FILE, "run.json", "report.md",
            "report.html");

    private RunDirectory() {
    }

    /** Why {@code --out dir} cannot be used without --force, or null when it can. */
    static String refusal(Path dir) {
        for (String marker : RUN_MARKERS) {
            if (Files.exists(dir.resolve(marker))) {
                return "--out " + dir + " already holds a run (" + marker + "); pass --force to replace it, or "
                        + "choose another --out (default: a new directory under runs/)";
            }
        }
        return null;
    }

    /** Removes the files of the run {@code dir} holds (--force). */
    static void clear(Path dir) throws IOException {
        for (String name : RUN_FILES) {
            Files.deleteIfExists(dir.resolve(name));
            Files.deleteIfExists(dir.resolve(name + ".tmp"));
        }
    }
}
