package dev.tokenbench.measure;

import dev.tokenbench.wire.ByteSink;

import java.util.Map;

/**
 * One finished request: its raw timestamps and every derived figure (DESIGN.md §2). Immutable; what
 * requests.jsonl holds a line of. Absent figures are {@code NaN} (a failed request has no stream TPS), written
 * as JSON null.
 *
 * @param estimatedOutputTokens tokenizer count of the received text, kept beside the usage count when both exist;
 *                              -1 (JSON null) when usage came and the target counts only without usage
 * @param retryAfterMs          how long the provider asked to wait before retrying ({@code retry-after-ms} or
 *                              {@code retry-after}, seconds or an HTTP date), NaN when it did not say
 * @param clientLagMs           the worst lag of the client's event loop while the request was in flight, NaN when
 *                              not probed (a record from before the probe)
 * @param leftOutForLag         its client lag exceeded {@code --drop-lagged}: left out of the summaries
 * @param tokenSources          where each token count came from: the provider's usage or the tokenizer
 * @param tokensPerEvent        streamed tokens (visible, and reasoning when its text was streamed) per content
 *                              event; NaN without events or tokens
 * @param eventGaps             its gaps between content events in order, for the few requests per target kept for
 *                              the stream-shape chart; null for the others
 * @param pauseShare            share of the streaming time (first output to last content event) spent in long gaps
 *                              ({@link StreamShape#pauseThresholdMicros}); NaN when the gaps were not kept or
 *                              fewer than two content events came
 * @param toolCalls             the tool calls it streamed ({@link ToolCalls#NONE} when none)
 * @param conversation          its conversation and turn; null for a single-turn prompt
 */
public record RequestRecord(
        String requestId,
        String target,
        boolean warmup,
        String promptId,
        Outcome outcome,
        int attempts,
        int httpStatus,
        long intendedStartNanos,
        long sentNanos,
        long headersNanos,
        long firstOutputNanos,
        long firstTokenNanos,
        long endNanos,
        double ttfbMs,
        double ttftMs,
        double timeToFirstOutputMs,
        double e2eLatencyMs,
        double streamTokensPerSecond,
        double visibleTokensPerSecond,
        double e2eTokensPerSecond,
        double tpotMs,
        double maxStallMs,
        int contentEvents,
        long outputTokens,
        long inputTokens,
        long reasoningTokens,
        long cachedInputTokens,
        boolean tokensEstimated,
        long estimatedOutputTokens,
        double costUsd,
        String error,
        Boolean connectionReused,
        double connectMs,
        String httpVersion,
        Map<String, String> headers,
        int step,
        boolean retried,
        long firstAttemptSentNanos,
        double retryAfterMs,
        double clientLagMs,
        boolean leftOutForLag,
        TokenSources tokenSources,
        double tokensPerEvent,
        double pauseShare,
        EventGaps eventGaps,
        ToolCalls toolCalls,
        ConversationPlace conversation) {

    /** A record's fields by name: what requests.jsonl is read back with and measurements become. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a record field by field, by name, instead of one long positional call. Unset figures are absent (NaN),
     * counts 0, attempts 1, the estimate -1 (none), the headers empty.
     */
    public static final class Builder {
        private String requestId = null;
        private String target = null;
        private boolean warmup = false;
        private String promptId = null;
        private Outcome outcome = null;
        private int attempts = 1;
        private int httpStatus = 0;
        private long intendedStartNanos = 0;
        private long sentNanos = 0;
        private long headersNanos = 0;
        private long firstOutputNanos = 0;
        private long firstTokenNanos = 0;
        private long endNanos = 0;
        private double ttfbMs = Double.NaN;
        private double ttftMs = Double.NaN;
        private double timeToFirstOutputMs = Double.NaN;
        private double e2eLatencyMs = Double.NaN;
        private double streamTokensPerSecond = Double.NaN;
        private double visibleTokensPerSecond = Double.NaN;
        private double e2eTokensPerSecond = Double.NaN;
        private double tpotMs = Double.NaN;
        private double maxStallMs = Double.NaN;
        private int contentEvents = 0;
        private long outputTokens = 0;
        private long inputTokens = 0;
        private long reasoningTokens = 0;
        private long cachedInputTokens = 0;
        private boolean tokensEstimated = false;
        private long estimatedOutputTokens = -1;
        private double costUsd = Double.NaN;
        private String error = null;
        private Boolean connectionReused = null;
        private double connectMs = Double.NaN;
        private String httpVersion = null;
        private Map<String, String> headers = Map.of();
        private int step = 0;
        private boolean retried = false;
        private long firstAttemptSentNanos = 0;
        private double retryAfterMs = Double.NaN;
        private double clientLagMs = Double.NaN;
        private boolean leftOutForLag = false;
        private TokenSources tokenSources = TokenSources.UNKNOWN;
        private double tokensPerEvent = Double.NaN;
        private double pauseShare = Double.NaN;
        private EventGaps eventGaps = null;
        private ToolCalls toolCalls = ToolCalls.NONE;
        private ConversationPlace conversation = null;

        private Builder() {
        }

        public Builder requestId(String requestId) {
            this.requestId = requestId;
            return this;
        }

        public Builder target(String target) {
            this.target = target;
            return this;
        }

        public Builder warmup(boolean warmup) {
            this.warmup = warmup;
            return this;
        }

        public Builder promptId(String promptId) {
            this.promptId = promptId;
            return this;
        }

        public Builder outcome(Outcome outcome) {
            this.outcome = outcome;
            return this;
        }

        public Builder attempts(int attempts) {
            this.attempts = attempts;
            return this;
        }

        public Builder httpStatus(int httpStatus) {
            this.httpStatus = httpStatus;
            return this;
        }

        public Builder intendedStartNanos(long intendedStartNanos) {
            this.intendedStartNanos = intendedStartNanos;
            return this;
        }

        public Builder sentNanos(long sentNanos) {
            this.sentNanos = sentNanos;
            return this;
        }

        public Builder headersNanos(long headersNanos) {
            this.headersNanos = headersNanos;
            return this;
        }

        public Builder firstOutputNanos(long firstOutputNanos) {
            this.firstOutputNanos = firstOutputNanos;
            return this;
        }

        public Builder firstTokenNanos(long firstTokenNanos) {
            this.firstTokenNanos = firstTokenNanos;
            return this;
        }

        public Builder endNanos(long endNanos) {
            this.endNanos = endNanos;
            return this;
        }

        public Builder ttfbMs(double ttfbMs) {
            this.ttfbMs = ttfbMs;
            return this;
        }

        public Builder ttftMs(double ttftMs) {
            this.ttftMs = ttftMs;
            return this;
        }

        public Builder timeToFirstOutputMs(double timeToFirstOutputMs) {
            this.timeToFirstOutputMs = timeToFirstOutputMs;
            return this;
        }

        public Builder e2eLatencyMs(double e2eLatencyMs) {
            this.e2eLatencyMs = e2eLatencyMs;
            return this;
        }

        public Builder streamTokensPerSecond(double streamTokensPerSecond) {
            this.streamTokensPerSecond = streamTokensPerSecond;
            return this;
        }

        public Builder visibleTokensPerSecond(double visibleTokensPerSecond) {
            this.visibleTokensPerSecond = visibleTokensPerSecond;
            return this;
        }

        public Builder e2eTokensPerSecond(double e2eTokensPerSecond) {
            this.e2eTokensPerSecond = e2eTokensPerSecond;
            return this;
        }

        public Builder tpotMs(double tpotMs) {
            this.tpotMs = tpotMs;
            return this;
        }

        public Builder maxStallMs(double maxStallMs) {
            this.maxStallMs = maxStallMs;
            return this;
        }

        public Builder contentEvents(int contentEvents) {
            this.contentEvents = contentEvents;
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

        public Builder cachedInputTokens(long cachedInputTokens) {
            this.cachedInputTokens = cachedInputTokens;
            return this;
        }

        public Builder tokensEstimated(boolean tokensEstimated) {
            this.tokensEstimated = tokensEstimated;
            return this;
        }

        public Builder estimatedOutputTokens(long estimatedOutputTokens) {
            this.estimatedOutputTokens = estimatedOutputTokens;
            return this;
        }

        public Builder costUsd(double costUsd) {
            this.costUsd = costUsd;
            return this;
        }

        public Builder error(String error) {
            this.error = error;
            return this;
        }

        public Builder connectionReused(Boolean connectionReused) {
            this.connectionReused = connectionReused;
            return this;
        }

        public Builder connectMs(double connectMs) {
            this.connectMs = connectMs;
            return this;
        }

        public Builder httpVersion(String httpVersion) {
            this.httpVersion = httpVersion;
            return this;
        }

        public Builder headers(Map<String, String> headers) {
            this.headers = headers;
            return this;
        }

        public Builder step(int step) {
            this.step = step;
            return this;
        }

        public Builder retried(boolean retried) {
            this.retried = retried;
            return this;
        }

        public Builder firstAttemptSentNanos(long firstAttemptSentNanos) {
            this.firstAttemptSentNanos = firstAttemptSentNanos;
            return this;
        }

        public Builder retryAfterMs(double retryAfterMs) {
            this.retryAfterMs = retryAfterMs;
            return this;
        }

        public Builder clientLagMs(double clientLagMs) {
            this.clientLagMs = clientLagMs;
            return this;
        }

        public Builder leftOutForLag(boolean leftOutForLag) {
            this.leftOutForLag = leftOutForLag;
            return this;
        }

        public Builder tokenSources(TokenSources tokenSources) {
            this.tokenSources = tokenSources;
            return this;
        }

        public Builder tokensPerEvent(double tokensPerEvent) {
            this.tokensPerEvent = tokensPerEvent;
            return this;
        }

        public Builder eventGaps(EventGaps eventGaps) {
            this.eventGaps = eventGaps;
            return this;
        }

        public Builder pauseShare(double pauseShare) {
            this.pauseShare = pauseShare;
            return this;
        }

        public Builder toolCalls(ToolCalls toolCalls) {
            this.toolCalls = toolCalls;
            return this;
        }

        public Builder conversation(ConversationPlace conversation) {
            this.conversation = conversation;
            return this;
        }

        /** The one place the record's canonical constructor is called with every field. */
        public RequestRecord build() {
            return new RequestRecord(
                    requestId, target, warmup, promptId, outcome, attempts, httpStatus, intendedStartNanos,
                    sentNanos, headersNanos, firstOutputNanos, firstTokenNanos, endNanos, ttfbMs, ttftMs,
                    timeToFirstOutputMs, e2eLatencyMs, streamTokensPerSecond, visibleTokensPerSecond,
                    e2eTokensPerSecond, tpotMs, maxStallMs, contentEvents, outputTokens, inputTokens,
                    reasoningTokens, cachedInputTokens, tokensEstimated, estimatedOutputTokens, costUsd, error,
                    connectionReused, connectMs, httpVersion, headers, step, retried, firstAttemptSentNanos,
                    retryAfterMs, clientLagMs, leftOutForLag, tokenSources, tokensPerEvent,
                    pauseShare, eventGaps, toolCalls, conversation);
        }
    }

    public boolean ok() {
        return outcome == Outcome.OK;
    }


    /**
     * TTFT from when the schedule wanted the request to start: the client's own lateness (a busy client, a full
     * connection pool, an in-flight cap) counts against it, as coordinated-omission-aware tools measure.
     */
    public double ttftFromIntendedMs() {
        return fromIntended(ttftMs);
    }

    public double e2eLatencyFromIntendedMs() {
        return fromIntended(e2eLatencyMs);
    }

    /**
     * TTFT as the user waited for it through every attempt: from the first attempt's send to this attempt's first
     * token. Equals {@link #ttftMs()} when there was one attempt.
     */
    public double ttftIncludingRetriesMs() {
        if (firstAttemptSentNanos == 0 || firstAttemptSentNanos == sentNanos) {
            return ttftMs;
        }
        return spanMs(firstAttemptSentNanos, firstTokenNanos);
    }

    /** How late the request went out: t_send − t_intended. */
    public double startDelayMs() {
        return intendedStartNanos == 0 || sentNanos == 0 ? Double.NaN : (sentNanos - intendedStartNanos) / 1e6;
    }

    private double fromIntended(double fromSendMs) {
        double delay = startDelayMs();
        return Double.isNaN(delay) ? Double.NaN : fromSendMs + delay;
    }

    /**
     * Derives every figure from a finished measurement. Runs on the record writer's thread, never on an event
     * loop: tokenizing the received text is the expensive part.
     *
     * @param promptInputTokens tokenizer count of the prompt, used when the provider reported no input usage
     */
    public static RequestRecord of(RequestMeasurement m, String target, String tokenizer, long promptInputTokens,
            TokenPrices pricing) {
        return of(m, target, tokenizer, promptInputTokens, pricing, true);
    }

    /**
     * As above; {@code estimateAlongsideUsage} false counts the received text only when the provider reported no
     * output usage (then estimated_output_tokens is -1), and the reasoning text only when it reported no reasoning
     * count: the figures that feed the metrics are the same either way.
     */
    public static RequestRecord of(RequestMeasurement m, String target, String tokenizer, long promptInputTokens,
            TokenPrices pricing, boolean estimateAlongsideUsage) {
        boolean estimated = m.usageOutputTokens < 0;
        boolean reasoningFromProvider = m.usageReasoningTokens >= 0;
        ByteSink reasoningText = m.reasoningTextOrNull();
        // The provider counted output but not reasoning, and reasoning was streamed (Anthropic with thinking): the
        // visible count must then come from the visible text itself, never from the provider's output less an
        // estimated reasoning count, which mixes two tokenizers.
        boolean visibleFromText = !estimated && !reasoningFromProvider && reasoningText != null;
        boolean countVisible = estimated || estimateAlongsideUsage || visibleFromText;
        boolean countReasoning = countVisible || !reasoningFromProvider;
        // Tool-call arguments are visible output (an agent's answer); no provider counts them apart, so always counted.
        ByteSink toolCallArguments = m.toolCallArgumentsOrNull();
        long toolCallTokens = toolCallArguments == null ? 0
                : TokenCounter.count(tokenizer, toolCallArguments.toUtf8String());
        long estimatedVisible = countVisible
                ? TokenCounter.count(tokenizer, m.visibleText.toUtf8String()) + toolCallTokens : 0;
        long estimatedReasoning = !countReasoning || reasoningText == null ? 0
                : TokenCounter.count(tokenizer, reasoningText.toUtf8String());
        long estimatedOutput = estimated || estimateAlongsideUsage ? estimatedVisible + estimatedReasoning : -1;

        long outputTokens = estimated ? estimatedOutput : m.usageOutputTokens;
        long reasoningTokens = reasoningFromProvider ? m.usageReasoningTokens : estimatedReasoning;
        long visibleTokens = estimated || visibleFromText ? estimatedVisible
                : outputTokens - (reasoningFromProvider ? reasoningTokens : 0);
        long inputTokens = m.usageInputTokens >= 0 ? m.usageInputTokens : promptInputTokens;
        long cachedInputTokens = Math.max(0, m.usageCachedInputTokens);
        TokenSources sources = new TokenSources(TokenSources.of(!estimated), TokenSources.of(m.usageInputTokens >= 0),
                TokenSources.of(reasoningFromProvider), TokenSources.of(!estimated && !visibleFromText));

        double ttfbMs = spanMs(m.sentNanos, m.headersNanos);
        double ttftMs = spanMs(m.sentNanos, m.firstTokenNanos);
        double firstOutputMs = spanMs(m.sentNanos, m.firstOutputNanos);
        double e2eMs = spanMs(m.sentNanos, m.endNanos);
        boolean ok = m.outcome == Outcome.OK;

        double streamTps = Double.NaN;
        double visibleTps = Double.NaN;
        double e2eTps = Double.NaN;
        double tpotMs = Double.NaN;
        if (ok && outputTokens > 0) {
            streamTps = rate(outputTokens, m.firstOutputNanos, m.endNanos);
            visibleTps = rate(visibleTokens, m.firstTokenNanos, m.endNanos);
            e2eTps = rate(outputTokens, m.sentNanos, m.endNanos);
            if (outputTokens > 1 && m.firstTokenNanos != 0) {
                tpotMs = (m.endNanos - m.firstTokenNanos) / 1e6 / (outputTokens - 1);
            }
        }
        double maxStallMs = m.contentEvents > 1 ? m.maxGapNanos / 1e6 : Double.NaN;
        // Hidden reasoning (counted in usage, never streamed) rode in no event.
        long streamedTokens = visibleTokens + (reasoningText != null ? reasoningTokens : 0);
        double tokensPerEvent = m.contentEvents > 0 && streamedTokens > 0
                ? (double) streamedTokens / m.contentEvents : Double.NaN;
        long streamingNanos = m.lastContentNanos - m.firstOutputNanos;
        double pauseShare = m.contentEvents > 1 && m.pauseMicros >= 0 && streamingNanos > 0
                ? Math.min(1, m.pauseMicros * 1e3 / streamingNanos) : Double.NaN;
        double cost = pricing == null ? 0 : pricing.costUsd(inputTokens, outputTokens);

        // Figures are kept to the thousandth requests.jsonl writes, so that the live aggregate and one rebuilt
        // from requests.jsonl (report DIR) see the same values.
        return builder().requestId(m.requestId).target(target).warmup(m.warmup).promptId(m.promptId)
                .outcome(m.outcome).attempts(m.attempts).httpStatus(m.httpStatus)
                .intendedStartNanos(m.intendedStartNanos).sentNanos(m.sentNanos).headersNanos(m.headersNanos)
                .firstOutputNanos(m.firstOutputNanos).firstTokenNanos(m.firstTokenNanos).endNanos(m.endNanos)
                .ttfbMs(thousandths(ttfbMs)).ttftMs(thousandths(ttftMs))
                .timeToFirstOutputMs(thousandths(firstOutputMs)).e2eLatencyMs(thousandths(e2eMs))
                .streamTokensPerSecond(thousandths(streamTps)).visibleTokensPerSecond(thousandths(visibleTps))
                .e2eTokensPerSecond(thousandths(e2eTps)).tpotMs(thousandths(tpotMs))
                .maxStallMs(thousandths(maxStallMs)).contentEvents(m.contentEvents).outputTokens(outputTokens)
                .inputTokens(inputTokens).reasoningTokens(reasoningTokens).cachedInputTokens(cachedInputTokens)
                .tokensEstimated(estimated).estimatedOutputTokens(estimatedOutput).costUsd(cost).error(m.error)
                .connectionReused(m.connectionReused)
                .connectMs(m.connectNanos < 0 ? Double.NaN : thousandths(m.connectNanos / 1e6))
                .httpVersion(m.httpVersion).headers(m.keptHeaders).step(m.step).retried(m.retried)
                .firstAttemptSentNanos(m.firstAttemptSentNanos == 0 ? m.sentNanos : m.firstAttemptSentNanos)
                .retryAfterMs(m.retryAfterMs < 0 ? Double.NaN : m.retryAfterMs)
                .clientLagMs(m.clientLagMicros < 0 ? Double.NaN : thousandths(m.clientLagMicros / 1e3))
                .leftOutForLag(m.leftOutForLag).tokenSources(sources).tokensPerEvent(thousandths(tokensPerEvent))
                .pauseShare(thousandths(pauseShare)).eventGaps(m.keptGaps)
                .toolCalls(m.firstToolCallNanos == 0 && m.toolCalls == 0 ? ToolCalls.NONE
                        : new ToolCalls(m.toolCalls, m.firstToolCallNanos,
                                thousandths(spanMs(m.sentNanos, m.firstToolCallNanos)), toolCallTokens))
                .conversation(m.conversation).build();
    }

    /** Rounded as requests.jsonl writes figures; NaN and infinities stay as they are (written as null). */
    public static double thousandths(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        return Math.round(value * 1000.0) / 1000.0;
    }

    private static double spanMs(long fromNanos, long toNanos) {
        return fromNanos == 0 || toNanos == 0 ? Double.NaN : (toNanos - fromNanos) / 1e6;
    }

    /** Tokens over a window; NaN for an empty or zero-length window (one chunk holding the whole answer). */
    private static double rate(long tokens, long fromNanos, long toNanos) {
        if (fromNanos == 0 || toNanos <= fromNanos || tokens <= 0) {
            return Double.NaN;
        }
        return tokens / ((toNanos - fromNanos) / 1e9);
    }
}
