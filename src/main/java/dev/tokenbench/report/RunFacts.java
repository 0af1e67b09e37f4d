package dev.tokenbench.report;

import dev.tokenbench.config.Durations;
import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.SloSpec;
import dev.tokenbench.measure.Bootstrap;
import dev.tokenbench.measure.ClientHealth;
import dev.tokenbench.measure.Comparison;
import dev.tokenbench.measure.HeadlineComparison;
import dev.tokenbench.measure.MetricSummary;
import dev.tokenbench.measure.Significance;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.run.RunJson;
import dev.tokenbench.run.RunResult;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the Markdown and HTML reports say about a run beside the figures, worded once for both. */
final class RunFacts {
    private RunFacts() {
    }

    /** Label and text of each line of the run-context section, in display order. Texts are unescaped. */
    static List<Map.Entry<String, String>> context(RunResult run, RunOrigin origin) {
        RunPlan plan = run.plan();
        List<Map.Entry<String, String>> lines = new ArrayList<>();
        lines.add(Map.entry("Benchmark", plan.name() + (plan.sourceFile() == null ? "" : " (" + plan.sourceFile() + ")")));
        for (Map.Entry<String, String> source : origin.sources()) {
            lines.add(Map.entry("Run " + source.getKey(), source.getValue()));
        }
        if (plan.prompts() != null) {
            lines.add(Map.entry("Prompts", prompts(plan)));
        }
        if (plan.load() != null) {
            lines.add(Map.entry("Load", load(plan.load())));
        }
        lines.add(Map.entry("SLO (usable request)", slo(plan.slo())));
        lines.add(Map.entry("Baseline", plan.baseline() == null ? "none" : plan.baseline()));
        lines.add(Map.entry("Started", Formats.timestamp(run.startedAt())));
        lines.add(Map.entry("Ended", Formats.timestamp(run.endedAt())));
        lines.add(Map.entry("Wall time", seconds(run.wallSeconds())));
        lines.add(Map.entry("Client CPU", seconds(run.clientCpuSeconds())));
        lines.add(Map.entry("Status", run.status()));
        if (origin.tokenbenchVersion() != null) {
            lines.add(Map.entry("tokenbench version", origin.tokenbenchVersion()));
        }
        if (origin.probe() != null) {
            lines.add(Map.entry("Probe", origin.probe()));
        }
        return lines;
    }

    /**
     * What the reports and the terminal summary say about the client's own health: one line when its verdict is
     * not good, one when {@code --drop-lagged} left requests out; nothing for a clean run or one saved without it.
     */
    static List<String> client(RunResult run) {
        ClientHealth client = run.client();
        if (client == null) {
            return List.of();
        }
        List<String> lines = new ArrayList<>(2);
        if (!client.good()) {
            lines.add(client.oneLine());
        }
        if (client.leftOutLine() != null) {
            lines.add(client.leftOutLine());
        }
        return lines;
    }

    /** Unknown (NaN) when a run was rebuilt after a crash: nothing on disk says how much CPU it used. */
    private static String seconds(double seconds) {
        return Double.isNaN(seconds) ? "unknown (rebuilt after the run was killed)"
                : String.format(Locale.ROOT, "%.1f s", seconds);
    }

    static String prompts(RunPlan plan) {
        if (plan.prompts() == null) {
            return "–";
        }
        int count = plan.prompts().prompts() == null ? 0 : plan.prompts().prompts().size();
        return plan.prompts().name() + " (" + plan.prompts().source() + ", " + count
                + (count == 1 ? " prompt)" : " prompts)");
    }

    static String load(LoadSpec load) {
        if (load == null) {
            return "–";
        }
        if (load.trace() != null) {
            return "trace replay of " + load.trace().source() + " (" + load.trace().format() + ", "
                    + load.trace().rows() + (load.trace().rows() == 1 ? " row" : " rows")
                    + (load.trace().speed() == 1 ? "" : " at " + BigDecimal.valueOf(load.trace().speed()).stripTrailingZeros().toPlainString() + "x speed")
                    + "), at most " + load.concurrency() + " in flight; timeout " + Durations.format(load.timeout())
                    + ", stall timeout " + Durations.format(load.stallTimeout());
        }
        String mode = LoadSpec.CLOSED.equals(load.mode()) ? "closed loop" : load.mode();
        return mode + ", concurrency " + load.concurrency() + ", " + load.requests()
                + " measured requests per target after " + load.warmup()
                + (load.warmup() == 1 ? " warm-up" : " warm-ups")
                + "; timeout " + Durations.format(load.timeout())
                + ", stall timeout " + Durations.format(load.stallTimeout());
    }

    static String slo(SloSpec slo) {
        if (slo == null) {
            return "–";
        }
        return "TTFT ≤ " + Durations.format(slo.ttft()) + " and stream TPS ≥ "
                + Formats.tps(slo.streamTokensPerSecond()) + " tok/s";
    }

    /**
     * The headline comparisons against the baseline, grouped by target in run order. The figures are
     * {@link RunJson#comparisonsOf}'s, so the reports and run.json can never disagree.
     */
    static Map<String, List<HeadlineComparison>> headline(RunResult run) {
        Map<String, List<HeadlineComparison>> byTarget = new LinkedHashMap<>();
        for (HeadlineComparison h : RunJson.headlineOf(run)) {
            byTarget.computeIfAbsent(h.comparison().target(), k -> new ArrayList<>()).add(h);
        }
        return byTarget;
    }

    /**
     * The heading of a target's figure-by-figure comparisons, which cover its successful requests only: "azure (25%
     * of its requests failed: 429 ×5; the figures are of the rest):" or "azure (no request failed):".
     */
    static String comparedGroup(ReportTarget t) {
        TargetSummary s = t.summary();
        if (s.failed() == 0) {
            return t.name() + " (no request failed):";
        }
        return t.name() + " (" + ReportTop.wholePercent(ReportTop.errorShare(s)) + " of its requests failed: "
                + ReportTop.errors(s) + "; the figures are of the rest):";
    }

    /** The benchmark file as loaded, secrets redacted, pretty-printed; empty when the run has none. */
    static String redactedConfig(RunResult run) {
        if (run.plan().redactedConfig() == null || run.plan().redactedConfig().isEmpty()) {
            return "";
        }
        return run.plan().redactedConfig().toPrettyString();
    }

    /** The note under every headline: how to read the ratios and the significance. */
    static final String HEADLINE_NOTE = "Within 1.1x either way counts as the same. " + ReportTop.WORST10_DEFINITION
            + " A difference is significant when both targets have at least " + Significance.MIN_SAMPLES
            + " successful requests, the seeded bootstrap 95% confidence interval of the ratio ("
            + Bootstrap.DEFAULT_RESAMPLES + " resamples) excludes 1, and, for means, the Mann-Whitney U test gives p < "
            + Significance.ALPHA + ".";

    /** The interval in words ("2.91–4.02x slower") or why there is none. */
    static String ciText(Significance s) {
        return switch (s.kind()) {
            case TOO_FEW_SAMPLES -> "too few samples (" + s.targetSamples() + " vs " + s.baselineSamples() + ")";
            case SMALL_TAIL -> "tail too small (" + MetricSummary.tailSize(s.targetSamples()) + " vs "
                    + MetricSummary.tailSize(s.baselineSamples()) + " requests)";
            case NOT_APPLICABLE -> "–";
            default -> Significance.range(s.ciLow(), s.ciHigh());
        };
    }

    /** The U test's p-value, or a dash where it was not computed (worst-10% figures, too few samples). */
    static String pText(Significance s) {
        if (Double.isNaN(s.pValue())) {
            return Formats.MISSING;
        }
        return s.pValue() < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", s.pValue());
    }

    /** "worst-10% stream TPS": the figure a comparison is made on. */
    static String figure(Comparison c) {
        return ("worst10".equals(c.stat()) ? "worst-10%" : c.stat()) + " " + c.metric().label();
    }
}
