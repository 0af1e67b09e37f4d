package dev.tokenbench.output;

import java.io.IOException;

/**
 * One place a finished run goes: its files (run.json and the reports), the terminal, metrics, the history store, a
 * central service. {@link Outputs} drives them, for the CLI and the service alike. Only the run's files may fail the
 * run ({@link IOException}); every other output says its own failure and lets the run stand.
 */
@FunctionalInterface
public interface RunOutput {
    void finish(FinishedRun run) throws IOException, InterruptedException;
}
