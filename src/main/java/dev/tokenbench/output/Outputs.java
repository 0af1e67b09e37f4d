package dev.tokenbench.output;

import dev.tokenbench.run.RunResult;

import java.io.IOException;
import java.util.List;

/**
 * The one after-run pipeline, for the CLI and the service alike: run.json and the reports first (the run's result
 * depends on them: a file that cannot be written fails the run), then every other output in the order given, each
 * fed the in-memory run (its run.json built once, never read back from the disk).
 */
public final class Outputs {
    private final List<RunOutput> others;

    /** @param others the outputs after the run's files, in order (the terminal, metrics, history, publish) */
    public Outputs(List<RunOutput> others) {
        this.others = List.copyOf(others);
    }

    /** run.json, report.md and report.html. */
    public FinishedRun writeFiles(RunResult result, String version) throws IOException {
        return RunFiles.write(result, version);
    }

    /** Every other output; each says its own failure, the run stands. */
    public void deliver(FinishedRun run) throws IOException, InterruptedException {
        for (RunOutput output : others) {
            output.finish(run);
        }
    }

    /** {@link #writeFiles} then {@link #deliver}. */
    public FinishedRun finish(RunResult result, String version) throws IOException, InterruptedException {
        FinishedRun run = writeFiles(result, version);
        deliver(run);
        return run;
    }
}
