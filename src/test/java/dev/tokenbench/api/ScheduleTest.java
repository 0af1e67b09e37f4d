package dev.tokenbench.api;

import dev.tokenbench.serve.Schedules;
import dev.tokenbench.store.HistoryStores;
import dev.tokenbench.store.RunFilter;
import dev.tokenbench.store.RunInfo;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cron schedule every 2 s for a benchmark that takes about 2.5 s: runs are started and stored, and a turn that
 * comes while the previous run is still going is skipped and counted.
 */
@QuarkusTest
@TestProfile(ScheduleTest.Profile.class)
class ScheduleTest {
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(new ServiceTestProfile().getConfigOverrides());
            config.put("tokenbench.store.data-dir", Path.of("target", "schedule-test-" + System.nanoTime())
                    .toString());
            config.put("tokenbench.serve.benchmarks-dir", "src/test/resources/serve/scheduled");
            config.put("tokenbench.serve.schedules.slowq", "0/2 * * * * ?");
            return config;
        }
    }

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URI base;
    @Inject
    Schedules schedules;
    @Inject
    HistoryStores stores;
    @Inject
    Scheduler scheduler;

    @Test
    void runsOnItsCronAndSkipsATurnWhileThePreviousRunGoesOn() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        List<RunInfo> stored = List.of();
        Schedules.Counts counts = null;
        try {
            while (System.nanoTime() < deadline) {
                stored = stores.store().list(new RunFilter("slowq", null, null, null, 0));
                counts = schedules.counts().get("slowq");
                if (stored.size() >= 2 && counts != null && counts.skipped() >= 1) {
                    break;
                }
                Thread.sleep(200);
            }
        } finally {
            scheduler.pause();
        }
        assertTrue(stored.size() >= 2, "two scheduled runs stored: " + stored);
        assertTrue(counts.skipped() >= 1, "an overlapping turn was skipped and counted: " + counts);
        assertTrue(counts.started() >= 2, counts.toString());
        com.fasterxml.jackson.databind.JsonNode api = ServiceClient.json(new ServiceClient(base)
                .get("/api/schedules", null)).path("slowq");
        assertEquals("0/2 * * * * ?", api.path("cron").asText());
        assertTrue(api.path("skipped").asLong() >= 1, api.toString());
        for (RunInfo run : stored) {
            assertEquals("done", run.status(), run.toString());
            assertEquals(List.of("lagging"), run.targets());
        }
    }
}
