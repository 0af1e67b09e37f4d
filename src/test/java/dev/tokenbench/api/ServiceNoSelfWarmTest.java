package dev.tokenbench.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.core.Json;
import dev.tokenbench.serve.RunService;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tokenbench.serve.self-warm: 0s (as {@link ServiceTestProfile} sets it) turns the service's warm-up off, and
 * plan.json says it was skipped.
 */
@QuarkusTest
@TestProfile(ServiceTestProfile.class)
class ServiceNoSelfWarmTest {
    @TestHTTPResource("/")
    URI base;

    @Inject
    RunService service;

    @Test
    void withTheSettingAt0sARunIsNotWarmedAndPlanJsonSaysSo() throws Exception {
        ServiceClient c = new ServiceClient(base);
        String id = ServiceSelfWarmTest.postAndAwait(c, ServiceSelfWarmTest.BENCHMARK.formatted(
                ServiceSelfWarmTest.TARGET, ServiceSelfWarmTest.REQUESTS, ""));
        JsonNode warm = Json.MAPPER.readTree(service.runDirectory(id).resolve("plan.json").toFile())
                .path("self_warm");
        assertFalse(warm.path("enabled").asBoolean(true), "skipped: " + warm);
        assertFalse(warm.has("requests"), "no warm request: " + warm);
        JsonNode runJson = ServiceClient.json(c.get("/api/runs/" + id + "/run.json", null));
        assertEquals(ServiceSelfWarmTest.REQUESTS,
                runJson.path("targets").path(0).path("requests").path("measured").asInt());
        JsonNode dropLagged = runJson.path("client").path("drop_lagged_ms");
        assertTrue(dropLagged.isMissingNode() || dropLagged.isNull(),
                "no load.drop-lagged, no --drop-lagged: none applied: " + runJson.path("client"));
    }
}
