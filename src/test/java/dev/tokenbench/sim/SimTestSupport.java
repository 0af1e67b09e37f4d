package dev.tokenbench.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.tokenbench.provider.ProviderRegistry;
import io.vertx.core.Future;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A plain client for the simulator (the JDK's, not tokenbench's engine) and an SSE reader for its answers. */
public final class SimTestSupport {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final Encoding O200K_BASE = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private SimTestSupport() {
    }

    public static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("future did not complete", e);
        }
    }

    public static Simulator startSimulator(io.vertx.core.Vertx vertx, SimScenario... scenarios) {
        return await(Simulator.start(vertx, config(scenarios), "127.0.0.1", 0,
                ProviderRegistry.defaults().simApis()));
    }

    /** A simulator that speaks only {@code apis}, in that routing order. */
    public static Simulator startSimulator(io.vertx.core.Vertx vertx, List<SimApi> apis, SimScenario... scenarios) {
        return await(Simulator.start(vertx, config(scenarios), "127.0.0.1", 0, apis));
    }

    private static SimConfig config(SimScenario... scenarios) {
        Map<String, SimScenario> byName = new LinkedHashMap<>();
        for (SimScenario scenario : scenarios) {
            byName.put(scenario.name(), scenario);
        }
        return new SimConfig(byName);
    }

    /** POSTs to 127.0.0.1 and reads the whole answer; {@code requestId} null sends no x-request-id. */
    public static HttpResponse<byte[]> post(int port, String path, String body, String requestId) {
        Map<String, String> headers = requestId == null ? Map.of() : Map.of("x-request-id", requestId);
        return send(port, "POST", path, body, headers);
    }

    /** Sends to 127.0.0.1 and reads the whole answer, failing the test if the exchange breaks. */
    public static HttpResponse<byte[]> send(int port, String method, String path, String body, Map<String, String> headers) {
        try {
            return trySend(port, method, path, body, headers);
        } catch (IOException e) {
            throw new AssertionError("request failed", e);
        }
    }

    /** As {@link #send}, for a test that expects the server to break the exchange. */
    public static HttpResponse<byte[]> trySend(int port, String method, String path, String body,
            Map<String, String> headers) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public static String chatBody(String extraFields) {
        return "{\"model\":\"sim-model\",\"stream\":true,\"messages\":["
                + "{\"role\":\"system\",\"content\":\"You are terse.\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Name three rivers in Europe.\"}]}]"
                + (extraFields.isEmpty() ? "" : "," + extraFields) + "}";
    }

    /**
     * The payloads of the SSE events in {@code body}, framed on bytes: each event must be exactly one
     * {@code data: …} line followed by a blank line, and the body must end with a complete event.
     */
    public static List<String> ssePayloads(byte[] body) {
        List<String> payloads = new ArrayList<>();
        int start = 0;
        for (int i = 0; i + 1 < body.length; i++) {
            if (body[i] == '\n' && body[i + 1] == '\n') {
                String event = new String(body, start, i - start, StandardCharsets.UTF_8);
                assertTrue(event.startsWith("data: "), "event must be a data line: " + event);
                assertTrue(event.indexOf('\n') < 0, "event must be one line: " + event);
                payloads.add(event.substring("data: ".length()));
                start = i + 2;
                i++;
            }
        }
        if (start != body.length) {
            fail("body ends with an incomplete event: "
                    + new String(body, start, body.length - start, StandardCharsets.UTF_8));
        }
        return payloads;
    }

    public static JsonNode parseJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /**
     * The log entry for a request, waiting briefly: the simulator logs right after its last write, so a fast client
     * can have the whole response a moment before the entry exists.
     */
    public static SimRequestLog awaitLogged(SimLog log, String requestId) {
        long deadlineNanos = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadlineNanos) {
            SimRequestLog entry = log.find(requestId);
            if (entry != null) {
                return entry;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("request " + requestId + " was not logged within 5 s");
    }

    /** Milliseconds this JVM's collectors have spent so far, as their MXBeans count them. */
    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    public static double millis(long nanos) {
        return nanos / 1e6;
    }

    /** Checks one stream's log: asserts invariants, returns a description of a broken tolerance or null. */
    interface ScheduleCheck {
        String lateness(SimRequestLog entry);
    }

    /**
     * Streams until a stream passes {@code check}'s tolerances, at most {@code attempts} times, and returns that
     * stream's log. Invariants (nothing early, exact counts) fail at once; tolerances (late by at most a few ms) can
     * be broken by the OS alone, which on a shared 2-core box deschedules the event loop for tens of ms now and then,
     * so they get another stream, a little later each time: a scheduling bug breaks every attempt, a descheduled
     * thread rarely every time.
     *
     * @param stream sends one request with the given x-request-id and returns when its response is read
     */
    public static SimRequestLog streamOnSchedule(SimLog log, String requestIdPrefix, int attempts,
            java.util.function.Consumer<String> stream, ScheduleCheck check) {
        List<String> broken = new ArrayList<>();
        for (int attempt = 1; attempt <= attempts; attempt++) {
            String requestId = requestIdPrefix + "-" + attempt;
            long gcBefore = gcMillis();
            stream.accept(requestId);
            SimRequestLog entry = awaitLogged(log, requestId);
            String lateness = check.lateness(entry);
            if (lateness == null) {
                return entry;
            }
            // The JVM's own collector pauses every thread, the simulator's event loop too: said beside the
            // lateness, so that a failure tells a pause of this JVM from a scheduling bug.
            broken.add(requestId + ": " + lateness + " (GC paused this JVM " + (gcMillis() - gcBefore)
                    + " ms meanwhile)");
            // A stall of the host lasts a while: the next attempt waits longer each time, so that the attempts
            // spread over several seconds instead of all falling inside one disturbance.
            try {
                Thread.sleep(250L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return fail("late in every one of " + attempts + " streams: " + broken);
    }

    /** An invariant: the simulator writes no event earlier than its due time less {@link SimStream#DUE_SLACK_NANOS}. */
    public static void assertNotEarly(long dueNanos, long actualNanos, String what) {
        assertTrue(actualNanos >= dueNanos - SimStream.DUE_SLACK_NANOS, what + ": due at " + millis(dueNanos)
                + " ms, written early at " + millis(actualNanos) + " ms");
    }

    /**
     * A tolerance: null when {@code actualNanos} is at most {@code toleranceNanos} after {@code dueNanos}. One-sided,
     * because the other side, early, is an invariant ({@link #assertNotEarly}).
     */
    public static String lateness(long dueNanos, long actualNanos, long toleranceNanos, String what) {
        return actualNanos - dueNanos <= toleranceNanos ? null : what + ": due at " + millis(dueNanos) + " ms + "
                + millis(toleranceNanos) + " ms, was " + millis(actualNanos) + " ms";
    }
}
