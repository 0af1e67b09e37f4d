package dev.tokenbench.sim;

import java.util.Arrays;

/**
 * What the simulator did for one request: the truth that tokenbench's measurements are checked against. Every
 * {@code …Nanos} value is a {@link System#nanoTime()} reading taken immediately before the corresponding write, on
 * the same monotonic clock as the client (also across processes on Linux, where it is CLOCK_MONOTONIC).
 *
 * <p>Tokens are counted as tokenbench counts them: {@code outputTokens} includes reasoning tokens, streamed or
 * hidden (as OpenAI's {@code completion_tokens} and Anthropic's {@code output_tokens} do), and the visible answer is
 * {@code outputTokens - reasoningTokens}.
 *
 * @param requestId                the request's {@code x-request-id} (echoed, or generated when absent)
 * @param scenario                 the scenario name from the request path
 * @param slow                     whether the request was served by the scenario's slow path
 * @param receivedNanos            when the request's headers arrived
 * @param headersWrittenNanos      before the status line and headers were written; {@link #NOT_WRITTEN} if never
 * @param firstOutputWrittenNanos  before the first output event, reasoning or visible (with the response's head
 *                                 in front of it), was written; {@link #NOT_WRITTEN} if never
 * @param firstTokenWrittenNanos   before the first visible content event was written; {@link #NOT_WRITTEN} if
 *                                 never. Equals {@code firstOutputWrittenNanos} when no reasoning was streamed
 * @param endWrittenNanos          before the closing events (usage, end of stream) were written;
 *                                 {@link #NOT_WRITTEN} if the client went away first
 * @param contentEventWrittenNanos one stamp per output event actually written (reasoning ones first), in order;
 *                                 empty for an all-out scenario, which writes many events at once
 *                                 ({@link SimScenario#allOut()}; contentEvents still counts them)
 * @param outputTokens             output tokens: visible ones written plus reasoning ones (streamed ones written;
 *                                 a hidden phase once it has passed)
 * @param reasoningTokens          the reasoning part of {@code outputTokens}
 * @param contentEvents            output events actually written, reasoning ones included
 * @param reasoningEvents          the reasoning part of {@code contentEvents}
 */
public record SimRequestLog(
        String requestId,
        String scenario,
        boolean slow,
        long receivedNanos,
        long headersWrittenNanos,
        long firstOutputWrittenNanos,
        long firstTokenWrittenNanos,
        long endWrittenNanos,
        long[] contentEventWrittenNanos,
        int outputTokens,
        int reasoningTokens,
        int contentEvents,
        int reasoningEvents) {

    /**
     * Marks a write that never happened. nanoTime is CLOCK_MONOTONIC on Linux (time since boot), so no real
     * reading can collide with it.
     */
    public static final long NOT_WRITTEN = Long.MIN_VALUE;

    /** True when the stream ran to its end (end-of-stream event written); false when the client went away first. */
    public boolean completed() {
        return endWrittenNanos != NOT_WRITTEN;
    }

    /** Time to first visible token as the server caused it: first visible event written minus received; -1 if none. */
    public long ttftNanos() {
        return firstTokenWrittenNanos == NOT_WRITTEN ? -1 : firstTokenWrittenNanos - receivedNanos;
    }

    /** Time to first output (reasoning or visible) as the server caused it; -1 if none. */
    public long timeToFirstOutputNanos() {
        return firstOutputWrittenNanos == NOT_WRITTEN ? -1 : firstOutputWrittenNanos - receivedNanos;
    }

    /**
     * Stream rate as tokenbench defines {@code stream_tps}: all output tokens over the window from the first output
     * event to the end event. NaN when the stream did not complete or the window is empty.
     */
    public double streamTokensPerSecond() {
        return tokensPerSecond(outputTokens, firstOutputWrittenNanos);
    }

    /**
     * The reasoning-aware rate as tokenbench defines {@code visible_tps}: visible tokens over the window from the
     * first visible event to the end event. NaN when the stream did not complete or the window is empty.
     */
    public double visibleTokensPerSecond() {
        return tokensPerSecond(outputTokens - reasoningTokens, firstTokenWrittenNanos);
    }

    private double tokensPerSecond(int tokens, long fromNanos) {
        if (!completed() || fromNanos == NOT_WRITTEN) {
            return Double.NaN;
        }
        long windowNanos = endWrittenNanos - fromNanos;
        return windowNanos <= 0 ? Double.NaN : tokens / (windowNanos / 1e9);
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
                && firstOutputWrittenNanos == that.firstOutputWrittenNanos
                && firstTokenWrittenNanos == that.firstTokenWrittenNanos
                && endWrittenNanos == that.endWrittenNanos
                && outputTokens == that.outputTokens
                && reasoningTokens == that.reasoningTokens
                && contentEvents == that.contentEvents
                && reasoningEvents == that.reasoningEvents
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
                + ", ttftNanos=" + ttftNanos() + ", timeToFirstOutputNanos=" + timeToFirstOutputNanos()
                + ", e2eNanos=" + e2eNanos() + ", outputTokens=" + outputTokens + ", reasoningTokens="
                + reasoningTokens + ", contentEvents=" + contentEvents + ", reasoningEvents=" + reasoningEvents
                + ", completed=" + completed() + "]";
    }

    /** SimRequestLog's fields by name, instead of one long positional call. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link SimRequestLog} field by field. Unset fields are null, 0 or false. */
    public static final class Builder {
        private String requestId;
        private String scenario;
        private boolean slow;
        private long receivedNanos;
        private long headersWrittenNanos;
        private long firstOutputWrittenNanos;
        private long firstTokenWrittenNanos;
        private long endWrittenNanos;
        private long[] contentEventWrittenNanos;
        private int outputTokens;
        private int reasoningTokens;
        private int contentEvents;
        private int reasoningEvents;

        private Builder() {
        }

        public Builder requestId(String requestId) {
            this.requestId = requestId;
            return this;
        }

        public Builder scenario(String scenario) {
            this.scenario = scenario;
            return this;
        }

        public Builder slow(boolean slow) {
            this.slow = slow;
            return this;
        }

        public Builder receivedNanos(long receivedNanos) {
            this.receivedNanos = receivedNanos;
            return this;
        }

        public Builder headersWrittenNanos(long headersWrittenNanos) {
            this.headersWrittenNanos = headersWrittenNanos;
            return this;
        }

        public Builder firstOutputWrittenNanos(long firstOutputWrittenNanos) {
            this.firstOutputWrittenNanos = firstOutputWrittenNanos;
            return this;
        }

        public Builder firstTokenWrittenNanos(long firstTokenWrittenNanos) {
            this.firstTokenWrittenNanos = firstTokenWrittenNanos;
            return this;
        }

        public Builder endWrittenNanos(long endWrittenNanos) {
            this.endWrittenNanos = endWrittenNanos;
            return this;
        }

        public Builder contentEventWrittenNanos(long[] contentEventWrittenNanos) {
            this.contentEventWrittenNanos = contentEventWrittenNanos;
            return this;
        }

        public Builder outputTokens(int outputTokens) {
            this.outputTokens = outputTokens;
            return this;
        }

        public Builder reasoningTokens(int reasoningTokens) {
            this.reasoningTokens = reasoningTokens;
            return this;
        }

        public Builder contentEvents(int contentEvents) {
            this.contentEvents = contentEvents;
            return this;
        }

        public Builder reasoningEvents(int reasoningEvents) {
            this.reasoningEvents = reasoningEvents;
            return this;
        }

        /** The one place the canonical constructor is called. */
        public SimRequestLog build() {
            return new SimRequestLog(requestId, scenario, slow, receivedNanos, headersWrittenNanos,
                    firstOutputWrittenNanos, firstTokenWrittenNanos, endWrittenNanos, contentEventWrittenNanos,
                    outputTokens, reasoningTokens, contentEvents, reasoningEvents);
        }
    }
}
