package dev.tokenbench.output;

import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.report.MarkdownReport;
import dev.tokenbench.run.RunEngine;
import dev.tokenbench.run.RunResult;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A target whose every fourth request gets a 429 from the in-process simulator, beside a clean one with the same
 * latency: the first line about it in report.md and in the terminal names its failures and their share, and no line
 * calls it "the same" before its failures are named. The run is bounded: 2 × 20 requests on 127.0.0.1, 10 s timeouts.
 */
class FailuresFirstTest {
    private static final String BENCHMARK = """
            name: failures-first
            targets:
              - {name: good, api: openai-chat, base-url: 'sim://clean/v1', model: m}
              - {name: flaky, api: openai-chat, base-url: 'sim://flaky/v1', model: m}
            prompts: {synthetic: {input-tokens: 8, output-tokens: 8, count: 1}}
            load: {mode: closed, concurrency: 4, requests: 20, warmup: 0, timeout: 10s, stall-timeout: 5s}
            baseline: good
            simulator:
              scenarios:
                clean: {ttft: 20ms, tokens-per-second: 400, output-tokens: 8, seed: 1}
                flaky: {ttft: 20ms, tokens-per-second: 400, output-tokens: 8, seed: 1,
                        faults: [{kind: http-error, status: 429, every: 4}]}
            """;

    private static Vertx vertx;
    private static RunResult run;

    @BeforeAll
    static void runBothTargets(@TempDir Path dir) throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        ProviderRegistry providers = ProviderRegistry.defaults();
        RunPlan plan = new BenchmarkLoader(name -> null, dir, providers).load("failures-first.yaml", BENCHMARK, dir);
        run = new RunEngine(vertx, providers).start(plan, "failures-first", dir, r -> { }).await();
    }

    @AfterAll
    static void closeClient() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theSimulatorFailedAQuarterOfFlakysRequestsWith429() {
        assertEquals(RunResult.DONE, run.status());
        var flaky = run.targets().get(1);
        assertEquals("flaky", flaky.target());
        assertEquals(20, flaky.requests());
        assertEquals(5, flaky.outcomes().getOrDefault("http_429", 0), flaky.outcomes().toString());
        assertEquals(20, run.targets().get(0).ok());
        var sources = run.targets().get(0).tokenSources();
        assertEquals("provider", sources.output(), "the simulator reports usage: " + sources);
        assertEquals("provider", sources.input(), sources.toString());
    }

    @Test
    void theFirstLineAboutItInReportMdNamesItsFailuresAndTheirShare() {
        String md = MarkdownReport.render(run);
        String first = firstLineAbout(md, "flaky");
        assertTrue(first.contains("25%") && first.contains("429"), "first line about flaky: " + first + "\n" + md);
        assertNeverSameBeforeItsFailures(md);
        String sentence = md.lines().filter(l -> l.startsWith("- flaky: ")).findFirst().orElseThrow(
                () -> new AssertionError("no sentence for flaky in\n" + md));
        assertTrue(sentence.startsWith("- flaky: 25% of requests failed (429 ×5); of those that succeeded, against "
                + "good, "), sentence);
    }

    @Test
    void theFirstLineAboutItInTheTerminalNamesItsFailuresAndTheirShare() {
        StringWriter text = new StringWriter();
        new TerminalSummary(new PrintWriter(text)).finish(FinishedRun.of(run, "test"));
        String terminal = text.toString();
        String first = firstLineAbout(terminal, "flaky");
        assertTrue(first.contains("25%") && first.contains("429"), "first line about flaky: " + first + "\n" + terminal);
        assertNeverSameBeforeItsFailures(terminal);
        assertTrue(terminal.contains("\nflaky: 25% of requests failed (429 ×5); of those that succeeded, against good, "),
                terminal);
        assertTrue(terminal.contains("\ngood (baseline): all 20 requests succeeded.\n"), terminal);
    }

    private static String firstLineAbout(String text, String target) {
        return text.lines().filter(l -> l.contains(target)).findFirst()
                .orElseThrow(() -> new AssertionError("no line about " + target + " in\n" + text));
    }

    /** Every line that calls flaky "the same" comes after a line that names its 429s; none says "same" alone. */
    private static void assertNeverSameBeforeItsFailures(String text) {
        List<String> lines = text.lines().toList();
        boolean failuresNamed = false;
        boolean sawSame = false;
        for (String line : lines) {
            if (line.contains("flaky") && line.contains("429")) {
                failuresNamed = true;
            }
            if (line.contains("flaky") && line.contains("same")) {
                sawSame = true;
                assertTrue(failuresNamed, "\"same\" before the failures are named: " + line + "\n" + text);
            }
        }
        assertTrue(sawSame, "the clean and the flaky endpoint are equally fast, so some figure is the same:\n"
                + text);
        assertFalse(text.contains("flaky is the same as good") && !failuresNamed, text);
    }
}
