package dev.tokenbench.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static dev.tokenbench.sim.SimTestSupport.O200K_BASE;
import static dev.tokenbench.sim.SimTestSupport.await;
import static dev.tokenbench.sim.SimTestSupport.awaitLogged;
import static dev.tokenbench.sim.SimTestSupport.chatBody;
import static dev.tokenbench.sim.SimTestSupport.parseJson;
import static dev.tokenbench.sim.SimTestSupport.post;
import static dev.tokenbench.sim.SimTestSupport.ssePayloads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stream on the wire: OpenAI's chunk shapes, the usage rules, token counts, errors and request ids. */
class SimulatorWireTest {

    private static final String PATH = "/fast/v1/chat/completions";

    private static Vertx vertx;
    private static Simulator simulator;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        simulator = SimTestSupport.startSimulator(vertx,
                fastScenario("fast", null, true, 1),
                fastScenario("nousage", null, false, 1),
                fastScenario("fixed", 5, true, 1),
                fastScenario("chunked", 10, true, 3));
    }

    @AfterAll
    static void stop() {
        await(simulator.close());
        await(vertx.close());
    }

    private static SimScenario fastScenario(String name, Integer outputTokens, boolean includeUsage, int perChunk) {
        return SimScenario.builder()
                .name(name)
                .headersDelay(Duration.ZERO)
                .ttft(Duration.ofMillis(5))
                .tokensPerSecond(5_000)
                .jitter(0)
                .tokensPerChunk(perChunk)
                .outputTokens(outputTokens)
                .includeUsage(includeUsage)
                .slowShare(0)
                .slowTtft(Duration.ZERO)
                .slowTokensPerSecond(1)
                .seed(7)
                .build();
    }

    /** A parsed stream: its chunks in order, with the [DONE] sentinel checked and removed. */
    private record Stream(HttpResponse<byte[]> response, List<JsonNode> chunks) {

        static Stream read(HttpResponse<byte[]> response) {
            assertEquals(200, response.statusCode(), () -> new String(response.body()));
            List<String> payloads = ssePayloads(response.body());
            assertFalse(payloads.isEmpty());
            assertEquals("[DONE]", payloads.get(payloads.size() - 1), "the stream ends with data: [DONE]");
            List<JsonNode> chunks = new ArrayList<>();
            for (String payload : payloads.subList(0, payloads.size() - 1)) {
                chunks.add(parseJson(payload));
            }
            return new Stream(response, chunks);
        }

        List<JsonNode> contentChunks() {
            return chunks.stream()
                    .filter(c -> c.path("choices").size() == 1 && c.path("choices").get(0).path("delta").has("content")
                            && !c.path("choices").get(0).path("delta").has("role"))
                    .toList();
        }

        String text() {
            StringBuilder text = new StringBuilder();
            for (JsonNode chunk : contentChunks()) {
                text.append(chunk.path("choices").get(0).path("delta").path("content").asText());
            }
            return text.toString();
        }
    }

    @Test
    void streamsOpenAiChunksInOrderWithUsage() {
        String body = chatBody("\"max_tokens\":20,\"stream_options\":{\"include_usage\":true}");
        Stream stream = Stream.read(post(simulator.port(), PATH, body, "wire-usage-1"));

        HttpResponse<byte[]> response = stream.response();
        assertEquals("text/event-stream; charset=utf-8", response.headers().firstValue("content-type").orElse(null));
        assertEquals("chunked", response.headers().firstValue("transfer-encoding").orElse(null));
        assertEquals("wire-usage-1", response.headers().firstValue("x-request-id").orElse(null));
        assertTrue(response.headers().firstValue("openai-processing-ms").orElse("x").matches("\\d+"));

        List<JsonNode> chunks = stream.chunks();
        assertEquals(1 + 20 + 1 + 1, chunks.size(), "role, 20 content, finish, usage");
        JsonNode first = chunks.get(0);
        String id = first.path("id").asText();
        assertTrue(id.matches("chatcmpl-[A-Za-z0-9]{29}"), id);
        assertTrue(first.path("system_fingerprint").asText().matches("fp_[0-9a-f]{10}"));
        for (JsonNode chunk : chunks) {
            assertEquals(List.of("id", "object", "created", "model", "system_fingerprint", "choices", "usage"),
                    fieldNames(chunk), chunk::toString);
            assertEquals(id, chunk.path("id").asText());
            assertEquals("chat.completion.chunk", chunk.path("object").asText());
            assertTrue(chunk.path("created").isIntegralNumber());
            assertEquals("sim-model", chunk.path("model").asText());
            assertEquals(first.path("system_fingerprint"), chunk.path("system_fingerprint"));
        }

        assertEquals(parseJson("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
                + "\"logprobs\":null,\"finish_reason\":null}"), first.path("choices").get(0));
        assertTrue(first.get("usage").isNull());
        for (JsonNode chunk : chunks.subList(1, 21)) {
            JsonNode choice = chunk.path("choices").get(0);
            assertEquals(List.of("index", "delta", "logprobs", "finish_reason"), fieldNames(choice));
            assertEquals(List.of("content"), fieldNames(choice.path("delta")));
            assertTrue(choice.path("finish_reason").isNull());
            assertTrue(chunk.get("usage").isNull());
        }
        JsonNode finish = chunks.get(21);
        assertEquals(parseJson("{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"length\"}"),
                finish.path("choices").get(0));
        assertTrue(finish.get("usage").isNull());

        JsonNode usageChunk = chunks.get(22);
        assertEquals(0, usageChunk.path("choices").size());
        int promptTokens = O200K_BASE.countTokens("You are terse.")
                + O200K_BASE.countTokens("Name three rivers in Europe.");
        assertEquals(parseJson("{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":20,\"total_tokens\":"
                + (promptTokens + 20) + ",\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
                + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}"), usageChunk.get("usage"));
    }

    @Test
    void leavesUsageOutWhenNotRequested() {
        Stream stream = Stream.read(post(simulator.port(), PATH, chatBody("\"max_tokens\":4"), null));
        assertEquals(1 + 4 + 1, stream.chunks().size(), "role, 4 content, finish; no usage chunk");
        for (JsonNode chunk : stream.chunks()) {
            assertFalse(chunk.has("usage"), "OpenAI omits the usage field unless usage was requested: " + chunk);
            assertEquals(1, chunk.path("choices").size());
        }
    }

    @Test
    void leavesUsageOutWhenTheScenarioHasNone() {
        String body = chatBody("\"max_tokens\":4,\"stream_options\":{\"include_usage\":true}");
        Stream stream = Stream.read(post(simulator.port(), "/nousage/v1/chat/completions", body, null));
        assertEquals(1 + 4 + 1, stream.chunks().size());
        for (JsonNode chunk : stream.chunks()) {
            assertFalse(chunk.has("usage"), chunk::toString);
        }
    }

    @Test
    void sendsTheRequestedNumberOfTokensAndATokenizerAgrees() {
        String body = chatBody("\"max_completion_tokens\":37,\"max_tokens\":5");
        Stream stream = Stream.read(post(simulator.port(), PATH, body, null));
        assertEquals(37, stream.contentChunks().size(), "max_completion_tokens wins over max_tokens");
        for (JsonNode chunk : stream.contentChunks()) {
            assertEquals(1, O200K_BASE.countTokens(chunk.path("choices").get(0).path("delta").path("content").asText()));
        }
        assertEquals(37, O200K_BASE.countTokens(stream.text()));
    }

    @Test
    void sendsSixtyFourTokensWhenNothingSetsALength() {
        Stream stream = Stream.read(post(simulator.port(), PATH, chatBody(""), null));
        assertEquals(64, stream.contentChunks().size());
        assertEquals("stop", finishReason(stream));
    }

    @Test
    void scenarioLengthStopsNaturallyButNeverExceedsTheRequestLimit() {
        Stream natural = Stream.read(post(simulator.port(), "/fixed/v1/chat/completions", chatBody(""), null));
        assertEquals(5, natural.contentChunks().size());
        assertEquals("stop", finishReason(natural));

        Stream capped = Stream.read(post(simulator.port(), "/fixed/v1/chat/completions",
                chatBody("\"max_tokens\":3"), null));
        assertEquals(3, capped.contentChunks().size());
        assertEquals("length", finishReason(capped));
    }

    @Test
    void packsTokensPerChunkWithAShorterLastChunk() {
        String body = chatBody("\"stream_options\":{\"include_usage\":true}");
        Stream stream = Stream.read(post(simulator.port(), "/chunked/v1/chat/completions", body, "chunked-1"));
        List<Integer> tokensPerEvent = new ArrayList<>();
        for (JsonNode chunk : stream.contentChunks()) {
            tokensPerEvent.add(O200K_BASE.countTokens(chunk.path("choices").get(0).path("delta").path("content").asText()));
        }
        assertEquals(List.of(3, 3, 3, 1), tokensPerEvent);
        JsonNode usage = stream.chunks().get(stream.chunks().size() - 1).get("usage");
        assertEquals(10, usage.path("completion_tokens").asInt());

        SimRequestLog logged = awaitLogged(simulator.log(), "chunked-1");
        assertEquals(10, logged.outputTokens());
        assertEquals(4, logged.contentEvents());
        assertEquals(4, logged.contentEventWrittenNanos().length);
    }

    @Test
    void echoesTheRequestIdAndLogsTheRequestUnderIt() {
        post(simulator.port(), PATH, chatBody("\"max_tokens\":3"), "echo-42");
        SimRequestLog logged = awaitLogged(simulator.log(), "echo-42");
        assertEquals("fast", logged.scenario());
        assertTrue(logged.completed());
        assertEquals(3, logged.outputTokens());
        assertTrue(logged.receivedNanos() <= logged.headersWrittenNanos());
        assertTrue(logged.headersWrittenNanos() <= logged.firstTokenWrittenNanos());
        assertEquals(logged.firstTokenWrittenNanos(), logged.contentEventWrittenNanos()[0]);
        assertTrue(logged.contentEventWrittenNanos()[2] <= logged.endWrittenNanos());
    }

    @Test
    void generatesARequestIdWhenTheClientSendsNone() {
        HttpResponse<byte[]> response = post(simulator.port(), PATH, chatBody("\"max_tokens\":2"), null);
        String requestId = response.headers().firstValue("x-request-id").orElseThrow();
        assertTrue(requestId.matches("req_[0-9a-f]{32}"), requestId);
        assertEquals(requestId, awaitLogged(simulator.log(), requestId).requestId());
    }

    @Test
    void unknownScenarioIsAnOpenAiModelNotFound() {
        HttpResponse<byte[]> response = post(simulator.port(), "/nope/v1/chat/completions", chatBody(""), "missing-1");
        assertEquals(404, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("content-type").orElse(null));
        JsonNode error = assertOpenAiError(response);
        assertEquals("model_not_found", error.path("code").asText());
        assertTrue(error.path("param").isNull());
        assertTrue(error.path("message").asText().contains("nope"));
        assertNull(simulator.log().find("missing-1"), "refused requests are not streams and are not logged");
    }

    @Test
    void otherPathsAreInvalidUrls() {
        HttpResponse<byte[]> response = post(simulator.port(), "/v1/chat/completions", chatBody(""), null);
        assertEquals(404, response.statusCode());
        JsonNode error = assertOpenAiError(response);
        assertTrue(error.path("code").isNull());
        assertEquals("Invalid URL (POST /v1/chat/completions)", error.path("message").asText());
    }

    @Test
    void refusesWhatItCannotServe() {
        String nonStreaming = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpResponse<byte[]> response = post(simulator.port(), PATH, nonStreaming, null);
        assertEquals(400, response.statusCode());
        assertEquals("stream", assertOpenAiError(response).path("param").asText());

        response = post(simulator.port(), PATH, "{not json", null);
        assertEquals(400, response.statusCode());
        assertOpenAiError(response);

        response = post(simulator.port(), PATH, chatBody("\"max_tokens\":0"), null);
        assertEquals(400, response.statusCode());
        assertEquals("integer_below_min_value", assertOpenAiError(response).path("code").asText());
    }

    private static JsonNode assertOpenAiError(HttpResponse<byte[]> response) {
        JsonNode root = parseJson(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(List.of("error"), fieldNames(root));
        JsonNode error = root.get("error");
        assertEquals(List.of("message", "type", "param", "code"), fieldNames(error));
        assertEquals("invalid_request_error", error.path("type").asText());
        return error;
    }

    private static String finishReason(Stream stream) {
        for (JsonNode chunk : stream.chunks()) {
            JsonNode reason = chunk.path("choices").path(0).path("finish_reason");
            if (reason.isTextual()) {
                return reason.asText();
            }
        }
        return null;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
