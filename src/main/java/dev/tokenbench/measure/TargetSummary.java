package dev.tokenbench.measure;

import dev.tokenbench.measure.ToolCallTally.ToolCallSummary;
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
 * @param shapeExamples a typical and a worst request with their event gaps, for the stream-shape chart (one when
 *                      they are the same, none without kept gaps)
 * @param dialectSums what the other tools' definitions need beyond the metrics ({@link Dialects})
 * @param toolCalls  the ok requests that answered with a tool call ({@link ToolCallSummary#NONE}: none)
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
        RequestSamples samples,
        TokenSources tokenSources,
        String stoppedEarly,
        Dialects.Sums dialectSums,
        List<RequestRecord> shapeExamples,
        ToolCallSummary toolCalls,
        List<TurnFigures.Turn> byTurn) {

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

    /** TargetSummary's fields by name, instead of one long positional call. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this summary's fields, to change a few of them. */
    public Builder toBuilder() {
        return builder().target(target).requests(requests).ok(ok).warmups(warmups).good(good).outcomes(outcomes)
                .outputTokens(outputTokens).inputTokens(inputTokens).reasoningTokens(reasoningTokens).costUsd(costUsd)
                .tokensEstimated(tokensEstimated).newConnections(newConnections).reusedConnections(reusedConnections)
                .metrics(metrics).histograms(histograms).failures(failures).lateStarts(lateStarts)
                .retriedAttempts(retriedAttempts).samples(samples).tokenSources(tokenSources)
                .stoppedEarly(stoppedEarly).dialectSums(dialectSums).shapeExamples(shapeExamples)
                .toolCalls(toolCalls).byTurn(byTurn);
    }

    /**
     * Builds a {@link TargetSummary} field by field. Unset fields: samples RequestSamples.NONE, tokenSources
     * TokenSources.UNKNOWN; the rest null, 0 or false.
     */
    public static final class Builder {
        private String target;
        private int requests;
        private int ok;
        private int warmups;
        private int good;
        private Map<String, Integer> outcomes;
        private long outputTokens;
        private long inputTokens;
        private long reasoningTokens;
        private double costUsd;
        private boolean tokensEstimated;
        private int newConnections;
        private int reusedConnections;
        private Map<Metric, MetricSummary> metrics;
        private Map<Metric, Histogram> histograms;
        private List<RequestRecord> failures;
        private int lateStarts;
        private int retriedAttempts;
        private RequestSamples samples = RequestSamples.NONE;
        private TokenSources tokenSources = TokenSources.UNKNOWN;
        private String stoppedEarly;
        private Dialects.Sums dialectSums = Dialects.Sums.NONE;
        private List<RequestRecord> shapeExamples = List.of();
        private ToolCallSummary toolCalls = ToolCallSummary.NONE;
        private List<TurnFigures.Turn> byTurn = List.of();

        private Builder() {
        }

        public Builder target(String target) {
            this.target = target;
            return this;
        }

        public Builder requests(int requests) {
            this.requests = requests;
            return this;
        }

        public Builder ok(int ok) {
            this.ok = ok;
            return this;
        }

        public Builder warmups(int warmups) {
            this.warmups = warmups;
            return this;
        }

        public Builder good(int good) {
            this.good = good;
            return this;
        }

        public Builder outcomes(Map<String, Integer> outcomes) {
            this.outcomes = outcomes;
            return this;
        }

        public Builder outputTokens(long outputTokens) {
            this.outputTokens = outputTokens;
            return this;
        }

        public Builder inputTokens(long inputTokens) {
            this.inputTokens = inputTokens;
            return this;
        }

        public Builder reasoningTokens(long reasoningTokens) {
            this.reasoningTokens = reasoningTokens;
            return this;
        }

        public Builder costUsd(double costUsd) {
            this.costUsd = costUsd;
            return this;
        }

        public Builder tokensEstimated(boolean tokensEstimated) {
            this.tokensEstimated = tokensEstimated;
            return this;
        }

        public Builder newConnections(int newConnections) {
            this.newConnections = newConnections;
            return this;
        }

        public Builder reusedConnections(int reusedConnections) {
            this.reusedConnections = reusedConnections;
            return this;
        }

        public Builder metrics(Map<Metric, MetricSummary> metrics) {
            this.metrics = metrics;
            return this;
        }

        public Builder histograms(Map<Metric, Histogram> histograms) {
            this.histograms = histograms;
            return this;
        }

        public Builder failures(List<RequestRecord> failures) {
            this.failures = failures;
            return this;
        }

        public Builder lateStarts(int lateStarts) {
            this.lateStarts = lateStarts;
            return this;
        }

        public Builder retriedAttempts(int retriedAttempts) {
            this.retriedAttempts = retriedAttempts;
            return this;
        }

        public Builder samples(RequestSamples samples) {
            this.samples = samples;
            return this;
        }

        /** Per kind of count, where the target's counts came from ({@link TokenSources.Tally}). */
        public Builder tokenSources(TokenSources tokenSources) {
            this.tokenSources = tokenSources;
            return this;
        }

        /** Why the target stopped sending before its load was done (fail-fast); null when it did not. */
        public Builder stoppedEarly(String stoppedEarly) {
            this.stoppedEarly = stoppedEarly;
            return this;
        }

        public Builder dialectSums(Dialects.Sums dialectSums) {
            this.dialectSums = dialectSums;
            return this;
        }

        public Builder shapeExamples(List<RequestRecord> shapeExamples) {
            this.shapeExamples = shapeExamples;
            return this;
        }

        /** A conversation run's figures by turn; empty otherwise. */
        public Builder byTurn(List<TurnFigures.Turn> byTurn) {
            this.byTurn = byTurn;
            return this;
        }

        /** The one place the canonical constructor is called. */
        public Builder toolCalls(ToolCallSummary toolCalls) {
            this.toolCalls = toolCalls;
            return this;
        }

        public TargetSummary build() {
            return new TargetSummary(target, requests, ok, warmups, good, outcomes, outputTokens, inputTokens,
                    reasoningTokens, costUsd, tokensEstimated, newConnections, reusedConnections, metrics,
                    histograms, failures, lateStarts, retriedAttempts, samples, tokenSources, stoppedEarly,
                    dialectSums, shapeExamples, toolCalls, byTurn);
        }
    }
}
