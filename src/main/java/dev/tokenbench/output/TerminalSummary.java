package dev.tokenbench.output;

import dev.tokenbench.config.SecretValues;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.report.TerminalReport;
import dev.tokenbench.run.RunResult;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;

/** The CLI's summary at the end of a run: the table, why a failed run failed, and where its files are. */
public final class TerminalSummary implements RunOutput {
    private final PrintWriter out;

    public TerminalSummary(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void finish(FinishedRun run) {
        RunResult result = run.result();
        out.println();
        SecretValues secrets = result.plan().secrets();
        out.print(secrets.scrub(TerminalReport.table(result)));
        if (RunResult.FAILED.equals(result.status())) {
            out.printf("%n%s%n", secrets.scrub(failureSummary(result)));
        }
        out.printf("%nrun directory: %s%n  requests.jsonl  run.json  report.md  report.html%n", result.runDir());
        out.flush();
    }

    /**
     * Why the run counts as failed: no measured request of any target succeeded. Names how they ended, per
     * outcome, and the first error, so a wrong key or a dead endpoint shows at once.
     */
    public static String failureSummary(RunResult result) {
        int measured = 0;
        Map<String, Integer> outcomes = new TreeMap<>();
        String firstError = null;
        for (TargetSummary s : result.targets()) {
            measured += s.requests();
            s.outcomes().forEach((outcome, count) -> outcomes.merge(outcome, count, Integer::sum));
            if (firstError == null && !s.failures().isEmpty() && s.failures().get(0).error() != null) {
                firstError = s.target() + ": " + s.failures().get(0).error();
            }
        }
        StringBuilder why = new StringBuilder("the run failed: ");
        if (measured == 0) {
            why.append("no measured request finished");
        } else {
            why.append(measured == 1 ? "the one measured request" : "all " + measured + " measured requests")
                    .append(result.targets().size() == 1 ? " failed" : " of every target failed");
        }
        if (!outcomes.isEmpty()) {
            StringBuilder counts = new StringBuilder();
            outcomes.forEach((outcome, count) -> counts.append(counts.length() == 0 ? "" : ", ")
                    .append(outcome).append(' ').append(count));
            why.append(" (").append(counts).append(')');
        }
        if (firstError != null) {
            why.append("; first error: ").append(firstError.replaceAll("\\p{Cntrl}", "?"));
        }
        return why.toString();
    }
}
