package dev.tokenbench.report;

import dev.tokenbench.measure.ClientHealth;
import dev.tokenbench.run.RunResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The terminal summary, report.md and report.html say the client's health in one line when it is not good. */
class ClientHealthReportTest {
    private static final RunResult RUN = ReportFixtures.run("third", false);

    private static RunResult with(ClientHealth client) {
        return RunResult.builder()
                .runId(RUN.runId())
                .plan(RUN.plan())
                .runDir(RUN.runDir())
                .startedAt(RUN.startedAt())
                .endedAt(RUN.endedAt())
                .status(RUN.status())
                .wallSeconds(RUN.wallSeconds())
                .clientCpuSeconds(RUN.clientCpuSeconds())
                .targets(RUN.targets())
                .steps(RUN.steps())
                .client(client)
                .build();
    }

    private static ClientHealth.Builder clean() {
        return ClientHealth.builder().wallSeconds(42).lagMs(0.3, 2, 9).gcPauseMs(12, 4, 3).cpuSeconds(3.5, 2)
                .requests(60, 0);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void aDegradedClientIsOneLineInEveryReport() {
        ClientHealth degraded = clean().cpuThrottledMs(5_000).judge();
        assertEquals(ClientHealth.UNTRUSTWORTHY, degraded.verdict(), "5 s throttled in a 42 s run: 12%");
        RunResult run = with(degraded);
        String line = "Client health: untrustworthy - the client's CPU was throttled by its cgroup's quota for 5000 ms";
        assertEquals(1, count(TerminalReport.table(run), line), TerminalReport.table(run));
        assertEquals(1, count(MarkdownReport.render(run), line), MarkdownReport.render(run));
        String html = HtmlReport.render(run);
        assertEquals(1, count(html, line.replace("'", "&#39;")), "escaped once in the page");
    }

    @Test
    void aGoodClientOrARunSavedWithoutTheBlockSaysNothing() {
        for (RunResult run : new RunResult[] {with(clean().judge()), RUN}) {
            assertFalse(TerminalReport.table(run).contains("Client"), TerminalReport.table(run));
            assertFalse(MarkdownReport.render(run).contains("**Client:**"));
            assertFalse(HtmlReport.render(run).contains("client-health"));
        }
    }

    @Test
    void requestsLeftOutForLagAreCountedEvenWhenTheClientIsGood() {
        RunResult run = with(clean().leftOut(80, 3).judge());
        String line = "3 requests measured while the client lagged more than 80 ms left out of the summaries";
        assertTrue(TerminalReport.table(run).contains(line), TerminalReport.table(run));
        assertTrue(MarkdownReport.render(run).contains(line));
        assertTrue(HtmlReport.render(run).contains(line));
    }
}
