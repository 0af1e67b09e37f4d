package dev.tokenbench.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One headline figure of a target against the baseline, with whether the difference is significant. The
 * sentence never names a winner the data cannot support: with too few samples or an interval that includes "no
 * difference" it says so.
 */
public record HeadlineComparison(Comparison comparison, Significance significance) {

    /** The figures the headline compares, as Azure Bench reports them. */
    public static final List<Map.Entry<Metric, String>> FIGURES = List.of(
            Map.entry(Metric.TTFT_MS, "mean"), Map.entry(Metric.TTFT_MS, "worst10"),
            Map.entry(Metric.STREAM_TPS, "mean"), Map.entry(Metric.STREAM_TPS, "worst10"),
            Map.entry(Metric.E2E_TPS, "mean"), Map.entry(Metric.E2E_TPS, "worst10"));

    /**
     * Every target except the baseline against it on {@link #FIGURES}, in the targets' order; empty when no
     * target is named {@code baseline}.
     */
    public static List<HeadlineComparison> of(List<TargetSummary> targets, String baseline) {
        TargetSummary base = null;
        for (TargetSummary s : targets) {
            if (s.target().equals(baseline)) {
                base = s;
                break;
            }
        }
        if (base == null) {
            return List.of();
        }
        List<HeadlineComparison> list = new ArrayList<>();
        for (TargetSummary s : targets) {
            if (s == base) {
                continue;
            }
            for (Map.Entry<Metric, String> figure : FIGURES) {
                Metric metric = figure.getKey();
                String stat = figure.getValue();
                Comparison c = Comparison.of(s.target(), base.target(), metric, stat, s.metric(metric).stat(stat),
                        base.metric(metric).stat(stat));
                list.add(new HeadlineComparison(c, Significance.of(c, s.samples().values(metric),
                        base.samples().values(metric))));
            }
        }
        return list;
    }

    /** "slower", "faster", "same" or "na", for styling; "unclear" when a difference is not significant. */
    public String kind() {
        String verdict = comparison.verdict();
        if ("n/a".equals(verdict)) {
            return "na";
        }
        if ("same".equals(verdict)) {
            return "same";
        }
        if (!significance.significant()) {
            return "unclear";
        }
        return verdict.endsWith("slower") ? "slower" : "faster";
    }

    /** The verdict as a table shows it: "3.4x slower", "1.3x slower?" (not significant). */
    public String verdictText() {
        String verdict = comparison.verdict();
        if ("n/a".equals(verdict) || "same".equals(verdict) || significance.significant()) {
            return verdict;
        }
        return verdict + " (" + significance.kind().label() + ")";
    }

    /**
     * E.g. "azure is 3.4x slower than openai on mean TTFT (significant: 95% CI 2.91–4.02x slower, p < 0.001)";
     * "azure looks 1.2x slower than openai on worst-10% TTFT, but that is not significant (95% CI …)".
     */
    public String sentence() {
        Comparison c = comparison;
        String what = ("worst10".equals(c.stat()) ? "worst-10%" : c.stat()) + " " + c.metric().label();
        String verdict = c.verdict();
        if ("n/a".equals(verdict)) {
            return c.sentence();
        }
        String claim = "same".equals(verdict)
                ? "the same as " + c.baseline() + " (within 10%)"
                : verdict + " than " + c.baseline();
        return switch (significance.kind()) {
            case SIGNIFICANT -> "same".equals(verdict)
                    ? c.target() + " is " + claim + " on " + what + ", though the small difference is significant ("
                            + significance.evidence() + ")"
                    : c.target() + " is " + claim + " on " + what + " (significant: " + significance.evidence() + ")";
            case NOT_SIGNIFICANT -> "same".equals(verdict)
                    ? c.target() + " is " + claim + " on " + what + " (" + significance.evidence() + ")"
                    : c.target() + " looks " + claim + " on " + what + ", but that is not significant ("
                            + significance.evidence() + ")";
            case TOO_FEW_SAMPLES -> c.target() + " looks " + claim + " on " + what
                    + ", but there are too few samples to tell (" + significance.evidence() + ")";
            case SMALL_TAIL -> c.target() + " looks " + claim + " on " + what
                    + ", but the tail is too small to tell (" + significance.evidence() + ")";
            case NOT_APPLICABLE -> c.target() + " looks " + claim + " on " + what + " ("
                    + significance.evidence() + ")";
        };
    }
}
