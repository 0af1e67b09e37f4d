package dev.tokenbench.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.provider.openai.OpenAiChatSimApi;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.tokenbench.sim.SimTestSupport.O200K_BASE;
import static dev.tokenbench.sim.SimTestSupport.assertNotEarly;
import static dev.tokenbench.sim.SimTestSupport.await;
import static dev.tokenbench.sim.SimTestSupport.awaitLogged;
import static dev.tokenbench.sim.SimTestSupport.chatBody;
import static dev.tokenbench.sim.SimTestSupport.lateness;
import static dev.tokenbench.sim.SimTestSupport.parseJson;
import static dev.tokenbench.sim.SimTestSupport.post;
import static dev.tokenbench.sim.SimTestSupport.send;
import static dev.tokenbench.sim.SimTestSupport.ssePayloads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reasoning phase: 9 reasoning tokens then 10 visible ones, 2 per event at 200 tokens/s (an event every 10 ms),
 * first output at 50 ms. Streamed, that is 5 reasoning events from 50 ms and 5 visible ones from 100 ms; hidden, it
 * is a silent 45 ms (9 tokens / 200 per s) and 5 visible events from 95 ms. Lateness is retried as in
 * {@link SimulatorScheduleIT}; being early, a wrong count or a wrong order fails at once.
 */
class SimulatorReasoningTest {

    private static final long TTFT_NANOS = 50_000_000;
    private static final long GAP_NANOS = 10_000_000;
    private static final long HIDDEN_PHASE_NANOS = 45_000_000;
    private static final long FIRST_EVENT_TOLERANCE_NANOS = 3_000_000;
    private static final long EVENT_TOLERANCE_NANOS = 5_000_000;
    private static final int ATTEMPTS = 5;
    private static final String ASK_FOR_REASONING = "x-show-reasoning";

    private static Vertx vertx;
    private static Simulator simulator;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        simulator = SimTestSupport.startSimulator(vertx,
                List.of(new OpenAiChatSimApi(), new FakeSimApi("fake", "POST", "/fake")),
                reasoningScenario("think", true), reasoningScenario("hidden", false));
    }

    private static SimScenario reasoningScenario(String name, boolean reasoningVisible) {
        return SimScenario.builder()
                .name(name)
                .headersDelay(Duration.ZERO)
                .ttft(Duration.ofNanos(TTFT_NANOS))
                .tokensPerSecond(200)
                .jitter(0)
                .tokensPerChunk(2)
                .outputTokens(10)
                .includeUsage(true)
                .slowShare(0)
                .slowTtft(Duration.ZERO)
                .slowTokensPerSecond(1)
                .seed(21)
                .reasoningTokens(9)
                .reasoningVisible(reasoningVisible)
                .build();
    }

    @AfterAll
    static void stop() {
        await(simulator.close());
        await(vertx.close());
    }

    /** An OpenAI chat stream split into its kinds of chunk. */
    private record ChatStream(List<String> reasoningDeltas, List<String> contentDeltas, JsonNode usage,
            List<String> order) {

        static ChatStream read(HttpResponse<byte[]> response) {
            assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
            List<String> payloads = ssePayloads(response.body());
            assertEquals("[DONE]", payloads.get(payloads.size() - 1));
            List<String> reasoning = new ArrayList<>();
            List<String> content = new ArrayList<>();
            List<String> order = new ArrayList<>();
            JsonNode usage = null;
            for (String payload : payloads.subList(0, payloads.size() - 1)) {
                JsonNode chunk = parseJson(payload);
                JsonNode delta = chunk.path("choices").path(0).path("delta");
                if (delta.has("role")) {
                    order.add("role");
                } else if (delta.has("reasoning_content")) {
                    reasoning.add(delta.path("reasoning_content").asText());
                    order.add("reasoning");
                } else if (delta.has("content")) {
                    content.add(delta.path("content").asText());
                    order.add("content");
                } else if (chunk.path("usage").isObject()) {
                    usage = chunk.path("usage");
                    order.add("usage");
                } else {
                    order.add("finish");
                }
            }
            return new ChatStream(reasoning, content, usage, order);
        }

        int tokens(List<String> deltas) {
            return O200K_BASE.countTokens(String.join("", deltas));
        }
    }

    @Test
    void visibleReasoningStreamsFirstThenTheAnswerOnOneAbsoluteSchedule() {
        String body = chatBody("\"stream_options\":{\"include_usage\":true}");
        SimRequestLog log = SimTestSupport.streamOnSchedule(simulator.log(), "visible", ATTEMPTS, requestId -> {
            ChatStream stream = ChatStream.read(post(simulator.port(), "/think/v1/chat/completions", body,
                    requestId));
            assertEquals(List.of("role", "reasoning", "reasoning", "reasoning", "reasoning", "reasoning",
                    "content", "content", "content", "content", "content", "finish", "usage"), stream.order());
            assertEquals(9, stream.tokens(stream.reasoningDeltas()));
            assertEquals(10, stream.tokens(stream.contentDeltas()));
            assertEquals(19, stream.usage().path("completion_tokens").asInt(), "OpenAI counts reasoning in it");
            assertEquals(9, stream.usage().path("completion_tokens_details").path("reasoning_tokens").asInt());
        }, entry -> {
            long[] stamps = entry.contentEventWrittenNanos();
            assertEquals(10, entry.contentEvents());
            assertEquals(5, entry.reasoningEvents());
            assertEquals(19, entry.outputTokens());
            assertEquals(9, entry.reasoningTokens());
            assertEquals(stamps[0], entry.firstOutputWrittenNanos());
            assertEquals(stamps[5], entry.firstTokenWrittenNanos(), "the first visible event follows the reasoning");
            return onSchedule(entry, TTFT_NANOS);
        });
        assertTrue(log.ttftNanos() >= TTFT_NANOS + 5 * GAP_NANOS - SimStream.DUE_SLACK_NANOS);
    }

    @Test
    void hiddenReasoningIsASilentDelayCountedInUsage() {
        String body = chatBody("\"stream_options\":{\"include_usage\":true}");
        SimTestSupport.streamOnSchedule(simulator.log(), "hidden", ATTEMPTS, requestId -> {
            ChatStream stream = ChatStream.read(post(simulator.port(), "/hidden/v1/chat/completions", body,
                    requestId));
            assertEquals(List.of("role", "content", "content", "content", "content", "content", "finish", "usage"),
                    stream.order());
            assertEquals(10, stream.tokens(stream.contentDeltas()));
            assertEquals(19, stream.usage().path("completion_tokens").asInt());
            assertEquals(9, stream.usage().path("completion_tokens_details").path("reasoning_tokens").asInt());
        }, entry -> {
            assertEquals(5, entry.contentEvents());
            assertEquals(0, entry.reasoningEvents());
            assertEquals(19, entry.outputTokens());
            assertEquals(9, entry.reasoningTokens());
            assertEquals(entry.firstTokenWrittenNanos(), entry.firstOutputWrittenNanos(), "nothing before the answer");
            return onSchedule(entry, TTFT_NANOS + HIDDEN_PHASE_NANOS);
        });
    }

    @Test
    void reasoningIsStreamedOnlyWhenTheRequestAsksForIt() {
        String fakeEnd = "<end stop " + O200K_BASE.countTokens(FakeSimApi.PROMPT) + " 10 9>";
        HttpResponse<byte[]> asked = send(simulator.port(), "POST", "/think/fake", "m",
                Map.of(ASK_FOR_REASONING, "yes", "x-request-id", "asked"));
        assertEquals("true", asked.headers().firstValue("x-streams-reasoning").orElse(null));
        assertTrue(text(asked).endsWith(">[r2][r2][r2][r2][r1][v2][v2][v2][v2][v2]" + fakeEnd), text(asked));

        HttpResponse<byte[]> notAsked = send(simulator.port(), "POST", "/think/fake", "m",
                Map.of("x-request-id", "not-asked"));
        assertEquals("false", notAsked.headers().firstValue("x-streams-reasoning").orElse(null));
        assertTrue(text(notAsked).endsWith(">[v2][v2][v2][v2][v2]" + fakeEnd), text(notAsked));
        SimRequestLog hidden = awaitLogged(simulator.log(), "not-asked");
        assertEquals(9, hidden.reasoningTokens());
        assertNotEarly(TTFT_NANOS + HIDDEN_PHASE_NANOS, hidden.ttftNanos(), "first token after the hidden phase");

        HttpResponse<byte[]> hiddenAnyway = send(simulator.port(), "POST", "/hidden/fake", "m",
                Map.of(ASK_FOR_REASONING, "yes"));
        assertTrue(text(hiddenAnyway).endsWith(">[v2][v2][v2][v2][v2]" + fakeEnd),
                "a scenario whose reasoning is not visible hides it from every request: " + text(hiddenAnyway));
    }

    /**
     * Event k of {@code entry} is due at {@code firstEventNanos} + k × gap: asserts none is early, returns the
     * first that is late beyond tolerance, or null.
     */
    private static String onSchedule(SimRequestLog entry, long firstEventNanos) {
        long[] stamps = entry.contentEventWrittenNanos();
        for (int k = 0; k < stamps.length; k++) {
            assertNotEarly(firstEventNanos + k * GAP_NANOS, stamps[k] - entry.receivedNanos(), "event " + k);
        }
        String late = null;
        for (int k = 0; late == null && k < stamps.length; k++) {
            late = lateness(firstEventNanos + k * GAP_NANOS, stamps[k] - entry.receivedNanos(),
                    k == 0 ? FIRST_EVENT_TOLERANCE_NANOS : EVENT_TOLERANCE_NANOS, "event " + k);
        }
        return late;
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
