package dev.tokenbench.sim;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatorConfigTest {

    @Test
    void reportsEveryConfigErrorAtOnce() {
        SimScenario broken = new SimScenario("broken", Duration.ofMillis(-1), null, 0, 1.5, 0, 0, true, -0.1,
                Duration.ZERO, Double.NaN, 1);
        var errors = Simulator.validate(new SimConfig(Map.of("broken", broken)));
        assertEquals(8, errors.size(), errors::toString);
        assertTrue(errors.stream().allMatch(e -> e.startsWith("scenarios.broken: ")), errors::toString);
        assertEquals(1, Simulator.validate(new SimConfig(Map.of())).size());
        assertEquals(0, Simulator.validate(new SimConfig(Map.of("ok", SimScenario.defaults("ok")))).size());
    }

    @Test
    void startFailsOnABadConfigWithoutListening() {
        Vertx vertx = Vertx.vertx();
        try {
            SimScenario broken = new SimScenario("broken", Duration.ZERO, Duration.ZERO, -1, 0, 1, null, true, 0,
                    Duration.ZERO, 1, 1);
            var started = Simulator.start(vertx, new SimConfig(Map.of("broken", broken)), "127.0.0.1", 0);
            assertTrue(started.failed());
            assertInstanceOf(IllegalArgumentException.class, started.cause());
            assertTrue(started.cause().getMessage().contains("tokens-per-second"));
        } finally {
            SimTestSupport.await(vertx.close());
        }
    }

    @Test
    void routesOnlyScenarioChatCompletionPaths() {
        assertEquals("fast", Simulator.scenarioNameOf("/fast/v1/chat/completions"));
        assertNull(Simulator.scenarioNameOf("/v1/chat/completions"));
        assertNull(Simulator.scenarioNameOf("//v1/chat/completions"));
        assertNull(Simulator.scenarioNameOf("/a/b/v1/chat/completions"));
        assertNull(Simulator.scenarioNameOf("/fast/v1/completions"));
    }
}
