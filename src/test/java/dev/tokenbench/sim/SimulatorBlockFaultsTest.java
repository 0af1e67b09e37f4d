package dev.tokenbench.sim;

import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.ConfigError;
import dev.tokenbench.config.ConfigException;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.provider.ProviderRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code faults} of a simulator scenario in the benchmark file, and how rules pick requests. */
class SimulatorBlockFaultsTest {

    private static final String HEAD = """
            targets: [{name: t, api: openai-chat, model: m, base-url: sim://flaky/v1}]
            prompts: {synthetic: {input-tokens: 5, output-tokens: 5}}
            simulator:
              scenarios:
            """;

    private static RunPlan load(String scenarios) throws ConfigException {
        return new BenchmarkLoader(name -> null, Path.of("").toAbsolutePath(), ProviderRegistry.defaults())
                .load("x.yaml", HEAD + scenarios, null);
    }

    @Test
    void readsFaultRulesInOrderWithTheirDefaults() throws ConfigException {
        Map<String, SimScenario> scenarios = load("""
                    flaky:
                      ttft: 100ms
                      faults:
                        - {kind: http-error, status: 429, retry-after: 2s, share: 0.1}
                        - {kind: reset, after-tokens: 20, every: 10}
                        - {kind: stall, after-tokens: 5, duration: 3s, keep-alive: 500ms, share: 0.05}
                        - {kind: big-line}
                        - {kind: error-event, message: Overloaded}
                    plain: {}
                """).simulator().scenarios();
        List<SimFault> rules = scenarios.get("flaky").faults().rules();
        assertEquals(5, rules.size());
        assertEquals(SimFault.builder()
                .kind(SimFault.Kind.HTTP_ERROR)
                .share(0.1)
                .every(0)
                .afterTokens(0)
                .status(429)
                .retryAfter(Duration.ofSeconds(2))
                .message(null)
                .duration(null)
                .bytes(0)
                .keepAlive(null)
                .build(), rules.get(0));
        assertEquals(SimFault.Kind.RESET, rules.get(1).kind());
        assertEquals(10, rules.get(1).every());
        assertEquals(20, rules.get(1).afterTokens());
        assertEquals(Duration.ofSeconds(3), rules.get(2).duration());
        assertEquals(Duration.ofMillis(500), rules.get(2).keepAlive());
        assertEquals(SimFault.DEFAULT_BIG_LINE_BYTES, rules.get(3).bytes(), "a 1 MiB line by default");
        assertEquals(1.0, rules.get(3).share(), "no selection: every request");
        assertEquals("Overloaded", rules.get(4).message());
        assertSame(SimFaults.NONE, scenarios.get("plain").faults());
        // The scenario's other settings are untouched by its faults.
        assertEquals(SimScenario.defaults("flaky").withFaults(scenarios.get("flaky").faults()).headersDelay(),
                scenarios.get("flaky").headersDelay());
    }

    @Test
    void everyErrorNamesTheRuleTheFieldAndTheFix() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("""
                    flaky:
                      faults:
                        - {kind: http-eror}
                        - {kind: http-error, status: 200}
                        - {kind: reset, duration: 1s}
                        - {kind: stall, share: 0.5, every: 2}
                        - {status: 500}
                        - {kind: keep-alive}
                        - {kind: big-line, bytes: 0, colour: red}
                        - just-a-string
                """));
        List<String> fields = e.errors().stream().map(ConfigError::field).toList();
        assertEquals(List.of("simulator.scenarios.flaky.faults[0].kind",
                "simulator.scenarios.flaky.faults[1].status",
                "simulator.scenarios.flaky.faults[2].duration",
                "simulator.scenarios.flaky.faults[3].every",
                "simulator.scenarios.flaky.faults[4].kind",
                "simulator.scenarios.flaky.faults[5].keep-alive",
                "simulator.scenarios.flaky.faults[6].colour",
                "simulator.scenarios.flaky.faults[6].bytes",
                "simulator.scenarios.flaky.faults[7]"), fields, e.errors()::toString);
        String all = e.errors().toString();
        assertTrue(all.contains("did you mean 'http-error'?"), all);
        assertTrue(all.contains("not an HTTP error; use 400-599"), all);
        assertTrue(all.contains("duration does not apply to kind reset"), all);
        assertTrue(all.contains("set share or every, not both"), all);
    }

    @Test
    void rulesPickReproduciblyAndFirstMatchWins() {
        SimFaults faults = SimFaults.of(SimFault.of(SimFault.Kind.RESET).withEvery(3),
                SimFault.of(SimFault.Kind.HANG).withShare(0.25));
        List<SimFault.Kind> picks = new ArrayList<>();
        int hangs = 0;
        for (int i = 0; i < 4000; i++) {
            SimFault f = faults.pick(42, i);
            picks.add(f == null ? null : f.kind());
            if (f != null && f.kind() == SimFault.Kind.HANG) {
                hangs++;
            }
            if ((i + 1) % 3 == 0) {
                assertEquals(SimFault.Kind.RESET, f.kind(), "every third request, whatever the share says");
            }
            assertEquals(f, faults.pick(42, i), "same seed and index, same fault");
        }
        // 0.25 of the two requests in three that every-3 leaves: about 667 of 4000.
        assertTrue(hangs > 560 && hangs < 780, "hangs " + hangs);
        assertNull(SimFaults.NONE.pick(42, 0));
    }
}
