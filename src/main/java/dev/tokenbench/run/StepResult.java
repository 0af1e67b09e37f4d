package dev.tokenbench.run;

import dev.tokenbench.measure.TargetSummary;

/**
 * One measured phase of one target in a sweep or search: its level and what it added up to.
 *
 * @param level       concurrency (closed-loop phase) or request starts per second (open-loop phase)
 * @param wallSeconds from the phase's first start to its last request's end
 * @param passed      search: whether the phase's SLO goodput met the target share; null in a sweep
 */
public record StepResult(int index, double level, double wallSeconds, TargetSummary summary, Boolean passed) {

    /** Output tokens per second over the phase: the throughput side of the throughput/latency curve. */
    public double outputTokensPerSecond() {
        return wallSeconds <= 0 ? Double.NaN : summary.outputTokens() / wallSeconds;
    }

    /** Measured requests finished per second over the phase. */
    public double requestsPerSecond() {
        return wallSeconds <= 0 ? Double.NaN : summary.requests() / wallSeconds;
    }
}
