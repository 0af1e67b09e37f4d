package dev.tokenbench.output;

import dev.tokenbench.config.SecretValues;
import dev.tokenbench.report.HtmlReport;
import dev.tokenbench.report.MarkdownReport;
import dev.tokenbench.report.RunOrigin;
import dev.tokenbench.run.DurableFiles;
import dev.tokenbench.run.Probe;
import dev.tokenbench.run.RunJson;
import dev.tokenbench.run.RunResult;
import dev.tokenbench.run.WriteFailure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * run.json and the reports beside requests.jsonl, each whole or not at all ({@link DurableFiles}): a file that
 * cannot be written is a {@link WriteFailure} naming it and the cause, which fails the run.
 */
public final class RunFiles implements RunOutput {
    @Override
    public void finish(FinishedRun run) throws IOException {
        RunResult result = run.result();
        Path dir = result.runDir();
        RunJson.write(dir.resolve("run.json"), run.runJson());
        RunOrigin origin = new RunOrigin(run.version(), Probe.current());
        SecretValues secrets = result.plan().secrets();
        writeText(dir.resolve("report.md"), secrets.scrub(MarkdownReport.render(result, origin)));
        writeText(dir.resolve("report.html"), secrets.scrub(HtmlReport.render(result, origin)));
    }

    /** The files of a run rebuilt or made outside a run (report DIR, an imported run's report, a queued run). */
    public static FinishedRun write(RunResult result, String version) throws IOException {
        FinishedRun run = FinishedRun.of(result, version);
        new RunFiles().finish(run);
        return run;
    }

    private static void writeText(Path file, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        DurableFiles.replace(file, out -> out.write(bytes));
    }
}
