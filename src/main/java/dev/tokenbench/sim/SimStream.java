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
    /** The part of the prompt served from the scenario's prefix cache, for the usage. */
    private int cachedPromptTokens;
    private final SplittableRandom random;
    /** The current event's vocabulary indexes; the encoder reads them only during appendEvent. */
    private final int[] eventTokens;
    private final long[] eventWrittenNanos;
    /** The fault this response plays (never an HTTP error: those are answered before a stream exists), or null. */
    private final SimFault fault;
    private final long keepAliveNanos;
    private final boolean crlf;
    private final boolean utf8Split;

    private long timerId = NO_TIMER;
    private boolean finished;
    private boolean headWritten;
    /** The one-shot fault (after-tokens) was played. */
    private boolean faultPlayed;
    /** A hang: nothing more is written (but keep-alives), until the client goes away. */
    private boolean hung;
    /** The end is not written before this (a stall that fell after the last event); 0: no such bound. */
    private long endNotBeforeNanos;
    /** When the last bytes were written: keep-alives count from here. */
    private long lastWriteNanos;
    /** The second half of a utf8-split event, written on the next wake-up. */
    private Buffer pendingWrite;
    private long headersWrittenNanos = NOT_WRITTEN;
    private long firstOutputWrittenNanos = NOT_WRITTEN;
    private long firstTokenWrittenNanos = NOT_WRITTEN;
    private int eventsWritten;
    private int reasoningTokensWritten;
    private int visibleTokensWritten;
    private long nextEventDueNanos;
    /** Added to every later event's offset by the stalls so far. */
    private long stallShiftNanos;
    /** The largest event so far: sizes the next event's buffer so that appending never has to grow it. */
    private int eventBytesHint;

    /**
     * What the scenario decided for one paced response.
     *
     * @param slow         served by the slow path
     * @param finishReason the finish reason the stream ends with
     * @param random       this request's generator (its seed makes the jitter and the words reproducible)
     * @param fault        the fault to play (see {@link SimFault}), or null
     */
    record Plan(boolean slow, SimSchedule schedule, String finishReason, SplittableRandom random, SimFault fault) {
    }

    /**
     * @param promptTokens completes with the prompt's token count (counted on a worker thread); the end of the
     *                     stream waits for it, which only matters for a huge prompt with a tiny response
     */
    SimStream(Vertx vertx, SimExchange exchange, SimEncoder encoder, Plan plan, Future<Integer> promptTokens) {
        SimLog log = exchange.log();
        HttpServerResponse response = exchange.response();
        long receivedNanos = exchange.receivedNanos();
        SimSchedule schedule = plan.schedule();
        SimFault fault = plan.fault();
        this.vertx = vertx;
        this.log = log;
        this.response = response;
        this.encoder = encoder;
        this.requestId = exchange.requestId();
        this.scenarioName = exchange.scenarioName();
        this.slow = plan.slow();
        this.receivedNanos = receivedNanos;
        this.schedule = schedule;
        this.firstEventOffsetNanos = schedule.firstEventOffsetNanos();
        this.reasoningEvents = schedule.reasoningEvents();
        this.finishReason = plan.finishReason();
        this.promptTokens = promptTokens;
        this.random = plan.random();
        this.ended = exchange.ended();
        this.eventTokens = new int[schedule.maxTokensPerEvent()];
        this.eventWrittenNanos = new long[schedule.events()];
        this.nextEventDueNanos = receivedNanos + firstEventOffsetNanos;
        this.eventBytesHint = FIRST_EVENT_ENVELOPE_BYTES + schedule.tokensPerChunk() * TOKEN_BYTES;
        this.fault = fault;
        this.keepAliveNanos = fault == null || fault.keepAlive() == null ? 0 : fault.keepAlive().toNanos();
        this.crlf = fault != null && fault.kind() == SimFault.Kind.CRLF && encoder.lineBased();
        this.utf8Split = fault != null && fault.kind() == SimFault.Kind.UTF8_SPLIT;
    }

    /** Reports {@code cachedTokens} of the prompt as read from the prefix cache; before {@link #begin}. */
    SimStream withCachedPromptTokens(int cachedTokens) {
        this.cachedPromptTokens = cachedTokens;
        return this;
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
        if (hung) {
            waitUntil(Long.MAX_VALUE, nowNanos);
            return;
        }
        if (headersWrittenNanos == NOT_WRITTEN) {
            long headersDueNanos = receivedNanos + schedule.headersDelayNanos();
            if (headersDueNanos - nowNanos > DUE_SLACK_NANOS) {
                wakeAt(headersDueNanos, nowNanos);
                return;
            }
            writeHeaders();
            nowNanos = System.nanoTime();
        }
        if (pendingWrite != null) {
            Buffer rest = pendingWrite;
            pendingWrite = null;
            write(rest);
            nowNanos = System.nanoTime();
        }
        while (eventsWritten < eventWrittenNanos.length) {
            if (faultDue()) {
                if (playFault(nowNanos)) {
                    return;
                }
                nowNanos = System.nanoTime();
                continue;
            }
            if (nextEventDueNanos - nowNanos > DUE_SLACK_NANOS) {
                waitUntil(nextEventDueNanos, nowNanos);
                return;
            }
            writeEvent();
            if (pendingWrite != null) {
                // The rest of a split event goes out on its own, a moment later, so it arrives in another read.
                timerId = vertx.setTimer(1, this);
                return;
            }
            nowNanos = System.nanoTime();
        }
        if (faultDue()) {
            // after-tokens at or past the output: the fault falls between the last event and the end
            if (playFault(nowNanos)) {
                return;
            }
            nowNanos = System.nanoTime();
        }
        if (eventWrittenNanos.length == 0 && nextEventDueNanos - nowNanos > DUE_SLACK_NANOS) {
            // With no event at all the end takes the first event's place, so a hidden reasoning phase still lasts.
            waitUntil(nextEventDueNanos, nowNanos);
            return;
        }
        if (endNotBeforeNanos != 0 && endNotBeforeNanos - nowNanos > DUE_SLACK_NANOS) {
            waitUntil(endNotBeforeNanos, nowNanos);
            return;
        }
        if (promptTokens.isComplete()) {
            writeEnd();
        } else {
            promptTokens.onComplete(ignored -> advance());
        }
    }

    /** Waits for {@code dueNanos}, writing keep-alives meanwhile when the fault asks for them. */
    private void waitUntil(long dueNanos, long nowNanos) {
        if (keepAliveNanos > 0 && headersWrittenNanos != NOT_WRITTEN) {
            long tickNanos = lastWriteNanos + keepAliveNanos;
            if (tickNanos - nowNanos <= DUE_SLACK_NANOS) {
                Buffer keepAlive = encoder.keepAlive();
                if (keepAlive != null) {
                    write(keepAlive);
                }
                lastWriteNanos = nowNanos;
                tickNanos = nowNanos + keepAliveNanos;
            }
            if (dueNanos == Long.MAX_VALUE || tickNanos - dueNanos < 0) {
                wakeAt(tickNanos, nowNanos);
                return;
            }
        }
        if (dueNanos == Long.MAX_VALUE) {
            return; // a hang without keep-alives: no timer, the stream waits for the client to go away
        }
        wakeAt(dueNanos, nowNanos);
    }

    private boolean faultDue() {
        return fault != null && !faultPlayed && fault.kind().afterTokens()
                && reasoningTokensWritten + visibleTokensWritten >= fault.afterTokens();
    }

    /**
     * Plays the one-shot fault now. Returns true when the stream stops here (ended, reset, hung); false when it
     * goes on (a stall shifted the later events, a malformed or big event was written).
     */
    private boolean playFault(long nowNanos) {
        faultPlayed = true;
        switch (fault.kind()) {
            case RESET -> {
                abandon();
                response.reset();
                return true;
            }
            case TRUNCATE -> {
                endWithout(headWritten ? Buffer.buffer() : headOnce());
                return true;
            }
            case ERROR_EVENT -> {
                Buffer error = encoder.errorEvent(fault.message() != null ? fault.message()
                        : "The simulator injected an error event (fault error-event).");
                if (error == null) {
                    abandon();
                    response.reset();
                } else {
                    endWithout(headWritten ? error : headOnce().appendBuffer(error));
                }
                return true;
            }
            case HANG -> {
                hung = true;
                if (timerId != NO_TIMER) {
                    vertx.cancelTimer(timerId);
                    timerId = NO_TIMER;
                }
                waitUntil(Long.MAX_VALUE, nowNanos);
                return true;
            }
            case STALL -> {
                long pauseNanos = fault.duration().toNanos();
                long resumeNanos = Math.max(nextEventDueNanos, nowNanos) + pauseNanos;
                stallShiftNanos += resumeNanos - nextEventDueNanos;
                nextEventDueNanos = resumeNanos;
                endNotBeforeNanos = nowNanos + pauseNanos;
                return false;
            }
            case MALFORMED -> {
                Buffer event = headWritten ? Buffer.buffer(256) : headOnce();
                eventTokens[0] = 0;
                encoder.appendMalformedEvent(event, eventTokens, 1);
                write(event);
                return false;
            }
            case BIG_LINE -> {
                Buffer event = headWritten ? Buffer.buffer(fault.bytes() + 512) : headOnce();
                encoder.appendBigEvent(event, fault.bytes());
                write(event);
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    /** The head, once: it rides with whatever is written first. */
    private Buffer headOnce() {
        headWritten = true;
        Buffer head = encoder.head();
        return Buffer.buffer(head.length() + 256).appendBuffer(head);
    }

    /** Ends the body after {@code last}, without the stream's own end. */
    private void endWithout(Buffer last) {
        finished = true;
        if (timerId != NO_TIMER) {
            vertx.cancelTimer(timerId);
            timerId = NO_TIMER;
        }
        response.end(crlf ? SimFaultBytes.toCrlf(last) : last);
        record(NOT_WRITTEN);
    }

    private void write(Buffer bytes) {
        lastWriteNanos = System.nanoTime();
        response.write(crlf ? SimFaultBytes.toCrlf(bytes) : bytes);
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
        lastWriteNanos = writtenNanos;
        response.writeHead();
    }

    private void writeEvent() {
        int index = eventsWritten;
        boolean reasoning = index < reasoningEvents;
        int tokensLeft = reasoning
                ? schedule.reasoningTokens() - reasoningTokensWritten
                : schedule.outputTokens() - visibleTokensWritten;
        int tokens = schedule.tokensInEvent(reasoning, tokensLeft);
        if (utf8Split) {
            for (int i = 0; i < tokens; i++) {
                eventTokens[i] = SimFaultBytes.MULTI_BYTE_TOKENS[random.nextInt(SimFaultBytes.MULTI_BYTE_TOKENS.length)];
            }
        } else {
            for (int i = 0; i < tokens; i++) {
                eventTokens[i] = random.nextInt(SimVocabulary.SIZE);
            }
        }
        Buffer event;
        if (!headWritten) {
            // The head rides with the first event: as a separate, earlier write it would be a "first byte" a
            // client could take for output.
            headWritten = true;
            Buffer head = encoder.head();
            event = Buffer.buffer(head.length() + eventBytesHint).appendBuffer(head);
        } else {
            event = Buffer.buffer(eventBytesHint);
        }
        int headBytes = event.length();
        encoder.appendEvent(event, eventTokens, tokens, reasoning);
        eventBytesHint = Math.max(eventBytesHint, event.length() - headBytes);
        long writtenNanos = System.nanoTime();
        if (fault == null) {
            lastWriteNanos = writtenNanos;
            response.write(event);
        } else {
            writeFaulty(event, headBytes, tokens);
        }
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

    /** An event under a fault: split across two writes inside a UTF-8 character, or written whole. */
    private void writeFaulty(Buffer event, int headBytes, int tokens) {
        int split = utf8Split && tokens > 0 ? SimFaultBytes.utf8SplitPoint(event, headBytes, eventTokens[0]) : -1;
        if (split <= 0 || split >= event.length()) {
            write(event);
            return;
        }
        write(event.slice(0, split).copy());
        pendingWrite = event.slice(split, event.length()).copy();
    }

    /**
     * Event k is due at the first event's offset + k × gap (± jitter × gap) after receipt, plus the scenario's pauses
     * before it and any stall so far, never before k-1.
     */
    private long dueNanosOf(int eventIndex, long previousDueNanos) {
        double offsetNanos = firstEventOffsetNanos + stallShiftNanos + eventIndex * schedule.gapNanos()
                + schedule.pausesBeforeNanos(eventIndex);
        if (schedule.jitter() > 0) {
            offsetNanos += (random.nextDouble() * 2 - 1) * schedule.jitter() * schedule.gapNanos();
        }
        return Math.max(receivedNanos + (long) offsetNanos, previousDueNanos);
    }

    private void writeEnd() {
        int promptTokenCount = promptTokens.succeeded() ? promptTokens.result() : 0;
        Buffer tail = encoder.tail(finishReason, promptTokenCount, cachedPromptTokens, visibleTokensWritten,
                schedule.reasoningTokens());
        if (!headWritten) {
            // Nothing was streamed, so the head, which rides with the first event, rides with the end instead.
            headWritten = true;
            tail = encoder.head().appendBuffer(tail);
        }
        long writtenNanos = System.nanoTime();
        response.end(crlf ? SimFaultBytes.toCrlf(tail) : tail);
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
        log.add(SimRequestLog.builder()
                .requestId(requestId)
                .scenario(scenarioName)
                .slow(slow)
                .receivedNanos(receivedNanos)
                .headersWrittenNanos(headersWrittenNanos)
                .firstOutputWrittenNanos(firstOutputWrittenNanos)
                .firstTokenWrittenNanos(firstTokenWrittenNanos)
                .endWrittenNanos(endWrittenNanos)
                .contentEventWrittenNanos(stamps)
                .outputTokens(visibleTokensWritten + reasoningTokens)
                .reasoningTokens(reasoningTokens)
                .contentEvents(eventsWritten)
                .reasoningEvents(Math.min(eventsWritten, reasoningEvents))
                .build());
    }
}
