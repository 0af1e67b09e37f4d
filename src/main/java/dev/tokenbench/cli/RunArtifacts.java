package dev.tokenbench.cli;

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
 * Writes run.json and the reports beside requests.jsonl, each whole or not at all ({@link DurableFiles}): a file
 * that cannot be written is a {@link WriteFailure} naming it and the cause.
 */
public final class RunArtifacts {
    private RunArtifacts() {
    }

    public static void write(RunResult result, String version) throws IOException {
        Path dir = result.runDir();
        RunJson.write(dir.resolve("run.json"), RunJson.toJson(result, version));
        RunOrigin origin = new RunOrigin(version, Probe.current());
        SecretValues secrets = result.plan().secrets();
        writeText(dir.resolve("report.md"), secrets.scrub(MarkdownReport.render(result, origin)));
        writeText(dir.resolve("report.html"), secrets.scrub(HtmlReport.render(result, origin)));
    }

    private static void writeText(Path file, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        DurableFiles.replace(file, out -> out.write(bytes));
    }
}
