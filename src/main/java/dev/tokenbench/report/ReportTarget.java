package dev.tokenbench.report;

import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.run.RunResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One target as the reports see it: its spec (api, model, labels) beside its results.
 *
 * @param spec     null only if the plan has no target of that name (a run record edited by hand)
 * @param baseline whether the comparisons are made against this target
 */
record ReportTarget(TargetSpec spec, TargetSummary summary, boolean baseline) {

    String name() {
        return summary.target();
    }

    /** In the run's order (plan order). Matched by name, not position, so a partial run cannot mislabel a row. */
    static List<ReportTarget> of(RunResult run) {
        List<ReportTarget> list = new ArrayList<>(run.targets().size());
        for (TargetSummary s : run.targets()) {
            TargetSpec spec = null;
            for (TargetSpec t : run.plan().targets()) {
                if (t.name().equals(s.target())) {
                    spec = t;
                    break;
                }
            }
            list.add(new ReportTarget(spec, s, s.target().equals(run.plan().baseline())));
        }
        return list;
    }

    /** Failed measured requests by outcome, short: "429:2 timeout:1"; "0" when none failed. */
    String errorsShort() {
        StringJoiner joined = new StringJoiner(" ");
        for (Map.Entry<String, Integer> e : summary.outcomes().entrySet()) {
            if (!Outcome.OK.label().equals(e.getKey())) {
                joined.add(shortOutcome(e.getKey()) + ":" + e.getValue());
            }
        }
        return joined.length() == 0 ? "0" : joined.toString();
    }

    /** Drops the prefixes that only repeat what the column says (it is an error, it is HTTP). */
    static String shortOutcome(String label) {
        if (label.startsWith("http_")) {
            return label.substring("http_".length());
        }
        if (label.endsWith("_error")) {
            return label.substring(0, label.length() - "_error".length());
        }
        return label;
    }

    /** Cost per million output tokens, the price-list figure; NaN when no token came back. */
    double costPer1mOutputTokensUsd() {
        return summary.outputTokens() == 0 ? Double.NaN : summary.costUsd() / summary.outputTokens() * 1e6;
    }

    String modelOrDeployment() {
        if (spec == null) {
            return "";
        }
        if (spec.model() != null) {
            return spec.deployment() == null ? spec.model() : spec.model() + " (deployment " + spec.deployment() + ")";
        }
        return spec.deployment() == null ? "" : "deployment " + spec.deployment();
    }

    /** "cloud=azure, region=eastus2"; empty when unlabelled. */
    String labelsText() {
        if (spec == null || spec.labels() == null || spec.labels().isEmpty()) {
            return "";
        }
        StringJoiner joined = new StringJoiner(", ");
        spec.labels().forEach((k, v) -> joined.add(k + "=" + v));
        return joined.toString();
    }
}
