package dev.tokenbench.cli;

import dev.tokenbench.config.SecretValues;
import dev.tokenbench.report.HtmlReport;
import dev.tokenbench.report.MarkdownReport;
import dev.tokenbench.report.RunOrigin;
import dev.tokenbench.run.Probe;
import dev.tokenbench.run.RunJson;
import dev.tokenbench.run.RunResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes run.json and the reports beside requests.jsonl. */
public final class RunArtifacts {
    private RunArtifacts() {
    }

    public static void write(RunResult result, String version) throws IOException {
        Path dir = result.runDir();
        Files.createDirectories(dir);
        RunJson.write(dir.resolve("run.json"), RunJson.toJson(result, version));
        RunOrigin origin = new RunOrigin(version, Probe.current());
        SecretValues secrets = result.plan().secrets();
        Files.writeString(dir.resolve("report.md"), secrets.scrub(MarkdownReport.render(result, origin)),
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.html"), secrets.scrub(HtmlReport.render(result, origin)),
                StandardCharsets.UTF_8);
    }
}
