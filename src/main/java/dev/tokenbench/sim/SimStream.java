package dev.tokenbench.sim;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.tokenbench.sim.SimRequestLog.NOT_WRITTEN;

/**
 * One streamed response on its way out, in any API: the schedule is the engine's, every byte the
 * {@link SimEncoder}'s. Lives on the request's event loop: every method runs there, so the state needs no locks.
 * It is its own timer handler and reuses one token array for every event, so waking up for the next event
 * allocates nothing but the event's buffer.
 *
 * <p>Every due time is an absolute offset from the request's receipt, so a timer that fires late makes that one
 * event late and catches up at once (overdue events are written in a loop); it never shifts the ones after it.
 */
final class SimStream implements Handler<Long> {

    /**
     * Vert.x timers count whole milliseconds, so the wait before an event can only be rounded. An event due in less
     * than this is written at once: waiting for a 1 ms timer would put it further from its due time than writing it
     * now does.
     */
    static final long DUE_SLACK_NANOS = 500_000;

    private static final long NO_TIMER = -1;
    /** Room for the first event, before the encoder has shown how large its events are: an envelope and tokens. */
    private static final int FIRST_EVENT_ENVELOPE_BYTES = 256;
    private static final int TOKEN_BYTES = 12;

    private final Vertx vertx;
    private final SimLog log;
    private final HttpServerResponse response;
    private final SimEncoder encoder;
    private final String requestId;
    private final String scenarioName;
    private final boolean slow;
    private final long receivedNanos;
    private final SimSchedule schedule;
    private final long firstEventOffsetNanos;
    private final int reasoningEvents;
    private final String finishReason;
    /** Runs once, when the stream ends or is abandoned. */
    private final Runnable ended;
    private final Future<Integer> promptTokens;
    private final SplittableRandom random;
    /** The current event's vocabulary indexes; the encoder reads them only during appendEvent. */
    private final int[] eventTokens;
    private final long[] eventWrittenNanos;

    private long timerId = NO_TIMER;
    private boolean finished;
    private long headersWrittenNanos = NOT_WRITTEN;
    private long firstOutputWrittenNanos = NOT_WRITTEN;
    private long firstTokenWrittenNanos = NOT_WRITTEN;
    private int eventsWritten;
    private int reasoningTokensWritten;
    private int visibleTokensWritten;
    private long nextEventDueNanos;
    /** The largest event so far: sizes the next event's buffer so that appending never has to grow it. */
    private int eventBytesHint;

    /**
     * @param promptTokens completes with the prompt's token count (counted on a worker thread); the end of the
     *                     stream waits for it, which only matters for a huge prompt with a tiny response
     * @param random       this request's generator (its seed makes the jitter and the words reproducible)
     * @param ended        runs once when the stream ends or the client goes away
     */
    SimStream(Vertx vertx, SimLog log, HttpServerResponse response, SimEncoder encoder, String requestId,
            String scenarioName, boolean slow, long receivedNanos, SimSchedule schedule, String finishReason,
            Future<Integer> promptTokens, SplittableRandom random, Runnable ended) {
        this.vertx = vertx;
        this.log = log;
        this.response = response;
        this.encoder = encoder;
        this.requestId = requestId;
        this.scenarioName = scenarioName;
        this.slow = slow;
        this.receivedNanos = receivedNanos;
        this.schedule = schedule;
        this.firstEventOffsetNanos = schedule.firstEventOffsetNanos();
        this.reasoningEvents = schedule.reasoningEvents();
        this.finishReason = finishReason;
        this.promptTokens = promptTokens;
        this.random = random;
        this.ended = ended;
        this.eventTokens = new int[schedule.tokensPerChunk()];
        this.eventWrittenNanos = new long[schedule.events()];
        this.nextEventDueNanos = receivedNanos + firstEventOffsetNanos;
        this.eventBytesHint = FIRST_EVENT_ENVELOPE_BYTES + schedule.tokensPerChunk() * TOKEN_BYTES;
    }

    /** Call on the request's event loop. */
    void begin() {
        response.setStatusCode(200);
        response.setChunked(true);
        response.putHeader("content-type", encoder.contentType());
        Map<String, String> headers = encoder.headers();
        if (headers != null) {
            headers.forEach(response::putHeader);
        }
        response.closeHandler(ignored -> abandon());
        // The close handler does the bookkeeping; without this handler Vert.x would log each reset as an error.
        response.exceptionHandler(ignored -> { });
        if (response.closed()) {
            abandon();
            return;
        }
        advance();
    }

    @Override
    public void handle(Long firedTimerId) {
        timerId = NO_TIMER;
        advance();
    }

    /**
     * Writes whatever is due. An encoder that throws (a bug in one API's bytes) ends this stream alone: the
     * connection is reset so the client sees a broken stream at once instead of waiting for its timeout, and the
     * exception goes on to Vert.x, which logs it.
     */
    private void advance() {
        try {
            writeWhatIsDue();
        } catch (RuntimeException e) {
            abandon();
            response.reset();
            throw e;
        }
    }

    private void writeWhatIsDue() {
        if (finished) {
            return;
        }
        long nowNanos = System.nanoTime();
        if (headersWrittenNanos == NOT_WRITTEN) {
            long headersDueNanos = receivedNanos + schedule.headersDelayNanos();
            if (headersDueNanos - nowNanos > DUE_SLACK_NANOS) {
                wakeAt(headersDueNanos, nowNanos);
                return;
            }
            writeHeaders();
            nowNanos = System.nanoTime();
        }
        while (eventsWritten < eventWrittenNanos.length) {
            if (nextEventDueNanos - nowNanos > DUE_SLACK_NANOS) {
                wakeAt(nextEventDueNanos, nowNanos);
                return;
            }
            writeEvent();
            nowNanos = System.nanoTime();
        }
        if (eventWrittenNanos.length == 0 && nextEventDueNanos - nowNanos > DUE_SLACK_NANOS) {
            // With no event at all the end takes the first event's place, so a hidden reasoning phase still lasts.
            wakeAt(nextEventDueNanos, nowNanos);
            return;
        }
        if (promptTokens.isComplete()) {
            writeEnd();
        } else {
            promptTokens.onComplete(ignored -> advance());
        }
    }

    private void wakeAt(long dueNanos, long nowNanos) {
        long delayMs = Math.max(1, (dueNanos - nowNanos + 500_000) / 1_000_000);
        timerId = vertx.setTimer(delayMs, this);
    }

    private void writeHeaders() {
        long writtenNanos = System.nanoTime();
        String processingTimeHeader = encoder.processingTimeHeader();
        if (processingTimeHeader != null) {
            response.putHeader(processingTimeHeader, Long.toString((writtenNanos - receivedNanos) / 1_000_000));
        }
        headersWrittenNanos = writtenNanos;
        response.writeHead();
    }

    private void writeEvent() {
        int index = eventsWritten;
        boolean reasoning = index < reasoningEvents;
        int tokensLeft = reasoning
                ? schedule.reasoningTokens() - reasoningTokensWritten
                : schedule.outputTokens() - visibleTokensWritten;
        int tokens = Math.min(schedule.tokensPerChunk(), tokensLeft);
        for (int i = 0; i < tokens; i++) {
            eventTokens[i] = random.nextInt(SimVocabulary.SIZE);
        }
        Buffer event;
        if (index == 0) {
            // The head rides with the first event: as a separate, earlier write it would be a "first byte" a
            // client could take for output.
            Buffer head = encoder.head();
            event = Buffer.buffer(head.length() + eventBytesHint).appendBuffer(head);
        } else {
            event = Buffer.buffer(eventBytesHint);
        }
        int headBytes = event.length();
        encoder.appendEvent(event, eventTokens, tokens, reasoning);
        eventBytesHint = Math.max(eventBytesHint, event.length() - headBytes);
        long writtenNanos = System.nanoTime();
        response.write(event);
        if (index == 0) {
            firstOutputWrittenNanos = writtenNanos;
        }
        if (index == reasoningEvents) {
            firstTokenWrittenNanos = writtenNanos;
        }
        eventWrittenNanos[eventsWritten++] = writtenNanos;
        if (reasoning) {
            reasoningTokensWritten += tokens;
        } else {
            visibleTokensWritten += tokens;
        }
        if (eventsWritten < eventWrittenNanos.length) {
            nextEventDueNanos = dueNanosOf(eventsWritten, nextEventDueNanos);
        }
    }

    /** Event k is due at the first event's offset + k × gap (± jitter × gap) after receipt, never before k-1. */
    private long dueNanosOf(int eventIndex, long previousDueNanos) {
        double offsetNanos = firstEventOffsetNanos + eventIndex * schedule.gapNanos();
        if (schedule.jitter() > 0) {
            offsetNanos += (random.nextDouble() * 2 - 1) * schedule.jitter() * schedule.gapNanos();
        }
        return Math.max(receivedNanos + (long) offsetNanos, previousDueNanos);
    }

    private void writeEnd() {
        int promptTokenCount = promptTokens.succeeded() ? promptTokens.result() : 0;
        Buffer tail = encoder.tail(finishReason, promptTokenCount, visibleTokensWritten, schedule.reasoningTokens());
        if (eventsWritten == 0) {
            // Nothing was streamed, so the head, which rides with the first event, rides with the end instead.
            tail = encoder.head().appendBuffer(tail);
        }
        long writtenNanos = System.nanoTime();
        response.end(tail);
        finished = true;
        record(writtenNanos);
    }

    /** The client went away (or the server closed): stop the clock and keep what was written. */
    private void abandon() {
        if (finished) {
            return;
        }
        finished = true;
        if (timerId != NO_TIMER) {
            vertx.cancelTimer(timerId);
            timerId = NO_TIMER;
        }
        record(NOT_WRITTEN);
    }

    private void record(long endWrittenNanos) {
        ended.run();
        long[] stamps = eventsWritten == eventWrittenNanos.length
                ? eventWrittenNanos
                : Arrays.copyOf(eventWrittenNanos, eventsWritten);
        int reasoningTokens = reasoningTokensWritten;
        if (!schedule.reasoningStreamed()
                && (firstTokenWrittenNanos != NOT_WRITTEN || endWrittenNanos != NOT_WRITTEN)) {
            // A hidden phase counts once it is over, which the first visible token (or the end) shows.
            reasoningTokens = schedule.reasoningTokens();
        }
        log.add(new SimRequestLog(requestId, scenarioName, slow, receivedNanos, headersWrittenNanos,
                firstOutputWrittenNanos, firstTokenWrittenNanos, endWrittenNanos, stamps,
                visibleTokensWritten + reasoningTokens, reasoningTokens, eventsWritten,
                Math.min(eventsWritten, reasoningEvents)));
    }
}
