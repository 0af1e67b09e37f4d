package dev.tokenbench.measure;

import dev.tokenbench.wire.ByteSink;

import java.util.Arrays;
import java.util.Map;

/**
 * The raw timings of one request while it streams. Single writer: every method is called on the event loop that
 * owns the request, then the finished object is handed to the record writer through a queue (which publishes
 * it safely). Times are raw {@link System#nanoTime()} values; 0 means "did not happen".
 *
 * <p>The per-event methods ({@link #onContentEvent}) do arithmetic on longs and store the gap in an int buffer
 * that the event loop's {@link InterTokenLatencyLane} lends and takes back: no allocation once the loop's buffers
 * have grown to its streams, no locks, no boxing. The gaps go to the loop's recorder once the request is over, and
 * only when it counts (ok, measured): {@link #recordInterTokenLatency()}.
 */
public final class RequestMeasurement {
    private static final int INITIAL_TEXT_BYTES = 512;

    public final String requestId;
    public final int targetIndex;
    public final long sequence;
    public final boolean warmup;
    public final String promptId;
    /** The event loop this request runs on; null: the gaps are not kept (warm-ups, tests). */
    private InterTokenLatencyLane interTokenLatency;
    /** Gaps between content events in microseconds, kept until the outcome says whether they count. */
    private int[] gapMicros;
    private int gaps;

    /** When the schedule wanted the request to start (closed loop: when its worker got to it). */
    public long intendedStartNanos;
    /** When the client was asked for a connection: the request timeout runs from here. */
    public long askedNanos;
    /** When the request went to its connection's socket: every provider timing runs from here. */
    public long sentNanos;
    public long headersNanos;
    public long firstOutputNanos;
    public long firstTokenNanos;
    public long lastContentNanos;
    public long endNanos;
    /** Last byte of any kind (headers or body): what the stall timeout watches. */
    public long lastActivityNanos;

    public int contentEvents;
    public long maxGapNanos;
    /**
     * Time in this attempt's long gaps (see {@link StreamShape#pauseThresholdMicros}), worked out once the attempt is
     * over from the gaps it kept; -1 when it kept none (no event loop lent it a buffer).
     */
    public long pauseMicros = -1;
    /** This attempt's gaps in order, kept for the stream-shape chart when its loop picked it; null for most. */
    public EventGaps keptGaps;
    public int httpStatus;
    /** The provider's retry-after, in milliseconds; -1 when it sent none. */
    public long retryAfterMs = -1;
    public int attempts = 1;
    /** When the first attempt of this request went out; equals {@link #sentNanos} on the first attempt. */
    public long firstAttemptSentNanos;
    /** An attempt that failed and was retried: recorded, but not counted as a request. */
    public boolean retried;
    /** The prompt's index in the prompt set when the load chose it (a conversation's turn); -1: by sequence. */
    public int promptIndex = -1;
    /** Its conversation and turn; null for a single-turn prompt. */
    public ConversationPlace conversation;
    /** Which measured phase (sweep or search step) the request belongs to; 0 for a single phase. */
    public int step;
    /** What the cost budget set aside for this request when it started (USD), settled when it is recorded. */
    public double reservedCostUsd;
    public boolean streamEndSeen;

    /** From the provider's usage report; -1 when it reported none. */
    public long usageInputTokens = -1;
    public long usageOutputTokens = -1;
    public long usageReasoningTokens = -1;
    public long usageCachedInputTokens = -1;

    public final ByteSink visibleText = new ByteSink(INITIAL_TEXT_BYTES);
    private ByteSink reasoningText;

    /** The first event that carried part of a tool call (its start or its arguments); 0 when none came. */
    public long firstToolCallNanos;
    /** Tool calls the stream started (several for parallel calls). */
    public int toolCalls;
    /** The tool calls' argument text (JSON), as the provider streamed it; null until a tool call carries any. */
    private ByteSink toolCallArguments;

    public Outcome outcome;
    /** The provider's or the transport's message, scrubbed and trimmed by whoever sets it; null when ok. */
    public String error;
    private boolean protocolErrorSeen;
    private String protocolErrorMessage;

    public Boolean connectionReused;
    /** New connections only: from asking for the connection to it being ready (DNS + TCP + TLS). */
    public long connectNanos = -1;
    public String httpVersion;
    /** Response headers on the debugging allow-list, captured once at the headers. */
    public Map<String, String> keptHeaders = Map.of();
    /** The worst event-loop lag its loop saw while this attempt was in flight; -1 when not probed. */
    public long clientLagMicros = -1;
    /** Its client lag exceeded {@code --drop-lagged}: kept in requests.jsonl, left out of the summaries. */
    public boolean leftOutForLag;

    /**
     * @param interTokenLatency the event loop the request runs on (the only one that touches it); null when the
     *                          request's gaps count nowhere
     */
    public RequestMeasurement(String requestId, int targetIndex, long sequence, boolean warmup, String promptId,
            InterTokenLatencyLane interTokenLatency) {
        this.requestId = requestId;
        this.targetIndex = targetIndex;
        this.sequence = sequence;
        this.warmup = warmup;
        this.promptId = promptId;
        keepInterTokenLatencyFor(interTokenLatency);
    }

    /**
     * The next attempt of this request, after this one failed: same request (sequence, prompt, intended start,
     * step, budget reservation), a fresh measurement.
     */
    public RequestMeasurement nextAttempt(String attemptRequestId) {
        RequestMeasurement next = new RequestMeasurement(attemptRequestId, targetIndex, sequence, warmup, promptId,
                interTokenLatency);
        next.intendedStartNanos = intendedStartNanos;
        next.attempts = attempts + 1;
        next.firstAttemptSentNanos = firstAttemptSentNanos != 0 ? firstAttemptSentNanos : sentNanos;
        next.step = step;
        next.promptIndex = promptIndex;
        next.conversation = conversation;
        next.reservedCostUsd = reservedCostUsd;
        return next;
    }

    /**
     * Keeps this attempt's gaps for {@code lane}, the event loop it runs on: for a request whose loop is chosen
     * after it was made. Call on that loop, before its first event.
     */
    public void keepInterTokenLatencyFor(InterTokenLatencyLane lane) {
        this.interTokenLatency = lane;
        this.gapMicros = lane == null ? null : lane.take();
        this.gaps = 0;
    }

    /**
     * A streamed event that carries output text. {@code visible} is false for reasoning (thinking) text.
     * The caller has already appended the text to {@link #visibleText} or {@link #reasoningText()}.
     */
    public void onContentEvent(long arrivalNanos, boolean visible) {
        if (streamEndSeen || outcome != null) {
            // Output after the stream's end event (or after its error event) is not part of the measured stream:
            // counting it would put content after the end. Found by fuzzing (DecoderFuzzTest).
            onProtocolError("output arrived after the stream's end event");
            return;
        }
        if (firstOutputNanos == 0) {
            firstOutputNanos = arrivalNanos;
        }
        if (visible && firstTokenNanos == 0) {
            firstTokenNanos = arrivalNanos;
        }
        if (lastContentNanos != 0) {
            long gapNanos = arrivalNanos - lastContentNanos;
            if (gapNanos > maxGapNanos) {
                maxGapNanos = gapNanos;
            }
            if (gapMicros != null && gapNanos >= 0) {
                if (gaps == gapMicros.length) {
                    gapMicros = Arrays.copyOf(gapMicros, gaps * 2);
                }
                gapMicros[gaps++] = (int) Math.min(Integer.MAX_VALUE, gapNanos / 1_000);
            }
        }
        lastContentNanos = arrivalNanos;
        contentEvents++;
    }

    /**
     * Once the attempt is over (outcome known, client lag judged): its gaps go to its event loop's recorder when it
     * counts as every other metric does (ok, measured, not left out for lag), and are dropped otherwise; the buffer
     * goes back to the loop. Call on the request's event loop; later calls do nothing.
     */
    public void recordInterTokenLatency() {
        if (gapMicros == null) {
            return;
        }
        boolean counts = outcome == Outcome.OK && !warmup && !retried && !leftOutForLag;
        if (counts && gaps > 0 && interTokenLatency.keepsTimeline(maxGapNanos)) {
            keptGaps = new EventGaps(Arrays.copyOf(gapMicros, gaps));
        }
        // Last: it reorders the gaps (the recorder does not mind their order).
        pauseMicros = StreamShape.pauseMicros(gapMicros, gaps);
        interTokenLatency.record(gapMicros, gaps, counts);
        gapMicros = null;
        gaps = 0;
    }

    /**
     * A streamed event that carries tool-call output: {@code started} calls that begin in it (their names) and/or
     * argument text the caller has already appended to {@link #toolCallArguments()}. A tool call is the answer an
     * agent waits for, so the event is a visible content event (it can be the first token); the first one is also
     * stamped on its own ({@link #firstToolCallNanos}).
     */
    public void onToolCallEvent(long arrivalNanos, int started) {
        if (!streamEndSeen && outcome == null) {
            toolCalls += started;
            if (firstToolCallNanos == 0) {
                firstToolCallNanos = arrivalNanos;
            }
        }
        onContentEvent(arrivalNanos, true);
    }

    public ByteSink toolCallArguments() {
        if (toolCallArguments == null) {
            toolCallArguments = new ByteSink(INITIAL_TEXT_BYTES);
        }
        return toolCallArguments;
    }

    /** Null when no tool-call argument text arrived. */
    public ByteSink toolCallArgumentsOrNull() {
        return toolCallArguments;
    }

    public ByteSink reasoningText() {
        if (reasoningText == null) {
            reasoningText = new ByteSink(INITIAL_TEXT_BYTES);
        }
        return reasoningText;
    }

    /** Null when no reasoning text arrived. */
    public ByteSink reasoningTextOrNull() {
        return reasoningText;
    }

    public void onUsage(long inputTokens, long outputTokens, long reasoningTokens, long cachedInputTokens) {
        if (inputTokens >= 0) {
            usageInputTokens = inputTokens;
        }
        if (outputTokens >= 0) {
            usageOutputTokens = outputTokens;
        }
        if (reasoningTokens >= 0) {
            usageReasoningTokens = reasoningTokens;
        }
        if (cachedInputTokens >= 0) {
            usageCachedInputTokens = cachedInputTokens;
        }
    }

    /** The provider's end-of-stream event ({@code [DONE]}, {@code message_stop}, …). */
    public void onStreamEnd(long arrivalNanos) {
        if (!streamEndSeen) {
            streamEndSeen = true;
            endNanos = arrivalNanos;
        }
    }

    /** An error event inside an HTTP 200 stream: the request failed at the provider. */
    public void onProviderError(String message, long arrivalNanos) {
        if (outcome == null) {
            outcome = Outcome.STREAM_ERROR;
            error = message;
            endNanos = arrivalNanos;
        }
    }

    /** A malformed event: the stream goes on; the request will be a protocol_error unless something worse happens. */
    public void onProtocolError(String message) {
        if (!protocolErrorSeen) {
            protocolErrorSeen = true;
            protocolErrorMessage = message;
        }
    }

    /**
     * Called once, when the request is over, with the outcome the transport saw (null: the body ended normally).
     * Keeps the first fault: a provider error event beats the EOF that follows it.
     */
    public void finish(Outcome transportOutcome, String transportError, long nowNanos) {
        if (endNanos == 0) {
            endNanos = nowNanos;
        }
        if (outcome != null) {
            return;
        }
        if (transportOutcome != null) {
            outcome = transportOutcome;
            error = transportError;
        } else if (protocolErrorSeen) {
            outcome = Outcome.PROTOCOL_ERROR;
            error = protocolErrorMessage;
        } else if (!streamEndSeen) {
            outcome = Outcome.STREAM_ERROR;
            error = "the body ended before the stream's end event";
        } else {
            outcome = Outcome.OK;
        }
    }
}
