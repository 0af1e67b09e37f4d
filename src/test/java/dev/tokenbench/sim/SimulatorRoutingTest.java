package dev.tokenbench.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.tokenbench.sim.SimTestSupport.await;
import static dev.tokenbench.sim.SimTestSupport.awaitLogged;
import static dev.tokenbench.sim.SimTestSupport.parseJson;
import static dev.tokenbench.sim.SimTestSupport.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine with two made-up APIs: which one serves a request, and what the engine hands it. */
class SimulatorRoutingTest {

    private static final FakeSimApi ALPHA = new FakeSimApi("alpha", "POST", "/alpha/stream", "/shared");
    private static final FakeSimApi BETA = new FakeSimApi("beta", "GET", "/beta/stream", "/shared");
    private static final String RESPONSE_ID = "[0-9a-f]{32}";
    /** What the engine wrote for the scenario's three tokens, between the encoder's head and its tail. */
    private static final String THREE_EVENTS = "\\[v1]\\[v1]\\[v1]";

    private static final int PROMPT_TOKENS = SimTestSupport.O200K_BASE.countTokens(FakeSimApi.PROMPT);

    private static Vertx vertx;
    private static Simulator simulator;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        SimScenario three = SimScenario.builder()
                .name("three")
                .headersDelay(Duration.ZERO)
                .ttft(Duration.ofMillis(2))
                .tokensPerSecond(5_000)
                .jitter(0)
                .tokensPerChunk(1)
                .outputTokens(3)
                .includeUsage(true)
                .slowShare(0)
                .slowTtft(Duration.ZERO)
                .slowTokensPerSecond(1)
                .seed(11)
                .build();
        simulator = SimTestSupport.startSimulator(vertx, List.of(ALPHA, BETA), three);
    }

    @AfterAll
    static void stop() {
        await(simulator.close());
        await(vertx.close());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static String header(HttpResponse<byte[]> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Test
    void eachApiServesItsOwnPathsWithItsOwnBytes() {
        HttpResponse<byte[]> alpha = send(simulator.port(), "POST", "/three/alpha/stream", "m",
                Map.of("x-request-id", "route-alpha"));
        assertEquals(200, alpha.statusCode(), () -> text(alpha));
        assertEquals("text/x-alpha", header(alpha, "content-type"));
        assertEquals("alpha", header(alpha, "x-api"));
        assertEquals("route-alpha", header(alpha, "x-request-id"));
        assertNull(header(alpha, "openai-processing-ms"), "only an encoder that names the header gets it");
        assertTrue(text(alpha).matches("<alpha " + RESPONSE_ID + ">" + THREE_EVENTS
                + "<end stop " + PROMPT_TOKENS + " 3 0>"), text(alpha));

        HttpResponse<byte[]> beta = send(simulator.port(), "GET", "/three/beta/stream", "m", Map.of());
        assertEquals(200, beta.statusCode(), () -> text(beta));
        assertEquals("text/x-beta", header(beta, "content-type"));
        assertTrue(text(beta).matches("<beta " + RESPONSE_ID + ">" + THREE_EVENTS
                + "<end stop " + PROMPT_TOKENS + " 3 0>"), text(beta));

        SimRequestLog logged = awaitLogged(simulator.log(), "route-alpha");
        assertEquals("three", logged.scenario());
        assertTrue(logged.completed());
        assertEquals(3, logged.outputTokens());
        assertEquals(3, logged.contentEvents());
    }

    @Test
    void theFirstApiThatHandlesAPathServesIt() {
        HttpResponse<byte[]> post = send(simulator.port(), "POST", "/three/shared", "m", Map.of());
        assertEquals("alpha", header(post, "x-api"));
        HttpResponse<byte[]> get = send(simulator.port(), "GET", "/three/shared", "m", Map.of());
        assertEquals("beta", header(get, "x-api"), "alpha handles only POST");
    }

    @Test
    void theQueryAndHeadersReachTheApisParser() {
        HttpResponse<byte[]> capped = send(simulator.port(), "GET", "/three/beta/stream?max=2", "m", Map.of());
        assertTrue(text(capped).endsWith("[v1][v1]<end length " + PROMPT_TOKENS + " 2 0>"), text(capped));
        assertEquals("false", header(capped, "x-streams-reasoning"), "the scenario has no reasoning phase");
    }

    @Test
    void aPathNoApiHandlesIsAPlainJsonNotFound() {
        for (String[] methodAndPath : new String[][] {
                {"POST", "/three/beta/stream"}, {"POST", "/alpha/stream"}, {"GET", "/three/nothing/here"}}) {
            HttpResponse<byte[]> response = send(simulator.port(), methodAndPath[0], methodAndPath[1], "m",
                    Map.of("x-request-id", "nowhere"));
            assertEquals(404, response.statusCode());
            assertEquals("application/json", header(response, "content-type"));
            assertEquals("nowhere", header(response, "x-request-id"));
            JsonNode error = parseJson(text(response)).path("error");
            assertEquals("Invalid URL (" + methodAndPath[0] + " " + methodAndPath[1] + ")",
                    error.path("message").asText());
        }
        assertNull(simulator.log().find("nowhere"), "refused requests are not streams and are not logged");
    }

    @Test
    void anUnknownScenarioIsANotFoundInTheMatchedApisShape() {
        HttpResponse<byte[]> response = send(simulator.port(), "GET", "/nope/beta/stream", "m", Map.of());
        assertEquals(404, response.statusCode());
        assertEquals("application/x-beta-error", header(response, "content-type"));
        assertEquals("beta", header(response, "x-error-from"));
        assertTrue(text(response).startsWith("beta 404 model_not_found: The scenario `nope` does not exist"),
                text(response));
        assertTrue(text(response).contains("Known scenarios: three."), text(response));
    }

    @Test
    void aRefusedRequestGetsTheApisErrorAndABrokenParserAServerError() {
        HttpResponse<byte[]> refused = send(simulator.port(), "POST", "/three/alpha/stream", "refuse",
                Map.of("x-request-id", "refused-1"));
        assertEquals(422, refused.statusCode());
        assertEquals("alpha 422 refused: refused by alpha", text(refused));
        assertEquals("alpha", header(refused, "x-error-from"));

        HttpResponse<byte[]> crashed = send(simulator.port(), "POST", "/three/alpha/stream", "crash", Map.of());
        assertEquals(500, crashed.statusCode());
        assertTrue(text(crashed).startsWith("alpha 500 null: The simulator failed to serve alpha"), text(crashed));
        assertNull(simulator.log().find("refused-1"));
    }

    @Test
    void anEncoderThatFailsMidStreamEndsThatStreamAlone() {
        try {
            HttpResponse<byte[]> response = SimTestSupport.trySend(simulator.port(), "POST", "/three/alpha/stream",
                    "crash-mid", Map.of("x-request-id", "crash-mid-1"));
            assertFalse(text(response).contains("<end"), "a broken stream must not look complete: " + text(response));
        } catch (IOException expected) {
            // the connection was reset mid-body: what the client should see
        }
        SimRequestLog logged = awaitLogged(simulator.log(), "crash-mid-1");
        assertFalse(logged.completed());
        assertEquals(1, logged.contentEvents());

        HttpResponse<byte[]> next = send(simulator.port(), "POST", "/three/alpha/stream", "m", Map.of());
        assertEquals(200, next.statusCode(), "the simulator goes on serving");
    }
}
