package dev.tokenbench.sim;

import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.ConfigError;
import dev.tokenbench.config.ConfigException;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.provider.ProviderRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark file's simulator block, as far as the reasoning phase goes. */
class SimulatorBlockReasoningTest {

    private static final String HEAD = """
            targets: [{name: t, api: openai-chat, model: m, base-url: sim://think/v1}]
            prompts: {synthetic: {input-tokens: 5, output-tokens: 5}}
            simulator:
              scenarios:
            """;

    private static RunPlan load(String scenarios) throws ConfigException {
        return new BenchmarkLoader(name -> null, Path.of("").toAbsolutePath(), ProviderRegistry.defaults())
                .load("x.yaml", HEAD + scenarios, null);
    }

    @Test
    void readsTheReasoningPhaseAndDefaultsToNone() throws ConfigException {
        Map<String, SimScenario> scenarios = load("""
                    think: {ttft: 300ms, reasoning-tokens: 400, reasoning-visible: false}
                    plain: {}
                """).simulator().scenarios();
        // slow-ttft follows ttft when unset
        assertEquals(SimScenario.builder()
                .name("think")
                .headersDelay(Duration.ZERO)
                .ttft(Duration.ofMillis(300))
                .tokensPerSecond(50)
                .jitter(0)
                .tokensPerChunk(1)
                .outputTokens(null)
                .includeUsage(true)
                .slowShare(0)
                .slowTtft(Duration.ofMillis(300))
                .slowTokensPerSecond(50)
                .seed(1)
                .reasoningTokens(400)
                .reasoningVisible(false)
                .build(), scenarios.get("think"));
        assertEquals(SimScenario.defaults("plain"), scenarios.get("plain"));
        assertEquals(0, scenarios.get("plain").reasoningTokens());
        assertTrue(scenarios.get("plain").reasoningVisible());
    }

    @Test
    void refusesANegativeReasoningCountAndANonBooleanVisibility() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("""
                    think: {reasoning-tokens: -1, reasoning-visible: maybe}
                """));
        List<String> fields = e.errors().stream().map(ConfigError::field).toList();
        assertEquals(List.of("simulator.scenarios.think.reasoning-tokens",
                "simulator.scenarios.think.reasoning-visible"), fields, e.errors()::toString);
    }
}
