package dev.tokenbench.sim;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import static dev.tokenbench.sim.SimRequestLog.NOT_WRITTEN;

/**
 * One response of an all-out scenario ({@link SimScenario#allOut()}): the pre-encoded {@link AllOutBody} written
 * slice after slice as fast as the connection takes it, with no ttft, no token rate, no jitter and no slow path.
 * When the connection's write queue is full it waits for the drain and goes on, so a slow reader holds back its own
 * stream and nothing more than the queue's high-water mark is buffered. Lives on the request's event loop.
 *
 * <p>What the log records for such a request differs from a paced one: there is no write per event, so
 * {@link SimRequestLog#contentEventWrittenNanos()} is empty (its {@code contentEvents} still counts the events);
 * first output and first token are stamped before the slice that holds them is written, the end before the last
 * slice. The request id, the token counts and completion are as for every other scenario.
 */
final class AllOutStream implements Handler<Void> {

    private final SimLog log;
    private final HttpServerResponse response;
    private final AllOutBody body;
    private final String requestId;
    private final String scenarioName;
    private final long receivedNanos;
    private final Runnable ended;

    private int nextSlice;
    private boolean finished;
    private long headersWrittenNanos = NOT_WRITTEN;
    private long firstOutputWrittenNanos = NOT_WRITTEN;
    private long firstTokenWrittenNanos = NOT_WRITTEN;

    AllOutStream(SimExchange exchange, AllOutBody body) {
        this.log = exchange.log();
        this.response = exchange.response();
        this.body = body;
        this.requestId = exchange.requestId();
        this.scenarioName = exchange.scenarioName();
        this.receivedNanos = exchange.receivedNanos();
        this.ended = exchange.ended();
    }

    /** Call on the request's event loop. */
    void begin() {
        response.setStatusCode(200);
        response.setChunked(true);
        response.putHeader("content-type", body.contentType);
        body.headers.forEach(response::putHeader);
        response.closeHandler(ignored -> abandon());
        response.exceptionHandler(ignored -> { });
        if (response.closed()) {
            abandon();
            return;
        }
        long nowNanos = System.nanoTime();
        if (body.processingTimeHeader != null) {
            response.putHeader(body.processingTimeHeader, Long.toString((nowNanos - receivedNanos) / 1_000_000));
        }
        // The head goes with the first slice, as in a paced stream: no earlier "first byte" without output.
        headersWrittenNanos = nowNanos;
        response.drainHandler(this);
        pump();
    }

    /** The write queue drained: go on writing. */
    @Override
    public void handle(Void drained) {
        pump();
    }

    private void pump() {
        Buffer[] slices = body.slices;
        int last = slices.length - 1;
        while (!finished && nextSlice <= last && !response.writeQueueFull()) {
            int slice = nextSlice++;
            long writtenNanos = System.nanoTime();
            if (slice == 0) {
                firstOutputWrittenNanos = writtenNanos;
            }
            if (slice == body.firstVisibleSlice) {
                firstTokenWrittenNanos = writtenNanos;
            }
            if (slice == last) {
                response.end(slices[slice], null);
                finished = true;
                record(writtenNanos);
                return;
            }
            response.write(slices[slice], null);
        }
    }

    private void abandon() {
        if (finished) {
            return;
        }
        finished = true;
        record(NOT_WRITTEN);
    }

    private void record(long endWrittenNanos) {
        ended.run();
        boolean completed = endWrittenNanos != NOT_WRITTEN;
        boolean reachedVisible = firstTokenWrittenNanos != NOT_WRITTEN;
        // Without a write per event the simulator cannot tell how far a client that went away had read: an
        // abandoned response logs no visible token, only a hidden or streamed reasoning phase it got past.
        int reasoningTokens = reachedVisible || completed ? body.reasoningTokens : 0;
        int visibleTokens = completed ? body.visibleTokens : 0;
        int contentEvents = completed ? body.contentEvents : 0;
        int reasoningEvents = completed || reachedVisible ? body.reasoningEvents : 0;
        log.add(SimRequestLog.builder()
                .requestId(requestId)
                .scenario(scenarioName)
                .slow(false)
                .receivedNanos(receivedNanos)
                .headersWrittenNanos(headersWrittenNanos)
                .firstOutputWrittenNanos(firstOutputWrittenNanos)
                .firstTokenWrittenNanos(firstTokenWrittenNanos)
                .endWrittenNanos(endWrittenNanos)
                .contentEventWrittenNanos(NO_STAMPS)
                .outputTokens(visibleTokens + reasoningTokens)
                .reasoningTokens(reasoningTokens)
                .contentEvents(contentEvents)
                .reasoningEvents(reasoningEvents)
                .build());
    }

    private static final long[] NO_STAMPS = {};
}
