package dev.tokenbench.sim;

import dev.tokenbench.provider.ProviderRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatorConfigTest {

    @Test
    void reportsEveryConfigErrorAtOnce() {
        SimScenario broken = SimScenario.builder()
                .name("broken")
                .headersDelay(Duration.ofMillis(-1))
                .ttft(null)
                .tokensPerSecond(0)
                .jitter(1.5)
                .tokensPerChunk(0)
                .outputTokens(0)
                .includeUsage(true)
                .slowShare(-0.1)
                .slowTtft(Duration.ZERO)
                .slowTokensPerSecond(Double.NaN)
                .seed(1)
                .build();
        var errors = SimConfigCheck.validate(new SimConfig(Map.of("broken", broken)));
        assertEquals(8, errors.size(), errors::toString);
        assertTrue(errors.stream().allMatch(e -> e.startsWith("scenarios.broken: ")), errors::toString);
        assertEquals(1, SimConfigCheck.validate(new SimConfig(Map.of())).size());
        assertEquals(0, SimConfigCheck.validate(new SimConfig(Map.of("ok", SimScenario.defaults("ok")))).size());
    }

    @Test
    void startFailsOnABadConfigWithoutListening() {
        Vertx vertx = Vertx.vertx();
        try {
            SimScenario broken = SimScenario.builder()
                    .name("broken")
                    .headersDelay(Duration.ZERO)
                    .ttft(Duration.ZERO)
                    .tokensPerSecond(-1)
                    .jitter(0)
                    .tokensPerChunk(1)
                    .outputTokens(null)
                    .includeUsage(true)
                    .slowShare(0)
                    .slowTtft(Duration.ZERO)
                    .slowTokensPerSecond(1)
                    .seed(1)
                    .build();
            var started = Simulator.start(vertx, new SimConfig(Map.of("broken", broken)), "127.0.0.1", 0,
                    ProviderRegistry.defaults().simApis());
            assertTrue(started.failed());
            assertInstanceOf(IllegalArgumentException.class, started.cause());
            assertTrue(started.cause().getMessage().contains("tokens-per-second"));
        } finally {
            SimTestSupport.await(vertx.close());
        }
    }

    @Test
    void reasoningTokensMustNotBeNegative() {
        SimScenario negative = SimScenario.defaults("think").withReasoning(-1, true);
        var errors = SimConfigCheck.validate(new SimConfig(Map.of("think", negative)));
        assertEquals(java.util.List.of("scenarios.think: reasoning-tokens must be >= 0, got -1"), errors);
        assertEquals(0, SimConfigCheck.validate(new SimConfig(Map.of("think",
                SimScenario.defaults("think").withReasoning(100, false)))).size());
    }

    @Test
    void startNeedsAtLeastOneApi() {
        Vertx vertx = Vertx.vertx();
        try {
            var started = Simulator.start(vertx, new SimConfig(Map.of("ok", SimScenario.defaults("ok"))),
                    "127.0.0.1", 0, java.util.List.of());
            assertTrue(started.failed());
            assertTrue(started.cause().getMessage().contains("apis"), started.cause().getMessage());
        } finally {
            SimTestSupport.await(vertx.close());
        }
    }

    @Test
    void theFirstPathSegmentIsTheScenarioAndTheRestIsTheApisPath() {
        String path = "/fast/v1/chat/completions";
        int end = Simulator.scenarioEnd(path);
        assertEquals("fast", path.substring(1, end));
        assertEquals("/v1/chat/completions", path.substring(end));
        assertEquals(3, Simulator.scenarioEnd("/v1/chat/completions"), "v1 is a scenario name like any other");
        assertEquals(-1, Simulator.scenarioEnd("//v1/chat/completions"));
        assertEquals(-1, Simulator.scenarioEnd("/fast"));
        assertEquals(-1, Simulator.scenarioEnd("fast/v1"));
        assertEquals(-1, Simulator.scenarioEnd(""));
    }
}
