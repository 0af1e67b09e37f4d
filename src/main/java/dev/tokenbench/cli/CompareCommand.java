package dev.tokenbench.cli;

import dev.tokenbench.report.CrossRunComparison;
import dev.tokenbench.report.HtmlReport;
import dev.tokenbench.report.MarkdownReport;
import dev.tokenbench.report.TerminalReport;
import dev.tokenbench.run.SavedRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "compare", description = {"Compares finished runs in one report, e.g. the same benchmark from two "
        + "regions or two days.", "Targets keep their names, prefixed with the run directory's name where two runs "
        + "have a target of the same name; --merge adds those together instead (histograms merge exactly).",
        "Writes report.html and report.md to --out (default: runs/compare-<timestamp>) and prints the table."})
public class CompareCommand implements Callable<Integer> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run directories (each holds run.json).")
    List<Path> runDirs;

    @Option(names = "--baseline", paramLabel = "TARGET",
            description = "The target the others are compared with, by its name in this report (e.g. run/target; "
                    + "default: the first run's baseline).")
    String baseline;

    @Option(names = "--merge", description = "Add same-named targets of all runs together instead of listing each.")
    boolean merge;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the reports.")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<SavedRun> runs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path dir : runDirs) {
            try {
                runs.add(SavedRun.load(dir));
            } catch (SavedRun.NotARunException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            err.println("tokenbench: cannot compare: " + (problems.size() == 1 ? "" : problems.size() + " problems:"));
            for (String p : problems) {
                err.println("  " + p);
            }
            return ExitCodes.BAD_INPUT;
        }
        String runId = "compare-" + LocalDateTime.now().format(STAMP);
        Path outDir = out != null ? out : Path.of("runs", runId);
        CrossRunComparison.Result result;
        try {
            result = CrossRunComparison.of(runs, baseline, merge, outDir, runId);
        } catch (IllegalArgumentException e) {
            err.println("tokenbench: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        Files.createDirectories(outDir);
        Files.writeString(outDir.resolve("report.md"), MarkdownReport.render(result.run(), result.origin()),
                StandardCharsets.UTF_8);
        Files.writeString(outDir.resolve("report.html"),
                HtmlReport.renderComparison(result.run(), result.origin()), StandardCharsets.UTF_8);
        stdout.print(TerminalReport.table(result.run()));
        stdout.printf("%ncomparison of %d runs: %s%n  report.md  report.html%n", runs.size(), outDir);
        stdout.flush();
        return ExitCodes.OK;
    }
}
