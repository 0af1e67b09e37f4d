package dev.tokenbench.sim;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.util.Arrays;
import java.util.SplittableRandom;

import static dev.tokenbench.sim.SimRequestLog.NOT_WRITTEN;

/**
 * One streamed response on its way out. Lives on the request's event loop: every method runs there, so the state
 * needs no locks. It is its own timer handler, so waking up for the next event allocates nothing.
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

    private final Vertx vertx;
    private final SimLog log;
    private final HttpServerResponse response;
    private final OpenAiChatSimEncoder encoder;
    private final String requestId;
    private final String scenarioName;
    private final boolean slow;
    private final long receivedNanos;
    private final SimSchedule schedule;
    private final String finishReason;
    private final Future<Integer> promptTokens;
    private final SplittableRandom random;
    private final long[] contentEventWrittenNanos;

    private long timerId = NO_TIMER;
    private boolean finished;
    private long headersWrittenNanos = NOT_WRITTEN;
    private long firstTokenWrittenNanos = NOT_WRITTEN;
    private int eventsWritten;
    private int tokensWritten;
    private long nextEventDueNanos;

    /**
     * @param promptTokens completes with the prompt's token count (counted on a worker thread); the end of the
     *                     stream waits for it, which only matters for a huge prompt with a tiny response
     * @param random       this request's generator (its seed makes the jitter and the words reproducible)
     */
    SimStream(Vertx vertx, SimLog log, HttpServerResponse response, OpenAiChatSimEncoder encoder, String requestId,
            String scenarioName, boolean slow, long receivedNanos, SimSchedule schedule, String finishReason,
            Future<Integer> promptTokens, SplittableRandom random) {
        this.vertx = vertx;
        this.log = log;
        this.response = response;
        this.encoder = encoder;
        this.requestId = requestId;
        this.scenarioName = scenarioName;
        this.slow = slow;
        this.receivedNanos = receivedNanos;
        this.schedule = schedule;
        this.finishReason = finishReason;
        this.promptTokens = promptTokens;
        this.random = random;
        this.contentEventWrittenNanos = new long[schedule.contentEvents()];
        this.nextEventDueNanos = receivedNanos + schedule.ttftNanos();
    }

    /** Call on the request's event loop. */
    void begin() {
        response.setChunked(true);
        response.putHeader("content-type", "text/event-stream; charset=utf-8");
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

    private void advance() {
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
        while (eventsWritten < contentEventWrittenNanos.length) {
            if (nextEventDueNanos - nowNanos > DUE_SLACK_NANOS) {
                wakeAt(nextEventDueNanos, nowNanos);
                return;
            }
            writeContentEvent();
            nowNanos = System.nanoTime();
        }
        if (promptTokens.isComplete()) {
            writeEnd();
        } else {
            promptTokens.onComplete(ignored -> {
                if (!finished) {
                    writeEnd();
                }
            });
        }
    }

    private void wakeAt(long dueNanos, long nowNanos) {
        long delayMs = Math.max(1, (dueNanos - nowNanos + 500_000) / 1_000_000);
        timerId = vertx.setTimer(delayMs, this);
    }

    private void writeHeaders() {
        long writtenNanos = System.nanoTime();
        response.putHeader("openai-processing-ms", Long.toString((writtenNanos - receivedNanos) / 1_000_000));
        headersWrittenNanos = writtenNanos;
        response.writeHead();
    }

    private void writeContentEvent() {
        boolean first = eventsWritten == 0;
        int tokens = Math.min(schedule.tokensPerChunk(), schedule.outputTokens() - tokensWritten);
        byte[] prefix = encoder.contentPrefix();
        byte[] suffix = encoder.contentSuffix();
        Buffer event = Buffer.buffer((first ? encoder.roleChunk().length : 0) + prefix.length + suffix.length
                + tokens * 12);
        if (first) {
            // The role chunk rides with the first token: OpenAI sends it right before, and as a separate write it
            // would be a second "first byte" the client could see early.
            event.appendBytes(encoder.roleChunk());
        }
        event.appendBytes(prefix);
        for (int i = 0; i < tokens; i++) {
            event.appendBytes(SimVocabulary.JSON_UTF8[random.nextInt(SimVocabulary.SIZE)]);
        }
        event.appendBytes(suffix);
        long writtenNanos = System.nanoTime();
        response.write(event);
        if (first) {
            firstTokenWrittenNanos = writtenNanos;
        }
        contentEventWrittenNanos[eventsWritten++] = writtenNanos;
        tokensWritten += tokens;
        if (eventsWritten < contentEventWrittenNanos.length) {
            nextEventDueNanos = dueNanosOf(eventsWritten, nextEventDueNanos);
        }
    }

    /** Event k is due at ttft + k × gap (± jitter × gap) after receipt, and never before event k-1. */
    private long dueNanosOf(int eventIndex, long previousDueNanos) {
        double offsetNanos = schedule.ttftNanos() + eventIndex * schedule.gapNanos();
        if (schedule.jitter() > 0) {
            offsetNanos += (random.nextDouble() * 2 - 1) * schedule.jitter() * schedule.gapNanos();
        }
        return Math.max(receivedNanos + (long) offsetNanos, previousDueNanos);
    }

    private void writeEnd() {
        int promptTokenCount = promptTokens.succeeded() ? promptTokens.result() : 0;
        Buffer end = encoder.tail(finishReason, promptTokenCount, tokensWritten);
        long writtenNanos = System.nanoTime();
        response.end(end);
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
        long[] stamps = eventsWritten == contentEventWrittenNanos.length
                ? contentEventWrittenNanos
                : Arrays.copyOf(contentEventWrittenNanos, eventsWritten);
        log.add(new SimRequestLog(requestId, scenarioName, slow, receivedNanos, headersWrittenNanos,
                firstTokenWrittenNanos, endWrittenNanos, stamps, tokensWritten, eventsWritten));
    }
}
