package dev.tokenbench.cli;

import dev.tokenbench.output.RunFiles;
import dev.tokenbench.report.TerminalReport;
import dev.tokenbench.run.RunRebuild;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Rebuilds run.json, report.md and report.html of a run directory from its "
        + "requests.jsonl and plan.json, e.g. after the run was killed (kill -9, a lost machine) and no run.json "
        + "was written, or to re-render with this version's reports.",
        "Inter-token latency, open-loop late starts and client CPU are not in requests.jsonl: they are kept from an "
                + "existing run.json and absent after a crash, when the run's status is 'interrupted'."})
public class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The run directory (holds requests.jsonl).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunRebuild.Rebuilt rebuilt;
        try {
            rebuilt = RunRebuild.rebuild(dir, warning -> err.println("tokenbench: " + warning));
        } catch (IllegalArgumentException e) {
            err.println("tokenbench: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        RunFiles.write(rebuilt.result(), rebuilt.version());
        out.print(TerminalReport.table(rebuilt.result()));
        out.printf("%nrebuilt from %d records%s: %s/run.json, report.md, report.html (status %s)%n",
                rebuilt.records(), rebuilt.fromRunJson() ? " and the earlier run.json" : " (no run.json: the run "
                        + "did not finish)", dir, rebuilt.result().status());
        out.flush();
        return ExitCodes.OK;
    }
}
