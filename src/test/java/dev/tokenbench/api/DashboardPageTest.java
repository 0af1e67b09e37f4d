package dev.tokenbench.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.store.StoreFixtures;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard page over a store with a day of runs from two probes: served with no external resource, state in
 * the URL, and in headless Chromium a toggle changes the chart and the numbers; it fits a narrow window. The
 * screenshot goes to docs/dashboard.png, which docs/service.md shows.
 */
@QuarkusTest
@TestProfile(ServiceTestProfile.class)
class DashboardPageTest {
    @TestHTTPResource("/")
    URI base;

    @TempDir
    Path dir;

    private static boolean seeded;
    private static final String OTHER = "other-benchmark";

    /** Twelve runs over the last 22 hours, imported as two probes; the slow target wobbles. */
    @BeforeEach
    void seed() throws Exception {
        synchronized (DashboardPageTest.class) {
            if (seeded) {
                return;
            }
            ServiceClient client = new ServiceClient(base);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
            for (int i = 0; i < 12; i++) {
                Instant start = now.minus(Duration.ofHours(22 - 2L * i));
                double wobble = 1 + 0.6 * Math.sin(i);
                ObjectNode run = StoreFixtures.scaled("dash-" + i, start, Map.of("fast", 1.0 + 0.05 * (i % 3),
                        "slow", wobble));
                ObjectNode bundle = ServiceClient.JSON.createObjectNode();
                bundle.put("probe", i % 2 == 0 ? "probe-eu" : "probe-us");
                bundle.put("region", i % 2 == 0 ? "eu-west" : "us-east");
                bundle.set("run", run);
                ArrayNode records = bundle.putArray("records");
                StoreFixtures.records().forEach(records::add);
                HttpResponse<String> r = client.post("/api/runs/import", ServiceTestProfile.TOKEN,
                        "application/json", bundle.toString());
                assertEquals(201, r.statusCode(), r.body());
            }
            // Two runs of an unrelated benchmark, whose targets are named otherwise.
            for (int i = 0; i < 2; i++) {
                ObjectNode run = StoreFixtures.scaled("other-" + i, now.minus(Duration.ofHours(15 - 10L * i)),
                        Map.of("fast", 2.0));
                run.put("name", OTHER);
                run.put("baseline", "gamma");
                for (JsonNode t : run.path("targets")) {
                    ((ObjectNode) t).put("name", t.path("name").asText().equals("fast") ? "gamma" : "delta");
                }
                ObjectNode bundle = ServiceClient.JSON.createObjectNode();
                bundle.put("probe", "probe-eu");
                bundle.set("run", run);
                ArrayNode records = bundle.putArray("records");
                StoreFixtures.records().forEach(records::add);
                HttpResponse<String> r = client.post("/api/runs/import", ServiceTestProfile.TOKEN,
                        "application/json", bundle.toString());
                assertEquals(201, r.statusCode(), r.body());
            }
            seeded = true;
        }
    }

    @Test
    void thePageShowsHeadlinesChartAndRunsWithNothingFromOutside() throws Exception {
        HttpResponse<String> page = new ServiceClient(base).get("/?metric=stream_tps&agg=mean&range=1d", null);
        assertEquals(200, page.statusCode());
        String html = page.body();
        assertTrue(html.contains("data-target=\"fast\"") && html.contains("data-target=\"slow\""), html);
        assertTrue(html.contains("(baseline)"), "fast is the runs' baseline");
        assertTrue(html.contains("on average") && html.contains("worst 10 %"));
        assertTrue(html.matches("(?s).*(x slower|x faster|same) than fast.*"), "verdicts against the baseline");
        assertTrue(html.contains("id=\"history-chart\""));
        assertTrue(html.contains("probe-eu · eu-west") && html.contains("probe-us · us-east"));
        assertTrue(html.contains("/api/runs/probe-eu-dash-0/report"), "each run links to its report");
        assertFalse(html.matches("(?s).*(src|href)=\"https?://.*"), "no CDN, no external resource");
        assertFalse(html.contains("<script"), "state is in the URL, the toggles are links");
    }

    /**
     * One benchmark at a time: by default the newest run's, with a toggle to the others; an unrelated benchmark's
     * targets never show as empty cards beside this one's.
     */
    @Test
    void thePageShowsOneBenchmarkAtATimeWithAToggle() throws Exception {
        ServiceClient client = new ServiceClient(base);
        String html = client.get("/?range=1d", null).body();
        assertTrue(html.contains("data-target=\"fast\""), html);
        assertFalse(html.contains("data-target=\"gamma\"") || html.contains("data-target=\"delta\""),
                "no card or line of the other benchmark's targets");
        assertFalse(html.contains("n/a than"), "no empty verdict");
        assertTrue(html.contains("data-benchmark=\"" + OTHER + "\""), "a toggle to the other benchmark");
        assertFalse(html.contains("/api/runs/probe-eu-other-0/report"), "its runs are not listed here");

        String other = client.get("/?benchmark=" + OTHER + "&range=1d&metric=ttft_ms", null).body();
        assertTrue(other.contains("data-target=\"gamma\"") && other.contains("data-target=\"delta\""), other);
        assertFalse(other.contains("data-target=\"fast\""), "only the chosen benchmark's targets");
        assertTrue(other.contains("/api/runs/probe-eu-other-0/report") && other.contains("2 runs"), other);
        assertTrue(other.contains("(baseline)") && other.matches("(?s).*than gamma.*"), "its own baseline");
        assertTrue(other.matches("(?s).*href=\"/\\?benchmark=" + OTHER + "&amp;metric=stream_tps[^\"]*\".*"),
                "the toggles keep the benchmark");
    }

    @Test
    void inHeadlessChromiumAToggleChangesTheChartAndTheNumbers() throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.start(dir.resolve("chromium-profile"))) {
            chromium.viewport(1200, 1400);
            chromium.navigate(base.resolve("/?metric=stream_tps&agg=mean&range=1d").toString());
            JsonNode before = state(chromium);
            assertTrue(before.path("points").asInt() >= 24, "12 runs x 2 targets drawn: " + before);
            assertEquals("stream TPS", before.path("activeMetric").asText());

            chromium.evaluate("document.querySelector('#metric-toggle a[data-metric=ttft_ms]').click()");
            chromium.awaitLoaded("metric=ttft_ms");
            JsonNode after = state(chromium);
            assertEquals("TTFT", after.path("activeMetric").asText(), after.toString());
            assertNotEquals(before.path("paths"), after.path("paths"), "the chart changed");
            assertNotEquals(before.path("figures"), after.path("figures"), "the numbers changed");
            assertTrue(after.path("search").asText().contains("metric=ttft_ms"), "state is in the URL");

            chromium.evaluate("document.querySelector('#agg-toggle a[data-agg=worst10]').click()");
            chromium.awaitLoaded("agg=worst10");
            JsonNode worst = state(chromium);
            assertNotEquals(after.path("paths"), worst.path("paths"), "worst 10 % draws other lines");
            assertTrue(worst.path("search").asText().contains("metric=ttft_ms"), "the metric stays chosen");

            chromium.navigate(base.resolve("/?metric=stream_tps&agg=worst10&range=1d").toString());
            chromium.screenshot(Path.of("docs", "dashboard.png"));
            assertTrue(Files.size(Path.of("docs", "dashboard.png")) > 10_000);

            chromium.viewport(380, 900);
            chromium.navigate(base.resolve("/?metric=e2e_tps&agg=mean&range=7d").toString());
            JsonNode narrow = chromium.evaluate("({page: document.documentElement.scrollWidth, "
                    + "window: window.innerWidth, chart: document.querySelector('#history-chart')"
                    + ".getBoundingClientRect().width})");
            assertTrue(narrow.path("page").asInt() <= narrow.path("window").asInt(),
                    "nothing wider than a narrow window: " + narrow);
            assertTrue(narrow.path("chart").asDouble() > 300, "the chart shrinks to fit: " + narrow);
        }
    }

    private static JsonNode state(HeadlessChromium chromium) throws Exception {
        return chromium.evaluate("({"
                + "points: document.querySelectorAll('#history-chart circle').length,"
                + "paths: Array.from(document.querySelectorAll('#history-chart path.series')).map(p => p.getAttribute('d')),"
                + "figures: Array.from(document.querySelectorAll('.card .figure')).map(f => f.textContent),"
                + "activeMetric: document.querySelector('#metric-toggle a.active').textContent,"
                + "search: location.search})");
    }
}
