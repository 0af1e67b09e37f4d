package dev.tokenbench.report;

import dev.tokenbench.measure.HeadlineComparison;
import dev.tokenbench.run.RunJson;
import dev.tokenbench.run.RunResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportTest {
    private static final String ESCAPED_HOSTILE = "&lt;script&gt;alert(1)&lt;/script&gt; | x &amp; y";

    private final RunResult run = ReportFixtures.standard();
    private final String html = HtmlReport.render(run);

    private static int count(String text, String needle) {
        return text.split(Pattern.quote(needle), -1).length - 1;
    }

    /** The card of one target: from its heading to the end of its article. */
    private String cardOf(String escapedName) {
        int start = html.indexOf("<h3>" + escapedName);
        assertTrue(start > 0, "no card for " + escapedName);
        return html.substring(start, html.indexOf("</article>", start));
    }

    @Test
    void isACompleteDocumentTitledWithBenchmarkAndRunId() {
        assertTrue(html.startsWith("<!DOCTYPE html>"), html.substring(0, 40));
        assertTrue(html.strip().endsWith("</html>"));
        assertTrue(html.contains("<title>tokenbench · azure-vs-openai · run 20250501-100000-azure-vs-openai</title>"),
                html.substring(0, 600));
    }

    @Test
    void everyTargetIsNamedInTableCardAndCharts() {
        for (String name : new String[] {"openai", "azure-eastus2", ESCAPED_HOSTILE}) {
            assertTrue(count(html, name) >= 3, name + " appears " + count(html, name) + " times");
            cardOf(name);
        }
        assertEquals(3, count(html, "<article class=\"card\""));
        assertEquals(3, count(html.substring(html.indexOf("<table class=\"summary\">"),
                html.indexOf("</table>", html.indexOf("<table class=\"summary\">"))), "<tr><td"));
    }

    @Test
    void nothingIsLoadedFromOutside() {
        String lower = html.toLowerCase(Locale.ROOT);
        for (String external : new String[] {"http://", "https://", "@import", "url(", "<link", "<script", " src=",
                "<iframe", "<object"}) {
            assertFalse(lower.contains(external), "found " + external);
        }
    }

    @Test
    void carriesTheInlineCharts() {
        assertEquals(4, count(html, "<svg"), "TTFT CDF, stream TPS CDF, worst-10% stream TPS bars, timeline");
        assertEquals(4, count(html, "</svg>"));
        assertTrue(html.contains("aria-label=\"stream TPS distribution (CDF)\""));
        assertTrue(html.contains("aria-label=\"Per-request timeline\""));
        // Two targets have a TTFT distribution; the one whose requests all failed has no curve.
        String cdf = html.substring(html.indexOf("<svg"), html.indexOf("</svg>"));
        assertEquals(2, count(cdf, "<path"), cdf);
        assertTrue(cdf.contains(SvgCharts.colour(0)) && cdf.contains(SvgCharts.colour(1)));
    }

    @Test
    void textFromTheBenchmarkFileIsEscapedEverywhere() {
        assertFalse(html.contains("<script>"));
        assertFalse(html.contains("<b>bold</b>"), "labels are escaped");
        assertTrue(html.contains("note=&lt;b&gt;bold&lt;/b&gt;"));
        assertTrue(html.contains("upstream &lt;error&gt; &amp; &quot;overloaded&quot;"), "error messages are escaped");
        String charts = html.substring(html.indexOf("<svg"), html.lastIndexOf("</svg>"));
        assertTrue(charts.contains(ESCAPED_HOSTILE.replace(" | x &amp; y", "")), "SVG text is escaped");
    }

    @Test
    void headlineSentencesAreShown() {
        for (HeadlineComparison h : RunJson.headlineOf(run)) {
            assertTrue(html.contains(">" + SvgCharts.escape(h.sentence()) + "</li>"), h.sentence());
        }
        assertTrue(html.contains("<li class=\"slower\">azure-eastus2 is "), "verdict class");
        assertTrue(html.indexOf("id=\"headline\"") < html.indexOf("id=\"summary\""));
    }

    @Test
    void cardTabulatesEveryDistributionAndShowsMissingFiguresAsDash() {
        String card = cardOf(ESCAPED_HOSTILE);
        for (String metric : new String[] {"TTFT", "time to first output", "stream TPS", "E2E TPS", "TPOT",
                "max stall"}) {
            Matcher row = Pattern.compile("<tr><td>" + Pattern.quote(metric) + " <span class=\"note\">[^<]+</span></td>"
                    + "((?:<td class=\"right\">[^<]*</td>){5})</tr>").matcher(card);
            assertTrue(row.find(), metric + " row missing in card:\n" + card);
            assertEquals(5, count(row.group(1), ">–<"), metric + ": " + row.group(1));
        }
        assertTrue(card.contains("http_5xx: 20"), card);
        assertTrue(card.contains("0.0%"), card);
        assertFalse(html.contains("NaN"));

        String baseline = cardOf("openai");
        assertTrue(baseline.contains("<span class=\"tag\">baseline</span>"), baseline);
        assertFalse(baseline.contains(">–<"), "the baseline has every figure:\n" + baseline);
        assertTrue(baseline.contains("per request"), baseline);
    }

    @Test
    void followsTheColourSchemeAndPrints() {
        assertTrue(html.contains("@media (prefers-color-scheme: dark)"));
        assertTrue(html.contains("@media print"));
    }

    @Test
    void opensWithBigNumbersAndAFailuresFirstSentencePerTarget() {
        int top = html.indexOf("<section id=\"top\"");
        assertTrue(top > 0 && top < html.indexOf("id=\"headline\"") && top < html.indexOf("id=\"summary\""),
                "the big numbers come first");
        String tops = html.substring(top, html.indexOf("</section>", top));
        assertEquals(3, count(tops, "<article class=\"top\""));
        assertEquals(3 * (3 + 2), count(tops, "<span class=\"big\">"), "per target: 3 means, error share, goodput");
        String slow = tops.substring(tops.indexOf("<h2>" + ReportFixtures.SLOW));
        slow = slow.substring(0, slow.indexOf("</article>"));
        var stream = run.targets().get(1).metric(dev.tokenbench.measure.Metric.STREAM_TPS);
        assertTrue(slow.contains("<span class=\"big\">" + Formats.tps(stream.mean()) + "</span>"), slow);
        assertTrue(slow.contains("<span class=\"worst\">" + Formats.tps(stream.worst10()) + "</span>"), slow);
        assertTrue(slow.contains("<span class=\"big\">10.0%</span> <span class=\"unit\">errors (429 ×1, timeout ×1)"),
                slow);
        assertTrue(slow.contains("<p class=\"sentence\">azure-eastus2: 10% of requests failed (429 ×1, timeout ×1); "
                + "of those that succeeded, against openai, "), slow);
        assertTrue(slow.contains("worst-10% rests on 2 requests (fewer than 5): too few to judge."), slow);
    }

    @Test
    void wordingIsCleanForOneTargetAndTimestampsAreToTheSecond() {
        assertTrue(html.contains("started 2025-05-01 10:00:00 UTC · 3 targets ·"), html.substring(0, 6000));
        RunResult one = run.toBuilder().startedAt(java.time.Instant.parse("2025-05-01T10:00:00.123456789Z"))
                .targets(run.targets().subList(0, 1)).steps(List.of()).build();
        String single = HtmlReport.render(one);
        assertTrue(single.contains("· 1 target ·"), "not '1 targets'");
        assertFalse(single.contains("123456789"), "no nanoseconds in a report");
        assertFalse(MarkdownReport.render(one).contains("123456789"), "nor in report.md");
        assertFalse(single.contains("1.00x faster to 1.00x slower"));
    }
}
