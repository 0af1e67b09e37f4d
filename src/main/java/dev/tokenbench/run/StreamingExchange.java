package dev.tokenbench.run;

import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.PreparedRequest;
import dev.tokenbench.provider.ProviderApi;
import dev.tokenbench.provider.StreamDecoder;
import io.netty.buffer.ByteBuf;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One streamed request on the Vert.x client: sends it, stamps every read with {@link System#nanoTime()} before
 * anything parses it, feeds the provider's decoder, and enforces the request timeout and the stall timeout with
 * one lazily re-armed timer (no timer per read). Everything runs on the context that called {@link #start()},
 * so the measurement has a single writer.
 */
final class StreamingExchange {
    /** Response headers worth keeping for debugging; nothing else is kept, so no credential can be. */
    static final List<String> KEPT_HEADERS = List.of("x-request-id", "apim-request-id", "x-ms-region",
            "x-ms-deployment-name", "openai-processing-ms", "openai-model", "openai-version", "retry-after",
            "retry-after-ms", "x-ratelimit-remaining-requests", "x-ratelimit-remaining-tokens", "x-amzn-requestid",
            "x-amzn-bedrock-invocation-latency", "x-amzn-errortype", "request-id", "cf-ray", "server-timing");
    private static final int ERROR_BODY_LIMIT = 64 * 1024;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[16 * 1024]);

    private final Vertx vertx;
    private final HttpClient client;
    private final PreparedRequest prepared;
    private final Map<String, String> extraHeaders;
    private final RequestMeasurement m;
    private final ProviderApi api;
    private final StreamDecoder decoder;
    private final ConnectionTracker connections;
    private final long timeoutNanos;
    private final long stallNanos;
    private final Handler<RequestMeasurement> onDone;

    private HttpClientRequest request;
    private io.vertx.core.Context context;
    private java.util.Set<StreamingExchange> inFlight;
    private Buffer errorBody;
    private long timerId = -1;
    private boolean finished;
    /** This side is resetting the request (see {@link #fail}). */
    private boolean resetting;

    /**
     * What every exchange of a target shares: made once per target, not per request.
     *
     * @param timeoutNanos the whole request's limit
     * @param stallNanos   the longest wait for the next byte
     */
    record Transport(Vertx vertx, ProviderApi api, ConnectionTracker connections, long timeoutNanos,
            long stallNanos) {
    }

    StreamingExchange(Transport transport, HttpClient client, PreparedRequest prepared,
            Map<String, String> extraHeaders, RequestMeasurement measurement, Handler<RequestMeasurement> onDone) {
        this.vertx = transport.vertx();
        this.client = client;
        this.prepared = prepared;
        this.extraHeaders = extraHeaders;
        this.m = measurement;
        this.api = transport.api();
        this.decoder = api.newDecoder(measurement);
        this.connections = transport.connections();
        this.timeoutNanos = transport.timeoutNanos();
        this.stallNanos = transport.stallNanos();
        this.onDone = onDone;
    }

    /** While under way, this exchange is in {@code set} (a shutdown cancels what is in it). */
    void trackIn(java.util.Set<StreamingExchange> set) {
        this.inFlight = set;
    }

    /** Ends the request as {@code cancelled}, on its own event loop; nothing when it is over already. */
    void cancel(String reason) {
        io.vertx.core.Context c = context;
        if (c != null) {
            c.runOnContext(v -> {
                if (!finished) {
                    fail(Outcome.CANCELLED, reason);
                }
            });
        }
    }

    void start() {
        context = vertx.getOrCreateContext();
        if (inFlight != null) {
            inFlight.add(this);
        }
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(prepared.method()))
                .setAbsoluteURI(prepared.absoluteUri())
                .setFollowRedirects(false);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (Map.Entry<String, String> h : prepared.headers().entrySet()) {
            headers.set(h.getKey(), h.getValue());
        }
        for (Map.Entry<String, String> h : extraHeaders.entrySet()) {
            headers.set(h.getKey(), h.getValue());
        }
        headers.set("x-request-id", m.requestId);
        headers.set("user-agent", "tokenbench");
        options.setHeaders(headers);

        long now = System.nanoTime();
        m.askedNanos = now;
        m.lastActivityNanos = now;
        if (m.intendedStartNanos == 0) {
            m.intendedStartNanos = now;
        }
        armTimer(now);
        client.request(options).onComplete(this::onRequest);
    }

    private void onRequest(AsyncResult<HttpClientRequest> ar) {
        if (finished) {
            if (ar.succeeded()) {
                ar.result().reset();
            }
            return;
        }
        if (ar.failed()) {
            fail(Outcome.CONNECT_ERROR, describe(ar.cause()));
            return;
        }
        request = ar.result();
        Long readyNanos = connections.claim(request.connection());
        m.connectionReused = readyNanos == null;
        if (readyNanos != null) {
            m.connectNanos = Math.max(0, readyNanos - m.askedNanos);
        }
        m.httpVersion = request.version() == null ? null : request.version().alpnName();
        request.exceptionHandler(this::onFailure);
        request.response().onComplete(this::onResponse);
        Buffer body = Buffer.buffer(prepared.body());
        ConnectionTracker.Socket socket = connections.socket(request.connection());
        boolean stamped = socket != null && socket.channel().eventLoop().inEventLoop();
        long flushesBefore = stamped ? socket.stamp().flushes() : 0;
        // t_send: the request is on its connection and goes to the socket now. Waiting for a pooled connection
        // or opening a new one is before it (see connect_ms and t_intended), as k6 separates "blocked" and
        // "connecting" from the request's own timings. This stamp stands only where the socket's own cannot be
        // read (the connection's event loop is another thread).
        m.sentNanos = System.nanoTime();
        request.end(body);
        if (socket != null) {
            // Vert.x holds back the flush of a write made while its connection is reading (a closed loop's next
            // request starts from the last one's end, inside that read) until the read is over: this one goes now.
            socket.channel().flush();
        }
        if (stamped && !finished && socket.stamp().flushes() != flushesBefore) {
            // When the encoded request went to the socket (bench/wire.sh: within microseconds of the wire).
            m.sentNanos = socket.stamp().lastFlushNanos();
        }
    }

    private void onResponse(AsyncResult<HttpClientResponse> ar) {
        if (finished) {
            return;
        }
        if (ar.failed()) {
            onFailure(ar.cause());
            return;
        }
        long now = System.nanoTime();
        m.headersNanos = now;
        m.lastActivityNanos = now;
        HttpClientResponse response = ar.result();
        m.httpStatus = response.statusCode();
        m.keptHeaders = keep(response.headers());
        response.exceptionHandler(this::onFailure);
        if (m.httpStatus >= 200 && m.httpStatus < 300) {
            response.handler(this::onChunk);
            response.endHandler(this::onEnd);
        } else {
            m.retryAfterMs = RetryAfter.millis(response.getHeader("retry-after-ms"), response.getHeader("retry-after"),
                    System.currentTimeMillis());
            errorBody = Buffer.buffer();
            response.handler(this::onErrorChunk);
            response.endHandler(this::onErrorEnd);
        }
    }

    private void onChunk(Buffer buffer) {
        long arrivalNanos = System.nanoTime();
        m.lastActivityNanos = arrivalNanos;
        if (finished) {
            return;
        }
        try {
            // Vert.x hands every read over as a heap buffer of its own: the decoder reads its array in place.
            ByteBuf bytes = buffer.getByteBuf();
            if (bytes.hasArray()) {
                decoder.onBytes(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes(),
                        arrivalNanos);
                return;
            }
            int length = buffer.length();
            byte[] scratch = SCRATCH.get();
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, scratch.length * 2)];
                SCRATCH.set(scratch);
            }
            buffer.getBytes(0, length, scratch, 0);
            decoder.onBytes(scratch, 0, length, arrivalNanos);
        } catch (RuntimeException decoderBug) {
            decoderFailed(decoderBug);
        }
    }

    /**
     * A decoder that throws has met a stream it cannot read (the fuzz tests hunt for these): the request is a
     * protocol_error, never an exception on the event loop that would leave it to the timeout.
     */
    private void decoderFailed(RuntimeException e) {
        fail(Outcome.PROTOCOL_ERROR, "the stream could not be decoded: " + describe(e));
    }

    private void onEnd(Void ignored) {
        long now = System.nanoTime();
        if (finished) {
            return;
        }
        try {
            decoder.onBodyEnd(now);
        } catch (RuntimeException decoderBug) {
            decoderFailed(decoderBug);
            return;
        }
        complete(null, null, now);
    }

    private void onErrorChunk(Buffer buffer) {
        m.lastActivityNanos = System.nanoTime();
        if (errorBody.length() < ERROR_BODY_LIMIT) {
            errorBody.appendBuffer(buffer, 0, Math.min(buffer.length(), ERROR_BODY_LIMIT - errorBody.length()));
        }
    }

    private void onErrorEnd(Void ignored) {
        long now = System.nanoTime();
        if (finished) {
            return;
        }
        SecretScrubber scrubber = SecretScrubber.forRequest(prepared.absoluteUri(), prepared.headers(),
                extraHeaders);
        complete(Outcome.ofHttpStatus(m.httpStatus), "HTTP " + m.httpStatus + ": "
                + providerMessage(api.errorMessage(errorBody.toString(StandardCharsets.UTF_8), m.keptHeaders),
                        scrubber), now);
    }

    private void onFailure(Throwable t) {
        if (finished || resetting) {
            return;
        }
        // Under TLS 1.3 a server refuses a client certificate after the client's handshake is done, when the
        // request may be sent already: still a connection that could not be made.
        boolean connecting = m.sentNanos == 0 || TlsSettings.explain(t) != null;
        fail(connecting ? Outcome.CONNECT_ERROR : Outcome.STREAM_ERROR, describe(t));
    }

    private void armTimer(long nowNanos) {
        long deadline = Math.min(m.askedNanos + timeoutNanos, m.lastActivityNanos + stallNanos);
        long delayMs = Math.max(1, (deadline - nowNanos + 999_999) / 1_000_000);
        timerId = vertx.setTimer(delayMs, this::onTimer);
    }

    private void onTimer(long id) {
        if (finished) {
            return;
        }
        long now = System.nanoTime();
        if (request == null && now - m.askedNanos >= Math.min(timeoutNanos, stallNanos)) {
            // Still no connection (a DNS server or a SYN that never answers): a connect failure, not a slow answer.
            fail(Outcome.CONNECT_ERROR, "no connection within " + Math.min(timeoutNanos, stallNanos) / 1_000_000
                    + " ms");
        } else if (now - m.askedNanos >= timeoutNanos) {
            fail(Outcome.TIMEOUT, "no end within the request timeout of " + timeoutNanos / 1_000_000 + " ms");
        } else if (now - m.lastActivityNanos >= stallNanos) {
            fail(Outcome.STALL, "no byte for the stall timeout of " + stallNanos / 1_000_000 + " ms");
        } else {
            armTimer(now);
        }
    }

    /**
     * Ends the request on a fault: the connection is reset, so it is not reused. The reset reports itself to the
     * request's and the response's exception handlers at once (a StreamResetException); that is this fault, not
     * a second one, so it must not turn a stall or a timeout into a stream_error.
     */
    private void fail(Outcome outcome, String message) {
        long now = System.nanoTime();
        resetting = true;
        if (request != null) {
            request.reset();
        }
        complete(outcome, message, now);
    }

    private void complete(Outcome outcome, String message, long nowNanos) {
        if (finished) {
            return;
        }
        finished = true;
        if (inFlight != null) {
            inFlight.remove(this);
        }
        if (message != null) {
            message = SecretScrubber.forRequest(prepared.absoluteUri(), prepared.headers(), extraHeaders)
                    .scrub(message);
        }
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        m.finish(outcome, message, nowNanos);
        if (m.error != null) {
            // Every message: a provider's error event mid-stream, or a transport error quoting the URL, may carry
            // a credential just as an error body may.
            m.error = SecretScrubber.forRequest(prepared.absoluteUri(), prepared.headers(), extraHeaders)
                    .scrub(m.error);
        }
        onDone.handle(m);
    }

    private static Map<String, String> keep(MultiMap headers) {
        Map<String, String> kept = null;
        for (String name : KEPT_HEADERS) {
            String value = headers.get(name);
            if (value != null) {
                if (kept == null) {
                    kept = new LinkedHashMap<>();
                }
                kept.put(name, value);
            }
        }
        return kept == null ? Map.of() : kept;
    }

    /**
     * The provider's message of a failed response as the record keeps it ({@code described}: what the target's
     * {@link ProviderApi#errorMessage} made of the body): scrubbed before it is cut to length, so that no beginning
     * of a key survives the cut.
     */
    static String providerMessage(String described, SecretScrubber scrubber) {
        String text = scrubber == null ? described : scrubber.scrub(described);
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    private static String describe(Throwable t) {
        String tls = TlsSettings.explain(t);
        if (tls != null) {
            return tls;
        }
        String message = t.getMessage();
        String kind = t.getClass().getSimpleName();
        return message == null ? kind : kind + ": " + message;
    }
}
