package dev.tokenbench.cli;

import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.ConfigException;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.measure.LiveFigures;
import dev.tokenbench.measure.TargetAggregate;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.run.RunEngine;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveProgressTest {
    private static RunPlan plan(String load) throws ConfigException {
        String yaml = """
                name: p
                targets:
                  - {name: a, api: openai-chat, base-url: 'sim://s/v1', model: m}
                  - {name: b, api: openai-chat, base-url: 'sim://s/v1', model: m}
                prompts: {synthetic: {input-tokens: 8, output-tokens: 4, count: 1}}
                load: %s
                simulator: {scenarios: {s: {ttft: 10ms, tokens-per-second: 500}}}
                """.formatted(load);
        return new BenchmarkLoader(name -> null, Path.of(""), ProviderRegistry.defaults()).load("p.yaml", yaml,
                Path.of(""));
    }

    @Test
    void theHeaderCountsWhatTheCounterRunsTo() throws ConfigException {
        RunPlan sweep = plan("{mode: sweep, concurrency: [1, 2, 4], requests: 8}");
        assertEquals(24, sweep.load().plannedRequests(), "the counter's total");
        assertEquals("2 targets x 24 requests (3 steps of 8)", LiveProgress.header(sweep));
        assertEquals("2 targets x 10 requests", LiveProgress.header(plan("{mode: closed, requests: 10}")));
        assertEquals("2 targets x up to 5 steps of 6 requests", LiveProgress.header(
                plan("{mode: search, concurrency: {min: 1, max: 16}, goodput: 0.9, requests: 6, max-steps: 5}")));
        assertEquals("2 targets x requests for 30s", LiveProgress.header(plan("{mode: closed, duration: 30s}")));
    }

    @Test
    void aTerminalLineHasTheBarCountsMediansStepAndEta() {
        RunEngine.LiveTarget live = new RunEngine.LiveTarget(new TargetAggregate.Progress(6, 1, 2),
                new LiveFigures.Snapshot(352.4, 74.06), 2);
        String line = LiveProgress.terminalLine("openai", 8, live, 24, 2, 3, 12);
        assertEquals("openai    [#####...............]   6/24  errors 1  p50 TTFT 352 ms  p50 stream 74.1 tok/s  "
                + "step 2/3  0:12  ETA 0:36", line);
    }

    @Test
    void beforeAnyOkRequestAndDuringTheWarmUp() {
        RunEngine.LiveTarget warming = new RunEngine.LiveTarget(new TargetAggregate.Progress(0, 0, 1),
                LiveFigures.Snapshot.NONE, 0);
        String line = LiveProgress.terminalLine("a", 1, warming, 10, 2, 1, 3.2);
        assertEquals("a  [....................]   0/10  errors 0  warm-up 1/2  p50 TTFT -  p50 stream -  0:03", line);
        RunEngine.LiveTarget searching = new RunEngine.LiveTarget(new TargetAggregate.Progress(40, 0, 0),
                new LiveFigures.Snapshot(4.25, 1200), 3);
        String search = LiveProgress.terminalLine("a", 1, searching, 0, 0, 0, 65);
        assertEquals("a  40 done  errors 0  p50 TTFT 4.3 ms  p50 stream 1200.0 tok/s  step 3  1:05", search);
        assertFalse(search.contains("ETA"), "no total, no ETA");
    }

    @Test
    void clockFormats() {
        assertEquals("0:07", LiveProgress.clock(7.2));
        assertEquals("12:30", LiveProgress.clock(750));
        assertEquals("1:02:03", LiveProgress.clock(3723));
        assertTrue(LiveProgress.clock(-1).equals("0:00"));
    }
}
