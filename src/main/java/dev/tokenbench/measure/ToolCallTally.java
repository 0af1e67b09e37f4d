package dev.tokenbench.measure;

import java.util.Arrays;

/**
 * One target's tool calls, added up from its measured ok requests: how many answered with a tool call, their
 * tool-call tokens, and the time to the first tool-call byte (exact percentiles over the requests' values, nearest
 * rank). Single writer, as {@link TargetAggregate}.
 */
public final class ToolCallTally {
    private double[] timeToFirstToolCallMs = new double[8];
    private int requests;
    private long tokens;

    /** A measured request; only an ok one with a tool call counts. */
    public void add(RequestRecord r) {
        ToolCalls calls = r.toolCalls();
        if (!r.ok() || !calls.any()) {
            return;
        }
        if (requests == timeToFirstToolCallMs.length) {
            timeToFirstToolCallMs = Arrays.copyOf(timeToFirstToolCallMs, requests * 2);
        }
        timeToFirstToolCallMs[requests++] = calls.timeToFirstToolCallMs();
        tokens += calls.tokens();
    }

    /** Adds what {@code later} holds, as if its requests had been added here after this one's. */
    public void add(ToolCallTally later) {
        if (requests + later.requests > timeToFirstToolCallMs.length) {
            timeToFirstToolCallMs = Arrays.copyOf(timeToFirstToolCallMs,
                    Math.max(requests + later.requests, timeToFirstToolCallMs.length * 2));
        }
        System.arraycopy(later.timeToFirstToolCallMs, 0, timeToFirstToolCallMs, requests, later.requests);
        requests += later.requests;
        tokens += later.tokens;
    }

    public ToolCallSummary summary() {
        if (requests == 0) {
            return ToolCallSummary.NONE;
        }
        double[] sorted = Arrays.stream(timeToFirstToolCallMs, 0, requests).filter(v -> !Double.isNaN(v)).sorted()
                .toArray();
        return new ToolCallSummary(requests, tokens, nearestRank(sorted, 0.50), nearestRank(sorted, 0.99));
    }

    private static double nearestRank(double[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /**
     * @param requests                 measured ok requests that answered with at least one tool call
     * @param tokens                   their tool-call tokens (the arguments, counted with the target's tokenizer)
     * @param timeToFirstToolCallP50Ms time from the send to the first tool-call byte, median
     * @param timeToFirstToolCallP99Ms the same, 99th percentile
     */
    public record ToolCallSummary(int requests, long tokens, double timeToFirstToolCallP50Ms,
            double timeToFirstToolCallP99Ms) {
        public static final ToolCallSummary NONE = new ToolCallSummary(0, 0, Double.NaN, Double.NaN);
    }
}
