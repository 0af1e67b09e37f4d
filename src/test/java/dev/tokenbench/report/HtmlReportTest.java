package dev.tokenbench.report;

import dev.tokenbench.measure.HeadlineComparison;
import dev.tokenbench.run.RunJson;
import dev.tokenbench.run.RunResult;
import org.junit.jupiter.api.Test;

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
}
