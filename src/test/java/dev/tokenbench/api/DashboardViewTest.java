package dev.tokenbench.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The page's state from its query string; a plain GET / has none of the parameters. */
class DashboardViewTest {
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void noParametersIsTheDefaultView() {
        Dashboard.View view = Dashboard.view(null, null, null, null, null, null, null, NOW);
        assertEquals("stream_tps", view.metric());
        assertEquals("mean", view.agg());
        assertEquals("1d", view.range());
        assertEquals(NOW.minus(Duration.ofDays(1)), view.from());
        assertEquals(NOW, view.to());
        assertNull(view.baseline());
        assertNull(view.benchmark(), "the page picks the newest run's benchmark");
    }

    @Test
    void knownParametersAreKeptAndUnknownOnesFallBack() {
        Dashboard.View view = Dashboard.view(null, "ttft_ms", "worst10", "7d", null, null, "fast", NOW);
        assertEquals("ttft_ms", view.metric());
        assertEquals("worst10", view.agg());
        assertEquals(NOW.minus(Duration.ofDays(7)), view.from());
        assertEquals("fast", view.baseline());
        Dashboard.View fallback = Dashboard.view(" ", "nope", "median", "5y", null, null, " ", NOW);
        assertEquals("stream_tps", fallback.metric());
        assertEquals("mean", fallback.agg());
        assertEquals("1d", fallback.range());
        assertNull(fallback.baseline());
        assertNull(fallback.benchmark());
        assertEquals("nightly", Dashboard.view(" nightly ", null, null, null, null, null, null, NOW).benchmark());
    }
}
