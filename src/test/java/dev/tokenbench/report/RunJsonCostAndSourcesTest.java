package dev.tokenbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.measure.TokenSources;
import dev.tokenbench.run.RunJson;
import dev.tokenbench.run.RunJsonReader;
import dev.tokenbench.run.RunResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * run.json keeps costs at full precision (a request costs fractions of a cent: thousandths would write 0.0 while
 * report.html shows $0.00034), the reports round them, and each target's tokens say where each count came from.
 */
class RunJsonCostAndSourcesTest {
    private final RunResult run = ReportFixtures.standard();
    private final JsonNode json = RunJson.toJson(run, "test");

    @Test
    void costPerRequestIsExactInRunJsonAndRoundedInTheReports() {
        TargetSummary baseline = run.targets().get(0);
        JsonNode cost = json.path("targets").path(0).path("cost_usd");
        assertEquals(baseline.costPerRequestUsd(), cost.path("per_request").asDouble(), 0.0);
        assertTrue(cost.path("per_request").asDouble() > 0 && cost.path("per_request").asDouble() < 0.001,
                "fractions of a cent: " + cost);
        assertEquals(baseline.costUsd() / baseline.outputTokens() * 1e6, cost.path("per_1m_output_tokens").asDouble(),
                0.0);
        String shown = Formats.usd(baseline.costPerRequestUsd());
        assertEquals("$0.00034", shown);
        assertTrue(HtmlReport.render(run).contains(shown), "the HTML shows the rounded figure");
    }

    @Test
    void eachCountsSourceIsNamedPerTargetAndReadBack() {
        // An Anthropic-like target: output and input from usage, reasoning counted from the thinking text.
        TargetSummary first = run.targets().get(0).toBuilder()
                .tokenSources(new TokenSources(TokenSources.PROVIDER, TokenSources.PROVIDER, TokenSources.ESTIMATED,
                        TokenSources.ESTIMATED))
                .build();
        RunResult mixed = run.toBuilder().targets(List.of(first, run.targets().get(1))).build();
        JsonNode tokens = RunJson.toJson(mixed, "test").path("targets").path(0).path("tokens");
        assertEquals("provider", tokens.path("output_source").asText(), tokens.toString());
        assertEquals("provider", tokens.path("input_source").asText(), tokens.toString());
        assertEquals("estimated", tokens.path("reasoning_source").asText(), tokens.toString());
        assertEquals("estimated", tokens.path("visible_source").asText(), tokens.toString());
        TargetSummary readBack = RunJsonReader.of(RunJson.toJson(mixed, "test"), "run.json")
                .summary(0, first.target());
        assertEquals(first.tokenSources(), readBack.tokenSources());
    }

    @Test
    void aTallyNamesEstimatedWhenAnyRequestWasEstimatedAndNothingWhenNoneSaid() {
        TokenSources.Tally tally = new TokenSources.Tally();
        assertEquals(TokenSources.UNKNOWN, tally.result(), "no request: no source");
        tally.add(new TokenSources(TokenSources.PROVIDER, TokenSources.PROVIDER, TokenSources.PROVIDER, null));
        tally.add(new TokenSources(TokenSources.PROVIDER, TokenSources.ESTIMATED, TokenSources.PROVIDER, null));
        TokenSources.Tally other = new TokenSources.Tally();
        other.add(new TokenSources(TokenSources.PROVIDER, TokenSources.PROVIDER, TokenSources.ESTIMATED, null));
        assertEquals(new TokenSources(TokenSources.PROVIDER, TokenSources.ESTIMATED, TokenSources.PROVIDER, null),
                tally.result());
        tally.add(other);
        assertEquals(new TokenSources(TokenSources.PROVIDER, TokenSources.ESTIMATED, TokenSources.ESTIMATED, null),
                tally.result(), "merged aggregates: one estimated reasoning count makes the target's estimated");
    }

    @Test
    void theOutputCountsSourceIsNamedPerTarget() {
        JsonNode tokens = json.path("targets").path(0).path("tokens");
        assertEquals("provider", tokens.path("output_source").asText(), tokens.toString());
        assertEquals(false, tokens.path("estimated").asBoolean());
    }
}
