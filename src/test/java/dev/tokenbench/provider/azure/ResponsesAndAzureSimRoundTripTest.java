package dev.tokenbench.provider.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.ProviderApi;
import dev.tokenbench.provider.StreamReplay;
import dev.tokenbench.provider.azure.AzureOpenAiApi;
import dev.tokenbench.provider.azure.AzureOpenAiResponsesApi;
import dev.tokenbench.provider.openai.OpenAiResponsesApi;
import dev.tokenbench.provider.openai.OpenAiResponsesRequest;
import dev.tokenbench.provider.openai.OpenAiResponsesSimApi;
import dev.tokenbench.sim.SimEncoder;
import dev.tokenbench.sim.SimRequest;
import dev.tokenbench.sim.SimRequestException;
import dev.tokenbench.sim.SimResponseFacts;
import dev.tokenbench.sim.SimVocabulary;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Round trip: the simulator's openai-responses, azure-openai and azure-openai-responses bytes (head, events, tail),
 * read back by tokenbench's own decoders cut at every byte offset and byte by byte, give exactly the tokens the
 * encoder was asked to send, in the right kind, with the usage the simulator reports. The event sequence is also
 * checked against the documented shape: every data line is JSON; Responses events carry their event line's type
 * and consecutive sequence numbers; Azure's filter chunks are where Azure puts them.
 */
class ResponsesAndAzureSimRoundTripTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PROMPT_TOKENS = 21;

    private record Sent(byte[] bytes, String reasoningText, String visibleText, int reasoningEvents,
            int visibleEvents) {
    }

    private static SimResponseFacts facts(boolean sendsUsage, boolean visibleReasoning) {
        return new SimResponseFacts("0123456789abcdef0123456789abcdef", 1763830000L, sendsUsage, visibleReasoning, 7);
    }

    /** {@code reasoningEvents} reasoning events then {@code visibleEvents} visible ones, of tokensPerEvent each. */
    private static Sent encode(SimEncoder encoder, int reasoningEvents, int visibleEvents, int tokensPerEvent,
            int hiddenReasoningTokens, String finishReason) {
        Buffer out = Buffer.buffer();
        StringBuilder reasoning = new StringBuilder();
        StringBuilder visible = new StringBuilder();
        int[] tokens = new int[tokensPerEvent];
        int next = 0;
        for (int e = 0; e < reasoningEvents + visibleEvents; e++) {
            boolean isReasoning = e < reasoningEvents;
            for (int i = 0; i < tokensPerEvent; i++) {
                // Step 7 through the vocabulary (coprime with its size): every word, multi-byte ones included.
                tokens[i] = (next++ * 7) % SimVocabulary.SIZE;
                (isReasoning ? reasoning : visible).append(SimVocabulary.TOKENS.get(tokens[i]));
            }
            if (e == 0) {
                out.appendBuffer(encoder.head());
            }
            encoder.appendEvent(out, tokens, tokensPerEvent, isReasoning);
        }
        int reasoningTokens = reasoningEvents * tokensPerEvent + hiddenReasoningTokens;
        out.appendBuffer(encoder.tail(finishReason, PROMPT_TOKENS, visibleEvents * tokensPerEvent, reasoningTokens));
        return new Sent(out.getBytes(), reasoning.toString(), visible.toString(), reasoningEvents, visibleEvents);
    }

    /** Decodes at every cut; each time the same text, events and usage, and a request that ended ok. */
    private static void roundTrip(Sent sent, ProviderApi client, long usageOutput, long usageReasoning) {
        for (int[] cuts : StreamReplay.cutPlans(sent.bytes().length)) {
            RequestMeasurement m = StreamReplay.replay(sent.bytes(), cuts, client::newDecoder);
            String where = client.name() + " cut at " + (cuts.length == 2 ? cuts[0] : cuts.length + " reads");
            assertEquals(sent.visibleText(), m.visibleText.toUtf8String(), where);
            if (sent.reasoningEvents() == 0) {
                assertNull(m.reasoningTextOrNull(), where);
            } else {
                assertEquals(sent.reasoningText(), m.reasoningTextOrNull().toUtf8String(), where);
            }
            assertEquals(sent.reasoningEvents() + sent.visibleEvents(), m.contentEvents, where);
            assertEquals(usageOutput, m.usageOutputTokens, where);
            assertEquals(usageReasoning, m.usageReasoningTokens, where);
            assertEquals(usageOutput < 0 ? -1 : PROMPT_TOKENS, m.usageInputTokens, where);
            assertTrue(m.streamEndSeen, where);
            m.finish(null, null, m.endNanos);
            assertEquals(Outcome.OK, m.outcome, where + ": " + m.error);
        }
    }

    /** The SSE events of a stream as (event line, data) pairs; every data line must be JSON or [DONE]. */
    private static List<String[]> events(byte[] bytes) {
        List<String[]> events = new ArrayList<>();
        for (String block : new String(bytes, StandardCharsets.UTF_8).split("\n\n")) {
            String event = null;
            String data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            events.add(new String[] {event, data});
        }
        return events;
    }

    private static JsonNode json(String data) {
        try {
            return JSON.readTree(data);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + data, e);
        }
    }

    private static SimRequest responsesRequest(String extra) throws SimRequestException {
        return OpenAiResponsesRequest.parse(Buffer.buffer("{\"model\":\"gpt-sim\",\"instructions\":\"Be brief.\","
                + "\"input\":[{\"role\":\"user\",\"content\":\"Name three rivers.\"}],\"stream\":true" + extra + "}"),
                null);
    }

    /** The Responses sequence: typed events, event line = type, sequence numbers 0, 1, 2, … */
    private static List<String> checkResponsesShape(byte[] bytes) {
        List<String> types = new ArrayList<>();
        int sequence = 0;
        for (String[] e : events(bytes)) {
            JsonNode data = json(e[1]);
            assertEquals(e[0], data.get("type").asText(), e[1]);
            assertEquals(sequence++, data.get("sequence_number").asInt(), e[1]);
            types.add(e[0]);
        }
        return types;
    }

    @Test
    void responsesTextWithUsage() throws Exception {
        SimRequest request = responsesRequest(",\"max_output_tokens\":256");
        SimEncoder encoder = new OpenAiResponsesSimApi().encoder(request, facts(true, false));
        Sent sent = encode(encoder, 0, 6, 2, 0, "stop");
        roundTrip(sent, new OpenAiResponsesApi(), 12, 0);

        List<String> types = checkResponsesShape(sent.bytes());
        assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
                "response.content_part.added"), types.subList(0, 4));
        assertEquals(List.of("response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.completed"), types.subList(types.size() - 4, types.size()));
        List<String[]> events = events(sent.bytes());
        JsonNode completed = json(events.get(events.size() - 1)[1]).get("response");
        assertEquals("completed", completed.get("status").asText());
        assertEquals(256, completed.get("max_output_tokens").asInt());
        assertEquals(sent.visibleText(), completed.at("/output/0/content/0/text").asText());
        assertEquals(PROMPT_TOKENS + 12, completed.at("/usage/total_tokens").asInt());
        assertEquals("resp_0123456789abcdef0123456789abcdef", completed.get("id").asText());
    }

    @Test
    void responsesReasoningSummaryThenText() throws Exception {
        SimRequest request = responsesRequest(",\"reasoning\":{\"effort\":\"low\",\"summary\":\"auto\"}");
        assertTrue(request.wantsReasoning());
        SimEncoder encoder = new OpenAiResponsesSimApi().encoder(request, facts(true, true));
        Sent sent = encode(encoder, 3, 4, 2, 0, "stop");
        roundTrip(sent, new OpenAiResponsesApi(), 14, 6);

        List<String> types = checkResponsesShape(sent.bytes());
        assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
                "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta"),
                types.subList(0, 5));
        int closing = types.indexOf("response.reasoning_summary_text.done");
        assertEquals(List.of("response.reasoning_summary_text.done", "response.reasoning_summary_part.done",
                "response.output_item.done", "response.output_item.added", "response.content_part.added",
                "response.output_text.delta"), types.subList(closing, closing + 6));
        List<String[]> events = events(sent.bytes());
        JsonNode firstText = json(events.get(types.indexOf("response.output_text.delta"))[1]);
        assertEquals(1, firstText.get("output_index").asInt(), "the message follows the reasoning item");
        JsonNode output = json(events.get(events.size() - 1)[1]).at("/response/output");
        assertEquals("reasoning", output.at("/0/type").asText());
        assertEquals(sent.reasoningText(), output.at("/0/summary/0/text").asText());
        assertEquals(sent.visibleText(), output.at("/1/content/0/text").asText());
    }

    /** Hidden reasoning: no reasoning item, only its count in usage; at the cap, response.incomplete. */
    @Test
    void responsesHiddenReasoningAtTheOutputCapWithoutUsage() throws Exception {
        SimRequest request = responsesRequest(",\"max_output_tokens\":16");
        SimEncoder encoder = new OpenAiResponsesSimApi().encoder(request, facts(false, false));
        Sent sent = encode(encoder, 0, 8, 2, 30, "length");
        roundTrip(sent, new OpenAiResponsesApi(), -1, -1);

        List<String> types = checkResponsesShape(sent.bytes());
        assertFalse(types.contains("response.reasoning_summary_text.delta"));
        assertEquals("response.incomplete", types.get(types.size() - 1));
        List<String[]> events = events(sent.bytes());
        JsonNode last = json(events.get(events.size() - 1)[1]).get("response");
        assertEquals("max_output_tokens", last.at("/incomplete_details/reason").asText());
        assertTrue(last.get("usage").isNull());
    }

    @Test
    void azureResponsesIsTheSameStreamWithAzuresHeaders() throws Exception {
        AzureOpenAiResponsesSimApi sim = new AzureOpenAiResponsesSimApi();
        SimRequest request = sim.parse(AzureOpenAiResponsesSimApi.V1_PATH, null, MultiMap.caseInsensitiveMultiMap(),
                Buffer.buffer("{\"model\":\"gpt-41-mini-eu\",\"input\":\"Name three rivers.\",\"stream\":true,"
                        + "\"reasoning\":{\"summary\":\"detailed\"}}"));
        SimEncoder encoder = sim.encoder(request, facts(true, true));
        assertEquals("01234567-89ab-cdef-0123-456789abcdef", encoder.headers().get("apim-request-id"));
        assertTrue(encoder.headers().containsKey("x-ms-region"));
        Sent sent = encode(encoder, 2, 5, 1, 10, "stop");
        roundTrip(sent, new AzureOpenAiResponsesApi(), 17, 12);
        checkResponsesShape(sent.bytes());
    }

    @Test
    void azureChatFilterChunksAreNotTokens() throws Exception {
        AzureOpenAiSimApi sim = new AzureOpenAiSimApi();
        SimRequest request = sim.parse("/openai/deployments/gpt-4o-mini-prod/chat/completions",
                "api-version=2024-10-21", MultiMap.caseInsensitiveMultiMap(),
                Buffer.buffer("{\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Name three rivers.\"}]}"));
        assertEquals("gpt-4o-mini-prod", request.model(), "the deployment names the model");
        SimEncoder encoder = sim.encoder(request, facts(true, false));
        Sent sent = encode(encoder, 0, 6, 2, 24, "stop");
        roundTrip(sent, new AzureOpenAiApi(), 36, 24);

        List<String[]> events = events(sent.bytes());
        JsonNode promptFilter = json(events.get(0)[1]);
        assertEquals(0, promptFilter.get("choices").size());
        assertEquals("safe", promptFilter.at("/prompt_filter_results/0/content_filter_results/hate/severity")
                .asText());
        JsonNode role = json(events.get(1)[1]);
        assertEquals("assistant", role.at("/choices/0/delta/role").asText());
        JsonNode content = json(events.get(2)[1]);
        assertEquals("safe", content.at("/choices/0/content_filter_results/violence/severity").asText());
        assertEquals("chat.completion.chunk", content.get("object").asText());
        assertEquals(List.of("choices", "created", "id", "model", "object", "system_fingerprint", "usage"),
                fieldNames(content), "Azure's keys are alphabetical");
        assertEquals("[DONE]", events.get(events.size() - 1)[1]);
        JsonNode usage = json(events.get(events.size() - 2)[1]).get("usage");
        assertEquals(36, usage.get("completion_tokens").asInt());
        assertEquals(24, usage.at("/completion_tokens_details/reasoning_tokens").asInt());
    }

    /** Streamed reasoning on Azure chat: reasoning_content, as Azure AI Foundry's open reasoning models send it. */
    @Test
    void azureChatStreamedReasoningWithoutUsage() throws Exception {
        AzureOpenAiSimApi sim = new AzureOpenAiSimApi();
        SimRequest request = sim.parse(AzureOpenAiSimApi.V1_PATH, null, MultiMap.caseInsensitiveMultiMap(),
                Buffer.buffer("{\"model\":\"DeepSeek-R1\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Name three rivers.\"}]}"));
        SimEncoder encoder = sim.encoder(request, facts(false, true));
        Sent sent = encode(encoder, 4, 3, 1, 0, "stop");
        roundTrip(sent, new AzureOpenAiApi(), -1, -1);
        for (String[] e : events(sent.bytes())) {
            if (!"[DONE]".equals(e[1])) {
                assertFalse(json(e[1]).has("usage"), "no usage field at all when usage was not asked for");
            }
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
