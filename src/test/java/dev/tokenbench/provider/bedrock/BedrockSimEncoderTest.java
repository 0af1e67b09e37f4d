package dev.tokenbench.provider.bedrock;

import dev.tokenbench.sim.SimError;
import dev.tokenbench.sim.SimRequest;
import dev.tokenbench.sim.SimRequestException;
import dev.tokenbench.sim.SimResponseFacts;
import dev.tokenbench.sim.SimVocabulary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.config.Pricing;
import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.ProviderAccess;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.PreparedRequest;
import dev.tokenbench.provider.StreamReplay;
import dev.tokenbench.provider.bedrock.BedrockConverseApi;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

/**
 * The simulator's Bedrock side against tokenbench's Bedrock client, by round trip: a request prepared by
 * BedrockConverseApi is parsed by BedrockSimApi, the encoder's bytes are valid event-stream frames for the AWS
 * SDK's decoder, and tokenbench's decoder reads them back (cut at every offset) with the exact counts.
 */
class BedrockSimEncoderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BedrockSimApi simApi = new BedrockSimApi();

    private static TargetSpec target(Map<String, Object> params) {
        return TargetSpec.builder()
                .name("bedrock")
                .api(BedrockConverseApi.NAME)
                .baseUrl("http://127.0.0.1:1/steady")
                .model("us.anthropic.claude-sonnet-4-20250514-v1:0")
                .deployment(null)
                .apiVersion(null)
                .apiKey(null)
                .pricing(Pricing.NONE)
                .labels(Map.of())
                .params(params)
                .maxOutputTokens(null)
                .maxTokensField(null)
                .tokenizer("o200k_base")
                .access(ProviderAccess.NONE)
                .build();
    }

    private SimRequest parsePrepared(TargetSpec target, int maxTokens) throws SimRequestException {
        PreparedRequest prepared = new BedrockConverseApi().prepare(target, target.baseUrl(),
                new Prompt("p", "Be brief.", "Describe the sea.", null), maxTokens);
        String path = URI.create(prepared.absoluteUri()).getRawPath().substring("/steady".length());
        assertTrue(simApi.handles("POST", path), path);
        return simApi.parse(path, null, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(prepared.body()));
    }

    @Test
    void parsesWhatTokenbenchSends() throws Exception {
        SimRequest plain = parsePrepared(target(null), 300);
        assertEquals("us.anthropic.claude-sonnet-4-20250514-v1:0", plain.model());
        assertEquals(300, plain.maxTokens());
        assertTrue(plain.includeUsage());
        assertEquals(List.of("Be brief.", "Describe the sea."), plain.promptTexts());
        assertFalse(plain.wantsReasoning());

        SimRequest thinking = parsePrepared(target(Map.of("thinking", Map.of("type", "enabled",
                "budget_tokens", 1024))), 0);
        assertNull(thinking.maxTokens());
        assertTrue(thinking.wantsReasoning());
        assertTrue(parsePrepared(target(Map.of("reasoningConfig", Map.of("type", "enabled"))), 10).wantsReasoning());
    }

    @Test
    void routesOnlyConverseStreamPaths() {
        assertTrue(simApi.handles("POST", "/model/amazon.nova-pro-v1%3A0/converse-stream"));
        assertFalse(simApi.handles("GET", "/model/amazon.nova-pro-v1%3A0/converse-stream"));
        assertFalse(simApi.handles("POST", "/model/a/b/converse-stream"));
        assertFalse(simApi.handles("POST", "/model//converse-stream"));
        assertFalse(simApi.handles("POST", "/model/m/converse"));
        assertFalse(simApi.handles("POST", "/v1/chat/completions"));
        assertEquals("arn:aws:bedrock:us-east-1:1:inference-profile/x",
                BedrockSimApi.percentDecode("arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2Fx"));
        assertEquals("a+b%zz%", BedrockSimApi.percentDecode("a+b%zz%"));
    }

    @Test
    void refusesWhatBedrockRefusesWithItsErrorShape() throws Exception {
        String path = "/model/m/converse-stream";
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        SimRequestException notJson = assertThrows(SimRequestException.class,
                () -> simApi.parse(path, null, headers, Buffer.buffer("{nope")));
        assertEquals(400, notJson.statusCode);
        SimRequestException noMessages = assertThrows(SimRequestException.class,
                () -> simApi.parse(path, null, headers, Buffer.buffer("{\"inferenceConfig\":{}}")));
        assertTrue(noMessages.getMessage().contains("'messages'"), noMessages.getMessage());
        SimRequestException zeroTokens = assertThrows(SimRequestException.class, () -> simApi.parse(path, null,
                headers, Buffer.buffer("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}],"
                        + "\"inferenceConfig\":{\"maxTokens\":0}}")));
        assertTrue(zeroTokens.getMessage().contains("inferenceConfig.maxTokens"), zeroTokens.getMessage());

        SimError refused = simApi.error(zeroTokens);
        assertEquals(400, refused.status());
        assertEquals("application/json", refused.contentType());
        assertEquals("ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/",
                refused.headers().get("x-amzn-ErrorType"));
        assertEquals(zeroTokens.getMessage(), JSON.readTree(refused.body().getBytes()).get("message").asText());

        SimError throttled = simApi.error(429, "Too many requests, please wait before trying again.", null);
        assertTrue(throttled.headers().get("x-amzn-ErrorType").startsWith("ThrottlingException:"));
        assertEquals("{\"message\":\"Too many requests, please wait before trying again.\"}",
                throttled.body().toString(StandardCharsets.UTF_8));
        assertTrue(simApi.error(404, "no such scenario", "model_not_found").headers().get("x-amzn-ErrorType")
                .startsWith("ResourceNotFoundException:"));
    }

    /** head, reasoning events, visible events, tail, as the engine writes them; the vocabulary's tokens cycled. */
    private static byte[] stream(BedrockSimEncoder encoder, int reasoningEvents, int visibleEvents, int perEvent,
            StringBuilder visibleText, StringBuilder reasoningText) {
        Buffer out = encoder.head();
        int next = 0;
        int[] tokens = new int[perEvent];
        for (int e = 0; e < reasoningEvents + visibleEvents; e++) {
            boolean reasoning = e < reasoningEvents;
            for (int i = 0; i < perEvent; i++) {
                tokens[i] = next++ % SimVocabulary.SIZE;
                (reasoning ? reasoningText : visibleText).append(SimVocabulary.TOKENS.get(tokens[i]));
            }
            encoder.appendEvent(out, tokens, perEvent, reasoning);
        }
        out.appendBuffer(encoder.tail("stop", 17, visibleEvents * perEvent, reasoningEvents * perEvent));
        return out.getBytes();
    }

    private static List<String> eventTypes(byte[] bytes) {
        MessageDecoder aws = new MessageDecoder();
        aws.feed(bytes);
        List<String> types = new ArrayList<>();
        for (Message m : aws.getDecodedMessages()) {
            assertEquals("event", m.getHeaders().get(":message-type").getString());
            assertEquals("application/json", m.getHeaders().get(":content-type").getString());
            types.add(m.getHeaders().get(":event-type").getString());
        }
        return types;
    }

    @Test
    void streamedReasoningThenTextRoundTripsAtEveryCut() {
        StringBuilder visible = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        BedrockSimEncoder encoder = (BedrockSimEncoder) simApi.encoder(
                new SimRequest("m", 100, true, List.of("hi"), true),
                new SimResponseFacts("0123456789abcdef0123456789abcdef", 0, true, true, 9));
        assertEquals("application/vnd.amazon.eventstream", encoder.contentType());
        assertEquals(Map.of("x-amzn-requestid", "01234567-89ab-cdef-0123-456789abcdef"), encoder.headers());
        byte[] bytes = stream(encoder, 3, 4, 2, visible, reasoning);

        assertEquals(List.of("messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockDelta",
                "contentBlockDelta", "contentBlockStop", "contentBlockDelta", "contentBlockDelta",
                "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"),
                eventTypes(bytes));
        for (int[] cuts : StreamReplay.cutPlans(bytes.length)) {
            RequestMeasurement m = StreamReplay.replay(bytes, cuts, new BedrockConverseApi()::newDecoder);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.OK, m.outcome, m.error);
            assertEquals(visible.toString(), m.visibleText.toUtf8String());
            assertEquals(reasoning.toString(), m.reasoningTextOrNull().toUtf8String());
            assertEquals(7, m.contentEvents);
            assertEquals(14, m.usageOutputTokens, "Bedrock's outputTokens includes the reasoning tokens");
            assertEquals(17, m.usageInputTokens);
        }
    }

    @Test
    void withoutUsageAndWithHiddenReasoning() throws Exception {
        StringBuilder visible = new StringBuilder();
        BedrockSimEncoder encoder = (BedrockSimEncoder) simApi.encoder(
                new SimRequest("m", null, true, List.of("hi"), false),
                new SimResponseFacts("ff", 0, false, false, 3));
        byte[] bytes = stream(encoder, 0, 5, 1, visible, new StringBuilder());
        assertEquals(List.of("messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockDelta",
                "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop"), eventTypes(bytes));
        JsonNode stop = JSON.readTree(lastPayload(bytes));
        assertEquals("end_turn", stop.get("stopReason").asText());
        RequestMeasurement m = StreamReplay.replay(bytes, new int[] {bytes.length},
                new BedrockConverseApi()::newDecoder);
        m.finish(null, null, m.endNanos);
        assertEquals(Outcome.OK, m.outcome);
        assertEquals(visible.toString(), m.visibleText.toUtf8String());
        assertEquals(-1, m.usageOutputTokens);
        assertNull(m.reasoningTextOrNull());
    }

    @Test
    void anEmptyResponseAndTheLengthStopReason() throws Exception {
        BedrockSimEncoder encoder = (BedrockSimEncoder) simApi.encoder(new SimRequest("m", 1, true, List.of(), false),
                new SimResponseFacts("ab", 0, true, false, 0));
        Buffer out = encoder.head().appendBuffer(encoder.tail("length", 3, 0, 0));
        assertEquals(List.of("messageStart", "messageStop", "metadata"), eventTypes(out.getBytes()));
        MessageDecoder aws = new MessageDecoder();
        aws.feed(out.getBytes());
        List<Message> messages = aws.getDecodedMessages(); // hands the messages over once
        JsonNode stop = JSON.readTree(messages.get(1).getPayload());
        assertEquals("max_tokens", stop.get("stopReason").asText());
        JsonNode metadata = JSON.readTree(messages.get(2).getPayload());
        assertEquals(3, metadata.at("/usage/inputTokens").asInt());
        assertEquals(0, metadata.at("/usage/outputTokens").asInt());
        assertTrue(metadata.at("/metrics/latencyMs").isIntegralNumber());
    }

    private static byte[] lastPayload(byte[] bytes) {
        MessageDecoder aws = new MessageDecoder();
        aws.feed(bytes);
        List<Message> messages = aws.getDecodedMessages();
        return messages.get(messages.size() - 1).getPayload();
    }
}
