package dev.tokenbench.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.core.Json;
import dev.tokenbench.measure.HistogramCodec;
import dev.tokenbench.measure.Metric;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.TargetSummary;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunJsonReaderTest {
    private static final String NAME = "runs/x/run.json";

    /** A run.json of one target whose TTFT histogram holds 100, 200 and 300 ms, and one listed failure. */
    private static ObjectNode runJson() {
        Histogram ttft = new Histogram(3);
        for (long ms : new long[] {100, 200, 300}) {
            ttft.recordValue(Math.round(ms * Metric.TTFT_MS.histogramScale()));
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("schema_version", RunJson.SCHEMA_VERSION).put("name", "demo").put("probe", "eu-west")
                .put("status", "done").put("started_at", "2026-12-06T10:00:00Z")
                .put("ended_at", "2026-12-06T10:01:00Z").put("wall_seconds", 60.5);
        ObjectNode t = root.putArray("targets").addObject().put("name", "a").put("late_starts", 2);
        t.putObject("requests").put("measured", 4).put("ok", 3).put("warmup", 1);
        t.putObject("histograms").putObject(Metric.TTFT_MS.key()).put("data", HistogramCodec.encode(ttft));
        root.putArray("failures").addObject().put("request_id", "r4").put("target", "a")
                .put("outcome", Outcome.HTTP_5XX.label()).put("http_status", 503).put("error", "overloaded");
        return root;
    }

    @Test
    void aTargetsFiguresComeFromItsHistogramsAndItsFailuresFromTheList() {
        RunJsonReader reader = RunJsonReader.of(runJson(), NAME);
        TargetSummary a = reader.summary(0, "a");
        assertEquals(4, a.requests());
        assertEquals(3, a.ok());
        assertEquals(2, a.lateStarts());
        assertEquals(3, a.metric(Metric.TTFT_MS).count());
        assertTrue(Math.abs(a.metric(Metric.TTFT_MS).p50() - 200) <= 0.2, "p50 " + a.metric(Metric.TTFT_MS).p50());
        assertEquals(0, a.metric(Metric.STREAM_TPS).count(), "a histogram run.json lacks is empty");
        assertEquals(1, a.failures().size());
        assertEquals(503, a.failures().get(0).httpStatus());
        assertEquals("overloaded", a.failures().get(0).error());
        assertEquals("eu-west", reader.probe());
        assertEquals(Instant.parse("2026-12-06T10:01:00Z"), reader.endedAt(null));
        assertEquals(60.5, reader.wallSeconds());
        assertNull(reader.client(), "a run.json without the client block");
    }

    @Test
    void aFigureThatIsNotANumberReadsAsAbsent() {
        ObjectNode root = runJson();
        root.put("wall_seconds", "sixty").put("client_cpu_seconds", true);
        RunJsonReader reader = RunJsonReader.of(root, NAME);
        assertTrue(Double.isNaN(reader.wallSeconds()));
        assertTrue(Double.isNaN(reader.clientCpuSeconds()));
    }

    @Test
    void whatIsWrongIsNamedWithTheFileAndField() {
        ObjectNode wrongTarget = runJson();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunJsonReader.of(wrongTarget, NAME).summary(0, "b"));
        assertEquals(NAME + ": targets[0] is not target b", e.getMessage());

        ObjectNode badHistogram = runJson();
        ((ObjectNode) badHistogram.path("targets").path(0).path("histograms").path(Metric.TTFT_MS.key()))
                .put("data", "not base64 at all");
        e = assertThrows(IllegalArgumentException.class, () -> RunJsonReader.of(badHistogram, NAME).summary(0, "a"));
        assertTrue(e.getMessage().startsWith(NAME + ": targets[0].histograms." + Metric.TTFT_MS.key() + ": "),
                e.getMessage());

        ObjectNode badStart = runJson().put("started_at", "yesterday");
        e = assertThrows(IllegalArgumentException.class, () -> RunJsonReader.of(badStart, NAME));
        assertTrue(e.getMessage().contains("started_at is not an ISO-8601 instant"), e.getMessage());

        ObjectNode noTargets = runJson();
        noTargets.remove("targets");
        e = assertThrows(IllegalArgumentException.class, () -> RunJsonReader.of(noTargets, NAME));
        assertEquals(NAME + ": field targets is missing", e.getMessage());
    }

    @Test
    void aTargetsFactsAreReadAsWrittenAndItsHistogramsLeftEncoded() {
        ObjectNode root = runJson().put("run_id", "20261206-100000-demo").put("tokenbench_version", "1.2.3");
        ObjectNode t = (ObjectNode) root.path("targets").path(0);
        t.put("api", "some-api").put("model", "m-1").putObject("cost_usd").put("total", 0.25);
        ((ObjectNode) t.path("requests")).put("failed", 1);
        t.putObject("metrics").putObject(Metric.TTFT_MS.key()).put("count", 3).put("mean", 200.0).put("p50", 200)
                .put("p90", 300).put("p99", "n/a").put("worst10", 300);
        RunJsonReader reader = RunJsonReader.of(root, NAME);
        assertEquals("20261206-100000-demo", reader.runId());
        assertEquals("1.2.3", reader.tokenbenchVersion());
        assertEquals(Instant.parse("2026-12-06T10:00:00Z"), reader.startedAt());
        assertEquals(1, reader.targetCount());
        assertEquals("a", reader.targetName(0));
        assertEquals("some-api", reader.api(0));
        assertEquals("m-1", reader.model(0));
        assertEquals(new RunJsonReader.Requests(4, 3, 1), reader.requests(0));
        assertEquals(0.25, reader.costUsd(0));
        RunJsonReader.Figures ttft = reader.figures(0, Metric.TTFT_MS);
        assertEquals(3, ttft.count());
        assertEquals(300.0, ttft.p90());
        assertTrue(Double.isNaN(ttft.p99()), "a figure that is not a number reads as NaN");
        assertNull(reader.figures(0, Metric.STREAM_TPS), "a metric run.json lacks");
        assertEquals(t.path("histograms").path(Metric.TTFT_MS.key()).path("data").asText(),
                reader.histogramData(0, Metric.TTFT_MS));
        assertNull(reader.histogramData(0, Metric.STREAM_TPS));
        assertTrue(reader.targetWithoutHistograms(0).path("histograms").isMissingNode());
        assertTrue(root.path("targets").path(0).has("histograms"), "the tree itself is left as it was");

        ObjectNode noModel = runJson();
        assertNull(RunJsonReader.of(noModel, NAME).model(0));
        assertEquals("", RunJsonReader.of(noModel, NAME).api(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunJsonReader.of(noModel, NAME).runId());
        assertEquals(NAME + ": field run_id is missing", e.getMessage());
    }

    @Test
    void stepsAreReadPerTargetWithAbsentLevelsAsNaN() {
        ObjectNode root = runJson();
        ObjectNode steps = root.putArray("steps").addObject().put("target", "a");
        steps.putArray("steps").addObject().put("level", 4).put("wall_seconds", 10.0);
        steps.withArray("steps").addObject().putNull("level").put("wall_seconds", 11.0);
        RunJsonReader reader = RunJsonReader.of(root, NAME);
        assertEquals(2, reader.steps("a").size());
        assertEquals(4.0, reader.steps("a").get(0).level());
        assertTrue(Double.isNaN(reader.steps("a").get(1).level()));
        assertEquals(11.0, reader.steps("a").get(1).wallSeconds());
        assertEquals(0, reader.steps("b").size());
    }
}
