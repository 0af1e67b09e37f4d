package dev.tokenbench.report;

import dev.tokenbench.measure.Comparison;
import dev.tokenbench.measure.HeadlineComparison;
import dev.tokenbench.measure.Metric;
import dev.tokenbench.measure.MetricSummary;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.Significance;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.run.RunResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The top of every report, as Azure Bench's page reads: per target the big numbers (mean and worst-10 % of stream
 * TPS, TTFT and E2E TPS), its error share and goodput, then one sentence against the baseline that names the
 * target's failures before any comparison, so a target that failed a quarter of its requests is never just "the
 * same". Worded once here for the terminal, report.md and report.html; the texts are unescaped.
 */
final class ReportTop {
    /** The figures of the big numbers, in display order. */
    static final List<Metric> FIGURES = List.of(Metric.STREAM_TPS, Metric.TTFT_MS, Metric.E2E_TPS);

    /**
     * The one definition of worst-10 % every surface states. {@link MetricSummary#worst10} computes it; a rate's is
     * its 10th percentile, and a latency's mirrors it from the top, so in a small run it can sit above p90.
     */
    static final String WORST10_DEFINITION = "Worst-10% is the best value among a target's worst 10% of successful "
            + "requests (its tail: max(1, ceil(n/10)) requests): for a rate the 10th percentile; for a latency the "
            + "mirror, the ceil(n/10)-th highest value, which in a small run can sit above p90. A tail of fewer than "
            + Significance.MIN_TAIL + " requests is flagged and makes no claim.";

    private ReportTop() {
    }

    /** One big number: a figure's mean and worst-10 %, formatted. */
    record BigNumber(String label, String unit, String mean, String worst10) {
    }

    /**
     * What became of a target's requests, formatted.
     *
     * @param errorShare e.g. "25.0%"
     * @param errors     e.g. "429 ×5, timeout ×1"; empty when none failed
     */
    record Outcomes(String errorShare, String errors, String goodput) {
    }

    /**
     * One target's top block.
     *
     * @param tailWarning e.g. "worst-10% rests on 2 requests"; empty when the tail holds enough
     */
    record Top(String name, boolean baseline, List<BigNumber> numbers, Outcomes outcomes, String tailWarning,
            String sentence) {
        String errorShare() {
            return outcomes.errorShare();
        }

        String errors() {
            return outcomes.errors();
        }

        String goodput() {
            return outcomes.goodput();
        }
    }

    static List<Top> of(RunResult run) {
        Map<String, List<HeadlineComparison>> headline = RunFacts.headline(run);
        List<Top> tops = new ArrayList<>();
        for (ReportTarget t : ReportTarget.of(run)) {
            TargetSummary s = t.summary();
            List<BigNumber> numbers = new ArrayList<>(FIGURES.size());
            for (Metric m : FIGURES) {
                MetricSummary ms = s.metric(m);
                numbers.add(new BigNumber(m.label(), m.unit(), Formats.metric(m, ms.mean()),
                        Formats.metric(m, ms.worst10())));
            }
            tops.add(new Top(t.name(), t.baseline(), numbers,
                    new Outcomes(Formats.percent(errorShare(s)), errors(s), Formats.percent(s.goodput())),
                    tailWarning(s.ok()),
                    sentence(t, headline.getOrDefault(t.name(), List.of()), run.plan().baseline())));
        }
        return tops;
    }

    /**
     * The small-tail warnings, one line per distinct tail ("openai, azure: worst-10% rests on 2 requests (fewer
     * than 5): too few to judge"): a run of 20 requests per target says it once, not once per target.
     */
    static List<String> tailNotes(List<Top> tops) {
        Map<String, StringJoiner> byWarning = new LinkedHashMap<>();
        for (Top top : tops) {
            if (!top.tailWarning().isEmpty()) {
                byWarning.computeIfAbsent(top.tailWarning(), w -> new StringJoiner(", ")).add(top.name());
            }
        }
        List<String> notes = new ArrayList<>();
        byWarning.forEach((warning, names) -> notes.add(names + ": " + warning + ": too few to judge"));
        return notes;
    }

    /** Failed measured requests over measured requests; NaN with none measured. */
    static double errorShare(TargetSummary s) {
        return s.requests() == 0 ? Double.NaN : (double) s.failed() / s.requests();
    }

    /** "worst-10% rests on 2 requests" when the tail of {@code successful} requests holds fewer than five. */
    static String tailWarning(int successful) {
        if (successful == 0) {
            return "";
        }
        int tail = MetricSummary.tailSize(successful);
        return tail >= Significance.MIN_TAIL ? "" : "worst-10% rests on " + requests(tail)
                + " (fewer than " + Significance.MIN_TAIL + ")";
    }

    /** Failed measured requests by outcome: "429 ×5, timeout ×1". */
    static String errors(TargetSummary s) {
        StringJoiner joined = new StringJoiner(", ");
        for (Map.Entry<String, Integer> e : s.outcomes().entrySet()) {
            if (!Outcome.OK.label().equals(e.getKey())) {
                joined.add(ReportTarget.shortOutcome(e.getKey()) + " ×" + e.getValue());
            }
        }
        return joined.toString();
    }

    /**
     * E.g. "azure: 25% of requests failed (429 ×5); of those that succeeded, against openai, TTFT is the same, stream
     * TPS is 3.4x slower on mean and 5.1x slower on worst-10%, and E2E TPS is 2.0x slower." Failures always come
     * first.
     */
    static String sentence(ReportTarget t, List<HeadlineComparison> comparisons, String baseline) {
        TargetSummary s = t.summary();
        StringBuilder out = new StringBuilder(t.name()).append(t.baseline() ? " (baseline): " : ": ");
        if (s.requests() == 0) {
            return out.append("no measured request finished.").toString();
        }
        if (s.ok() == 0) {
            return out.append(s.requests() == 1 ? "its one request failed (" : "every request failed (")
                    .append(errors(s)).append(')').append(stopped(s)).append("; nothing to compare.").toString();
        }
        boolean failures = s.failed() > 0;
        if (failures) {
            out.append(wholePercent(errorShare(s))).append(" of requests failed (").append(errors(s)).append(')')
                    .append(stopped(s));
        } else {
            out.append(s.requests() == 1 ? "its one request succeeded" : "all " + s.requests() + " requests succeeded");
        }
        if (t.baseline() || comparisons.isEmpty()) {
            return out.append('.').toString();
        }
        out.append(failures ? "; of those that succeeded, against " : "; against ").append(baseline).append(", ");
        List<String> parts = new ArrayList<>();
        for (Metric m : FIGURES) {
            HeadlineComparison mean = find(comparisons, m, "mean");
            HeadlineComparison worst = find(comparisons, m, "worst10");
            if (mean != null || worst != null) {
                parts.add(phrase(m, mean, worst));
            }
        }
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                out.append(i == parts.size() - 1 ? ", and " : ", ");
            }
            out.append(parts.get(i));
        }
        return out.append('.').toString();
    }

    /** Fail-fast's words when the target stopped sending before its load was done; empty when it did not. */
    static String stopped(TargetSummary s) {
        return s.stoppedEarly() == null ? "" : ", and it stopped sending early because " + s.stoppedEarly();
    }

    /** "TTFT is the same" or "TTFT is 3.4x slower on mean and 5.1x slower on worst-10% (tail too small)". */
    private static String phrase(Metric m, HeadlineComparison mean, HeadlineComparison worst) {
        if (mean != null && worst != null && verdict(mean).equals(verdict(worst))
                && qualifier(mean).equals(qualifier(worst))) {
            return m.label() + " is " + verdict(mean) + qualifier(mean);
        }
        StringBuilder out = new StringBuilder(m.label()).append(" is ");
        if (mean != null) {
            out.append(verdict(mean)).append(" on mean").append(qualifier(mean));
        }
        if (worst != null) {
            out.append(mean == null ? "" : " and ").append(verdict(worst)).append(" on worst-10%")
                    .append(qualifier(worst));
        }
        return out.toString();
    }

    /** "the same", "not comparable", "3.4x slower". */
    private static String verdict(HeadlineComparison h) {
        String verdict = h.comparison().verdict();
        return switch (verdict) {
            case "same" -> "the same";
            case "n/a" -> "not comparable";
            default -> verdict;
        };
    }

    /** Why a difference is no claim: " (not significant)", " (tail too small)"; empty for a claim or "same". */
    private static String qualifier(HeadlineComparison h) {
        String verdict = h.comparison().verdict();
        if ("same".equals(verdict) || "n/a".equals(verdict) || h.significance().significant()) {
            return "";
        }
        return " (" + h.significance().kind().label() + ")";
    }

    private static HeadlineComparison find(List<HeadlineComparison> comparisons, Metric metric, String stat) {
        for (HeadlineComparison h : comparisons) {
            Comparison c = h.comparison();
            if (c.metric() == metric && c.stat().equals(stat)) {
                return h;
            }
        }
        return null;
    }

    /** "25%"; one decimal within 1 % of 0 or 100, so that one failure in 400 is neither "0%" nor "100%". */
    static String wholePercent(double ratio) {
        double percent = ratio * 100;
        return percent < 1 || percent > 99 && percent < 100 ? String.format(Locale.ROOT, "%.1f%%", percent)
                : String.format(Locale.ROOT, "%.0f%%", percent);
    }

    static String requests(long n) {
        return n == 1 ? "1 request" : n + " requests";
    }
}
