package dev.tokenbench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.PreparedRequest;
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
            "x-ratelimit-remaining-requests", "x-ratelimit-remaining-tokens", "x-amzn-requestid",
            "x-amzn-bedrock-invocation-latency", "request-id", "cf-ray", "server-timing");
    private static final int ERROR_BODY_LIMIT = 64 * 1024;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[16 * 1024]);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final HttpClient client;
    private final PreparedRequest prepared;
    private final Map<String, String> extraHeaders;
    private final RequestMeasurement m;
    private final StreamDecoder decoder;
    private final ConnectionTracker connections;
    private final long timeoutNanos;
    private final long stallNanos;
    private final Handler<RequestMeasurement> onDone;

    private HttpClientRequest request;
    private Buffer errorBody;
    private long timerId = -1;
    private boolean finished;

    StreamingExchange(Vertx vertx, HttpClient client, PreparedRequest prepared, Map<String, String> extraHeaders,
            RequestMeasurement measurement, StreamDecoder decoder, ConnectionTracker connections, long timeoutNanos,
            long stallNanos, Handler<RequestMeasurement> onDone) {
        this.vertx = vertx;
        this.client = client;
        this.prepared = prepared;
        this.extraHeaders = extraHeaders;
        this.m = measurement;
        this.decoder = decoder;
        this.connections = connections;
        this.timeoutNanos = timeoutNanos;
        this.stallNanos = stallNanos;
        this.onDone = onDone;
    }

    void start() {
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
        // t_send: the request is on its connection and goes to the socket now. Waiting for a pooled connection
        // or opening a new one is before it (see connect_ms and t_intended), as k6 separates "blocked" and
        // "connecting" from the request's own timings.
        m.sentNanos = System.nanoTime();
        request.end(body);
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
    }

    private void onEnd(Void ignored) {
        long now = System.nanoTime();
        if (finished) {
            return;
        }
        decoder.onBodyEnd(now);
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
        complete(Outcome.ofHttpStatus(m.httpStatus), "HTTP " + m.httpStatus + ": " + providerMessage(errorBody),
                now);
    }

    private void onFailure(Throwable t) {
        if (finished) {
            return;
        }
        fail(m.sentNanos == 0 ? Outcome.CONNECT_ERROR : Outcome.STREAM_ERROR, describe(t));
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
        if (now - m.askedNanos >= timeoutNanos) {
            fail(Outcome.TIMEOUT, "no end within the request timeout of " + timeoutNanos / 1_000_000 + " ms");
        } else if (now - m.lastActivityNanos >= stallNanos) {
            fail(Outcome.STALL, "no byte for the stall timeout of " + stallNanos / 1_000_000 + " ms");
        } else {
            armTimer(now);
        }
    }

    /** Ends the request on a fault: the connection is reset, so it is not reused. */
    private void fail(Outcome outcome, String message) {
        long now = System.nanoTime();
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
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        m.finish(outcome, message, nowNanos);
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

    /** The provider's own error message when the body is JSON with one, else the start of the body. */
    static String providerMessage(Buffer body) {
        String text = body.toString(StandardCharsets.UTF_8).strip();
        try {
            JsonNode node = JSON.readTree(text);
            JsonNode error = node.path("error");
            String message = error.isTextual() ? error.asText() : error.path("message").asText(null);
            if (message == null) {
                message = node.path("message").asText(null);
            }
            if (message != null) {
                text = message;
            }
        } catch (Exception notJson) {
            // keep the raw text
        }
        text = text.replaceAll("\\s+", " ");
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        String kind = t.getClass().getSimpleName();
        return message == null ? kind : kind + ": " + message;
    }
}
