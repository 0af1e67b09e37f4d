package dev.tokenbench.report;

import dev.tokenbench.measure.Metric;
import dev.tokenbench.run.RunResult;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SvgChartsTest {

    /** Parsing as XML proves the markup well-formed and the text escaped: a raw '<' or '&' would not parse. */
    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> texts(Document doc) {
        NodeList nodes = doc.getElementsByTagName("text");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }

    @Test
    void cdfHasOneCurvePerTargetWithDataAndALegendEntryForEach() throws Exception {
        RunResult run = ReportFixtures.run(ReportFixtures.HOSTILE, false);
        Document doc = parse(SvgCharts.ttftCdf(run));
        NodeList paths = doc.getElementsByTagName("path");
        assertEquals(3, paths.getLength());
        assertEquals(ReportFixtures.HOSTILE, ((Element) paths.item(2)).getElementsByTagName("title").item(0)
                .getTextContent(), "the curve's tooltip names the target, unescaped once parsed");
        List<String> texts = texts(doc);
        assertTrue(texts.contains(ReportFixtures.BASELINE), texts.toString());
        assertTrue(texts.contains(ReportFixtures.SLOW), texts.toString());
        assertTrue(texts.contains(ReportFixtures.HOSTILE), texts.toString());
        assertTrue(texts.contains("100%") && texts.contains("0%"), texts.toString());
    }

    @Test
    void eachCurveClimbsToAllRequests() throws Exception {
        Document doc = parse(SvgCharts.ttftCdf(ReportFixtures.standard()));
        NodeList paths = doc.getElementsByTagName("path");
        for (int i = 0; i < paths.getLength(); i++) {
            String d = ((Element) paths.item(i)).getAttribute("d");
            assertTrue(d.startsWith("M"), d);
            String lastY = d.substring(d.lastIndexOf('V') + 1);
            assertEquals("12.0", lastY, "top of the plot is 100%: " + d);
            String firstY = d.substring(d.indexOf(' ') + 1, d.indexOf('V'));
            assertEquals("272.0", firstY, "a curve starts at 0%: " + d);
        }
    }

    @Test
    void axisIsLinearForCloseValuesAndLogarithmicForWideOnes() throws Exception {
        // Baseline 300-490 ms, slow target up to 3.65 s: one decade, linear.
        List<String> linear = texts(parse(SvgCharts.ttftCdf(ReportFixtures.standard())));
        assertFalse(linear.stream().anyMatch(t -> t.contains("log scale")), linear.toString());
        assertTrue(linear.contains("0") && linear.contains("1 s") && linear.contains("4 s"), linear.toString());
        // Third target up to 43 s: 300 ms to 43 s spans more than 50x.
        List<String> log = texts(parse(SvgCharts.ttftCdf(ReportFixtures.run("slow", false))));
        assertTrue(log.stream().anyMatch(t -> t.contains("log scale")), log.toString());
        assertTrue(log.contains("100 ms") && log.contains("1 s") && log.contains("10 s") && log.contains("100 s"),
                log.toString());
    }

    @Test
    void barsShowWorst10StreamTpsPerTargetAndADashWithoutData() throws Exception {
        RunResult run = ReportFixtures.standard();
        Document doc = parse(SvgCharts.worst10StreamTpsBars(run));
        assertEquals(2 + 1, doc.getElementsByTagName("rect").getLength(), "two bars and the key's swatch");
        List<String> texts = texts(doc);
        var baseline = run.targets().get(0).metric(Metric.STREAM_TPS);
        String label = Formats.tps(baseline.worst10()) + " · mean " + Formats.tps(baseline.mean());
        assertTrue(texts.contains(label), label + " in " + texts);
        assertTrue(texts.contains("– (no successful request)"), texts.toString());
        assertTrue(texts.stream().anyMatch(t -> t.startsWith("<script>")), "names are drawn: " + texts);
    }

    @Test
    void chartWithNoDataSaysSo() throws Exception {
        RunResult run = ReportFixtures.standard();
        RunResult onlyFailures = RunResult.builder()
                .runId(run.runId())
                .plan(run.plan())
                .runDir(run.runDir())
                .startedAt(run.startedAt())
                .endedAt(run.endedAt())
                .status(RunResult.FAILED)
                .wallSeconds(1)
                .clientCpuSeconds(1)
                .targets(List.of(run.targets().get(2)))
                .build();
        Document doc = parse(SvgCharts.ttftCdf(onlyFailures));
        assertEquals(0, doc.getElementsByTagName("path").getLength());
        assertTrue(texts(doc).contains("no successful request to chart"));
    }

    @Test
    void paletteIsOkabeItoAndRepeatsOnlyWithADash() {
        assertEquals("#0072B2", SvgCharts.colour(0));
        assertEquals(SvgCharts.colour(0), SvgCharts.colour(SvgCharts.PALETTE.size()));
        assertTrue(SvgCharts.dash(0).isEmpty());
        assertFalse(SvgCharts.dash(SvgCharts.PALETTE.size()).isEmpty());
    }

    @Test
    void refusesMetricsItCannotDraw() {
        assertThrows(IllegalArgumentException.class, () -> SvgCharts.latencyCdf(List.of(), Metric.STREAM_TPS));
        assertThrows(IllegalArgumentException.class, () -> SvgCharts.rateBars(List.of(), Metric.TTFT_MS));
    }

    @Test
    void escapeCoversMarkupAndAttributes() {
        assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", SvgCharts.escape("<a href=\"x\">&'"));
    }

    @Test
    void axisLabelsAreRoundAndCarryUnits() {
        assertEquals("250 ms", SvgCharts.durationLabel(250));
        assertEquals("1.5 s", SvgCharts.durationLabel(1500));
        assertEquals("0.5 ms", SvgCharts.durationLabel(0.5));
        assertEquals(2.0, SvgCharts.niceStep(1.3));
        assertEquals(500.0, SvgCharts.niceStep(420));
    }
}
