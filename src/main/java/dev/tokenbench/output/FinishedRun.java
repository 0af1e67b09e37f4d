package dev.tokenbench.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.run.RunJson;
import dev.tokenbench.run.RunResult;

/**
 * What every output gets: the run's in-memory result and its run.json, built once (secrets scrubbed) for the file,
 * the history store and whoever else needs it, instead of being read back from the disk.
 *
 * @param version the tokenbench version the run.json and reports name
 */
public record FinishedRun(RunResult result, String version, ObjectNode runJson) {
    public static FinishedRun of(RunResult result, String version) {
        return new FinishedRun(result, version, RunJson.toJson(result, version));
    }
}
