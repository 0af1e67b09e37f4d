package dev.tokenbench.measure;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Map;

/**
 * One target's results for a run: immutable once built (the histograms are private copies; do not record into
 * them). What run.json, the reports and the terminal table are rendered from.
 *
 * @param requests measured requests (warm-ups excluded)
 * @param good       measured requests that met the SLO
 * @param samples    per-request values and times, for significance tests and the timeline
 * @param lateStarts open loop: requests that started 1 ms or more after their intended time (the distribution
 *                   is the {@code start_delay_ms} metric)
 * @param retriedAttempts attempts that failed and were retried (not counted in {@code requests})
 */
public record TargetSummary(
        String target,
        int requests,
        int ok,
        int warmups,
        int good,
        Map<String, Integer> outcomes,
        long outputTokens,
        long inputTokens,
        long reasoningTokens,
        double costUsd,
        boolean tokensEstimated,
        int newConnections,
        int reusedConnections,
        Map<Metric, MetricSummary> metrics,
        Map<Metric, Histogram> histograms,
        List<RequestRecord> failures,
        int lateStarts,
        int retriedAttempts,
        RequestSamples samples) {

    /** Without per-request samples: no significance test, no timeline. */
    public TargetSummary(String target, int requests, int ok, int warmups, int good, Map<String, Integer> outcomes,
            long outputTokens, long inputTokens, long reasoningTokens, double costUsd, boolean tokensEstimated,
            int newConnections, int reusedConnections, Map<Metric, MetricSummary> metrics,
            Map<Metric, Histogram> histograms, List<RequestRecord> failures, int lateStarts) {
        this(target, requests, ok, warmups, good, outcomes, outputTokens, inputTokens, reasoningTokens, costUsd,
                tokensEstimated, newConnections, reusedConnections, metrics, histograms, failures, lateStarts, 0,
                RequestSamples.NONE);
    }

    public int failed() {
        return requests - ok;
    }

    /** Measured requests that did not end on their own: cut short by a stop, or not started (cost budget). */
    public int cancelled() {
        return outcomes.getOrDefault(Outcome.CANCELLED.label(), 0);
    }

    /** The requests goodput is a share of: measured requests that ended on their own (not cancelled). */
    public int endedOnTheirOwn() {
        return requests - cancelled();
    }

    /**
     * Share of the requests that ended on their own that met the SLO ("how often is it usable"); a cancelled request
     * says nothing of the endpoint, so it counts neither way. NaN with no such request.
     */
    public double goodput() {
        int base = endedOnTheirOwn();
        return base <= 0 ? Double.NaN : (double) good / base;
    }

    public MetricSummary metric(Metric m) {
        return metrics.getOrDefault(m, MetricSummary.EMPTY);
    }

    public double costPerRequestUsd() {
        return requests == 0 ? Double.NaN : costUsd / requests;
    }
}
