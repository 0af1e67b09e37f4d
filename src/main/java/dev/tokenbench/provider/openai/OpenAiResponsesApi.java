package dev.tokenbench.provider.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.core.Json;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.PreparedRequest;
import dev.tokenbench.provider.ProviderApi;
import dev.tokenbench.provider.StreamDecoder;
import dev.tokenbench.sim.SimApi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenAI Responses, streaming ({@code POST {base}/responses}). The system prompt goes into {@code instructions},
 * the user prompt is one user message of {@code input}, and the output cap is {@code max_output_tokens} (the
 * target's max-tokens-field is a chat-completions setting and does not apply). Usage always comes with
 * {@code response.completed}: there is nothing to ask for.
 *
 * <p>Responses are sent with {@code store: false}: a benchmark has no use for OpenAI keeping every answer for 30
 * days; {@code params} may set it back. A chat-style {@code reasoning_effort} param is moved to
 * {@code reasoning.effort}, where this API wants it (it rejects the chat name).
 */
public final class OpenAiResponsesApi implements ProviderApi {
    public static final String NAME = "openai-responses";
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final String CHAT_REASONING_EFFORT = "reasoning_effort";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String cloud() {
        return "openai";
    }

    @Override
    public String defaultBaseUrl() {
        return OpenAiChatApi.DEFAULT_BASE_URL;
    }

    @Override
    public PreparedRequest prepare(TargetSpec target, String resolvedBaseUrl, Prompt prompt, int maxOutputTokens) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("accept", "text/event-stream");
        if (target.apiKey() != null) {
            headers.put("authorization", "Bearer " + target.apiKey().reveal());
        }
        return new PreparedRequest("POST", resolvedBaseUrl + "/responses", headers,
                requestBody(target, target.model(), prompt, maxOutputTokens));
    }

    @Override
    public StreamDecoder newDecoder(RequestMeasurement measurement) {
        return new OpenAiResponsesDecoder(measurement);
    }

    /**
     * The streaming request body, shared with Azure OpenAI's Responses API (which names a deployment as the
     * model). {@code maxOutputTokens} 0 leaves the cap to the provider.
     */
    public static byte[] requestBody(TargetSpec target, String model, Prompt prompt, int maxOutputTokens) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        if (prompt.system() != null && !prompt.system().isEmpty()) {
            body.put("instructions", prompt.system());
        }
        ArrayNode input = body.putArray("input");
        // Easy input messages: an assistant's earlier reply goes back as a message with a string content.
        for (Prompt.Message earlier : prompt.history()) {
            input.addObject().put("role", earlier.role() == Prompt.Role.USER ? "user" : "assistant")
                    .put("content", earlier.text());
        }
        input.addObject().put("role", "user").put("content", prompt.user());
        body.put("stream", true);
        body.put("store", false);
        if (maxOutputTokens > 0) {
            body.put("max_output_tokens", maxOutputTokens);
        }
        Object chatReasoningEffort = null;
        if (target.params() != null) {
            for (Map.Entry<String, Object> p : target.params().entrySet()) {
                if (CHAT_REASONING_EFFORT.equals(p.getKey())) {
                    chatReasoningEffort = p.getValue();
                } else {
                    body.set(p.getKey(), JSON.valueToTree(p.getValue()));
                }
            }
        }
        if (chatReasoningEffort != null) {
            JsonNode reasoning = body.get("reasoning");
            ObjectNode merged = reasoning instanceof ObjectNode existing ? existing : body.putObject("reasoning");
            merged.set("effort", JSON.valueToTree(chatReasoningEffort));
        }
        // No param may turn streaming off: the benchmark measures the stream.
        body.put("stream", true);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the request body for target " + target.name(), e);
        }
    }

    @Override
    public SimApi simApi() {
        return new OpenAiResponsesSimApi();
    }
}
