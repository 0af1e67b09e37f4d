package dev.tokenbench.run;

import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.PreparedRequest;
import dev.tokenbench.provider.ProviderApi;
import dev.tokenbench.provider.StreamDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.CharsetUtil;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * t_send is when the request's bytes went to the socket (issue 16: the stamp ran 0.3 ms ahead of the wire at the
 * median), and a request started inside another's read is flushed at once, not when that read ends. Against a
 * Vert.x server on 127.0.0.1; the figures themselves come from bench/wire.sh.
 */
class SendPathTest {
    private Vertx vertx;

    @AfterEach
    void close() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theStampCountsOnlyFlushesThatCarryBytes() {
        SendStamp stamp = new SendStamp();
        EmbeddedChannel channel = new EmbeddedChannel(stamp);
        channel.flush();
        assertEquals(0, stamp.flushes(), "a flush with nothing written sends nothing");
        channel.write(channel.alloc().buffer().writeBytes("POST / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, stamp.flushes(), "written, not yet flushed");
        long before = System.nanoTime();
        channel.flush();
        long after = System.nanoTime();
        assertEquals(1, stamp.flushes());
        assertTrue(stamp.lastFlushNanos() >= before && stamp.lastFlushNanos() <= after);
        ByteBuf sent = channel.readOutbound();
        assertEquals("POST / HTTP/1.1\r\n\r\n", sent.toString(CharsetUtil.US_ASCII), "bytes pass through unchanged");
        sent.release();
        channel.flush();
        assertEquals(1, stamp.flushes());
        channel.finishAndReleaseAll();
    }

    /**
     * A closed loop's next request starts from the last one's end, inside the read of the connection it then gets
     * (one connection here). Vert.x holds such a write's flush until the read is over; the exchange flushes it
     * itself, so its t_send is the flush that carried it to the socket, the connection's last one.
     */
    @Test
    void aRequestStartedInsideAReadGoesAtOnceAndIsStampedAtTheSocket() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body ->
                request.response().putHeader("content-type", "text/event-stream").end("data: [DONE]\n\n")));
        int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .actualPort();
        ConnectionTracker tracker = new ConnectionTracker();
        AtomicReference<HttpConnection> connection = new AtomicReference<>();
        HttpClient client = vertx.httpClientBuilder().with(new HttpClientOptions().setKeepAlive(true))
                .with(new PoolOptions().setHttp1MaxSize(1))
                .withConnectHandler(c -> {
                    tracker.onConnected(c);
                    connection.set(c);
                }).build();
        PreparedRequest request = new PreparedRequest("POST", "http://127.0.0.1:" + port + "/v1/chat/completions",
                Map.of("content-type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8));
        List<RequestMeasurement> done = new CopyOnWriteArrayList<>();
        CompletableFuture<Long> lastFlushAfterSecond = new CompletableFuture<>();
        Context context = vertx.getOrCreateContext();
        context.runOnContext(v -> exchange(client, request, tracker, "first", first -> {
            done.add(first);
            // On the end of the first response: inside the connection's read.
            exchange(client, request, tracker, "second", second -> {
                done.add(second);
                lastFlushAfterSecond.complete(tracker.socket(connection.get()).stamp().lastFlushNanos());
            }).start();
        }).start());
        long lastFlush = lastFlushAfterSecond.get(20, TimeUnit.SECONDS);
        assertEquals(2, done.size());
        for (RequestMeasurement m : done) {
            assertEquals(Outcome.OK, m.outcome, m.requestId + ": " + m.error);
            assertTrue(m.sentNanos >= m.askedNanos && m.headersNanos > m.sentNanos, m.requestId);
        }
        assertNotNull(tracker.socket(connection.get()), "the connection has its stamp next to the socket");
        assertEquals(lastFlush, done.get(1).sentNanos,
                "the second request's t_send is the flush that carried it, not a later one when the read ended");
    }

    private static StreamingExchange exchange(HttpClient client, PreparedRequest request, ConnectionTracker tracker,
            String id, Handler<RequestMeasurement> onDone) {
        RequestMeasurement m = new RequestMeasurement(id, 0, 0, false, "p", null);
        ProviderApi endsAtDone = new ProviderApi() {
            @Override
            public String name() {
                return "ends-at-done";
            }

            @Override
            public PreparedRequest prepare(TargetSpec target, String baseUrl, Prompt prompt, int maxOutputTokens) {
                return request;
            }

            @Override
            public StreamDecoder newDecoder(RequestMeasurement measurement) {
                return new StreamDecoder() {
                    @Override
                    public void onBytes(byte[] buf, int off, int len, long arrivalNanos) {
                        measurement.onStreamEnd(arrivalNanos);
                    }

                    @Override
                    public void onBodyEnd(long arrivalNanos) {
                    }
                };
            }
        };
        long timeoutNanos = TimeUnit.SECONDS.toNanos(10);
        Vertx vertx = Vertx.currentContext().owner();
        return new StreamingExchange(new StreamingExchange.Transport(vertx, endsAtDone, tracker, timeoutNanos,
                timeoutNanos), client, request, Map.of(), m, onDone);
    }
}
