package dev.tokenbench.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.core.Json;
import dev.tokenbench.serve.RunService;
import dev.tokenbench.store.HistoryPoint;
import dev.tokenbench.store.RunInfo;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The API's JSON on the wire, as clients (compare --server, dashboards, scripts) read it: property names, their
 * order, and which absent values are null and which are left out.
 */
class ApiJsonTest {
    private static final Instant STARTED = Instant.parse("2025-05-01T10:00:00Z");
    private static final RunInfo INFO = RunInfo.builder()
            .id("r1")
            .name("quick")
            .status("done")
            .probe("central")
            .region("eu")
            .startedAt(STARTED)
            .endedAt(STARTED.plusSeconds(42))
            .measured(40)
            .failed(2)
            .costUsd(Double.NaN)
            .targets(List.of("a", "b|c"))
            .build();

    @Test
    void aFinishedRunIsItsListLineWithANoteOnlyWhenNotInHistory() {
        String line = "{\"id\":\"r1\",\"benchmark\":\"quick\",\"status\":\"done\",\"probe\":\"central\","
                + "\"region\":\"eu\",\"started_at\":\"2025-05-01T10:00:00Z\",\"ended_at\":\"2025-05-01T10:00:42Z\","
                + "\"measured\":40,\"failed\":2,\"cost_usd\":\"NaN\",\"targets\":[\"a\",\"b|c\"]";
        assertEquals(line + "}", ApiJson.write(ApiJson.Finished.stored(INFO)));
        assertEquals(line + ",\"note\":\"" + ApiJson.Finished.NOT_IN_HISTORY + "\"}",
                ApiJson.write(ApiJson.Finished.notInHistory(INFO)));
    }

    @Test
    void aDetailAddsSummariesComparisonsAndFailuresAfterTheLineAndNullsWhatRunJsonLacks() throws Exception {
        JsonNode runJson = Json.MAPPER.readTree("{\"targets\":[{\"name\":\"a\",\"requests\":{\"ok\":4},"
                + "\"cost_usd\":0.5}],\"comparisons\":[]}");
        String detail = ApiJson.write(new ApiJson.Detail(ApiJson.Finished.stored(INFO),
                List.of(ApiJson.Summary.of(runJson.path("targets").path(0))), runJson.path("comparisons"),
                runJson.path("failures")));
        assertEquals(ApiJson.write(ApiJson.Finished.stored(INFO)).replaceAll("}$", "")
                + ",\"summaries\":[{\"target\":\"a\",\"requests\":{\"ok\":4},\"outcomes\":null,\"goodput\":null,"
                + "\"cost_usd\":0.5,\"metrics\":null}],\"comparisons\":[],\"failures\":null}", detail);
    }

    @Test
    void aTrackedRunHasAnErrorOnlyWhenItFailed() {
        assertEquals("{\"id\":\"i\",\"benchmark\":\"q\",\"status\":\"queued\",\"queued_at\":\"2025-05-01T10:00:00Z\"}",
                ApiJson.write(ApiJson.Tracked.of(new RunService.Tracked("i", "q", "queued", STARTED, null))));
        assertEquals("{\"id\":\"i\",\"benchmark\":\"q\",\"status\":\"failed\",\"queued_at\":\"2025-05-01T10:00:00Z\","
                + "\"error\":\"boom\"}",
                ApiJson.write(ApiJson.Tracked.of(new RunService.Tracked("i", "q", "failed", STARTED, "boom"))));
    }

    @Test
    void aHistoryPointWithoutAValueSaysNull() {
        assertEquals("{\"run_id\":\"r1\",\"probe\":\"p\",\"region\":\"\",\"started_at\":\"2025-05-01T10:00:00Z\","
                + "\"value\":null,\"count\":0}",
                ApiJson.write(ApiJson.Point.of(new HistoryPoint("r1", "p", "", STARTED, Double.NaN, 0))));
        assertEquals("{\"run_id\":\"r1\",\"probe\":null,\"region\":null,\"started_at\":\"2025-05-01T10:00:00Z\","
                + "\"value\":12.5,\"count\":7}",
                ApiJson.write(ApiJson.Point.of(new HistoryPoint("r1", null, null, STARTED, 12.5, 7))));
    }
}
