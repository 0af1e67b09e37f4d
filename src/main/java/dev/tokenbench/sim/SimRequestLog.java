package dev.tokenbench.sim;

import java.util.Arrays;

/**
 * What the simulator did for one request: the truth that tokenbench's measurements are checked against. Every
 * {@code …Nanos} value is a {@link System#nanoTime()} reading taken immediately before the corresponding write, on
 * the same monotonic clock as the client (also across processes on Linux, where it is CLOCK_MONOTONIC).
 *
 * @param requestId                the request's {@code x-request-id} (echoed, or generated when absent)
 * @param scenario                 the scenario name from the request path
 * @param slow                     whether the request was served by the scenario's slow path
 * @param receivedNanos            when the request's headers arrived
 * @param headersWrittenNanos      before the status line and headers were written; {@link #NOT_WRITTEN} if never
 * @param firstTokenWrittenNanos   before the first content event (with the role chunk in front of it) was written;
 *                                 {@link #NOT_WRITTEN} if never
 * @param endWrittenNanos          before the finish chunk, usage chunk and {@code [DONE]} were written;
 *                                 {@link #NOT_WRITTEN} if the client went away first
 * @param contentEventWrittenNanos one stamp per content event actually written, in order
 * @param outputTokens             content tokens actually written (the usage chunk's {@code completion_tokens})
 * @param contentEvents            content events actually written
 */
public record SimRequestLog(
        String requestId,
        String scenario,
        boolean slow,
        long receivedNanos,
        long headersWrittenNanos,
        long firstTokenWrittenNanos,
        long endWrittenNanos,
        long[] contentEventWrittenNanos,
        int outputTokens,
        int contentEvents) {

    /**
     * Marks a write that never happened. nanoTime is CLOCK_MONOTONIC on Linux (time since boot), so no real
     * reading can collide with it.
     */
    public static final long NOT_WRITTEN = Long.MIN_VALUE;

    /** True when the stream ran to its end ({@code [DONE]} written); false when the client went away first. */
    public boolean completed() {
        return endWrittenNanos != NOT_WRITTEN;
    }

    /** Time to first token as the server caused it: first content event written minus request received; -1 if none. */
    public long ttftNanos() {
        return firstTokenWrittenNanos == NOT_WRITTEN ? -1 : firstTokenWrittenNanos - receivedNanos;
    }

    /**
     * Stream rate as tokenbench defines {@code stream_tps}: output tokens over the window from the first content
     * event to the end event. NaN when the stream did not complete or the window is empty.
     */
    public double streamTokensPerSecond() {
        if (!completed() || firstTokenWrittenNanos == NOT_WRITTEN) {
            return Double.NaN;
        }
        long windowNanos = endWrittenNanos - firstTokenWrittenNanos;
        return windowNanos <= 0 ? Double.NaN : outputTokens / (windowNanos / 1e9);
    }

    /** End-to-end time as the server caused it: end written minus received; -1 if the stream did not complete. */
    public long e2eNanos() {
        return completed() ? endWrittenNanos - receivedNanos : -1;
    }

    // A record compares arrays by reference; the stamps are part of the value (JSONL round trips compare equal).
    @Override
    public boolean equals(Object other) {
        return other instanceof SimRequestLog that
                && slow == that.slow
                && receivedNanos == that.receivedNanos
                && headersWrittenNanos == that.headersWrittenNanos
                && firstTokenWrittenNanos == that.firstTokenWrittenNanos
                && endWrittenNanos == that.endWrittenNanos
                && outputTokens == that.outputTokens
                && contentEvents == that.contentEvents
                && requestId.equals(that.requestId)
                && scenario.equals(that.scenario)
                && Arrays.equals(contentEventWrittenNanos, that.contentEventWrittenNanos);
    }

    @Override
    public int hashCode() {
        return 31 * requestId.hashCode() + Long.hashCode(receivedNanos);
    }

    @Override
    public String toString() {
        return "SimRequestLog[requestId=" + requestId + ", scenario=" + scenario + ", slow=" + slow
                + ", ttftNanos=" + ttftNanos() + ", e2eNanos=" + e2eNanos() + ", outputTokens=" + outputTokens
                + ", contentEvents=" + contentEvents + ", completed=" + completed() + "]";
    }
}
