package dev.tokenbench.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static dev.tokenbench.config.ConfigFixtures.assertError;
import static dev.tokenbench.config.ConfigFixtures.failsToLoad;
import static dev.tokenbench.config.ConfigFixtures.loader;
import static dev.tokenbench.config.ConfigFixtures.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The benchmark file's push-gateway and probe. */
class MetricsSettingsTest {

    @Test
    void pushGatewayAndProbeAreRead() throws Exception {
        RunPlan plan = loader(Map.of("PUSHGATEWAY_HOST", "pushgateway.monitoring:9091"))
                .load(Path.of("metrics-settings.yaml"));
        assertEquals("http://pushgateway.monitoring:9091/", plan.metrics().pushGateway());
        assertEquals("aks-westeurope", plan.metrics().probe());
    }

    @Test
    void aFileWithoutThemPushesNothing() throws Exception {
        RunPlan plan = loader(Map.of()).load(Path.of("minimal.yaml"));
        assertSame(MetricsSpec.NONE, plan.metrics());
        assertNull(plan.metrics().pushGateway());
    }

    @Test
    void credentialsInTheUrlAndUnplainProbeNamesAreRefused() {
        ConfigException e = failsToLoad("bad-metrics-settings.yaml");
        assertError(e, "bad-metrics-settings.yaml", "push-gateway", "must not carry credentials");
        assertError(e, "bad-metrics-settings.yaml", "probe", "probe 'west europe/1'", "letters, digits",
                "e.g. eastus2");
        assertEquals(2, e.errors().size(), render(e));
        assertFalse(render(e).contains("hunter2"), "the password is never repeated: " + render(e));
    }

    @Test
    void aUrlWithoutSchemeSaysWhatToWrite() {
        ConfigException e = failsToLoad("bad-push-gateway-scheme.yaml");
        assertError(e, "bad-push-gateway-scheme.yaml", "push-gateway", "http:// or https://",
                "http://pushgateway:9091");
    }

    @Test
    void probeNamesAreShortPlainLabelValues() {
        assertNull(MetricsSpec.probeProblem("eastus2"));
        assertNull(MetricsSpec.probeProblem("aks-west.europe_1"));
        assertEquals(true, MetricsSpec.probeProblem("").contains("1 to 64"));
        assertEquals(true, MetricsSpec.probeProblem("x".repeat(65)) != null);
        assertNull(MetricsSpec.probeProblem("x".repeat(64)));
        assertEquals(true, MetricsSpec.pushGatewayProblem("http://gw:9091/?x=1").contains("no query"));
        assertNull(MetricsSpec.pushGatewayProblem("https://gw.example/prefix"));
    }
}
