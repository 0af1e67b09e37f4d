package dev.tokenbench.provider.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.core.Json;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.ErrorBodies;
import dev.tokenbench.provider.PreparedRequest;
import dev.tokenbench.provider.ProviderApi;
import dev.tokenbench.provider.StreamDecoder;
import dev.tokenbench.sim.SimApi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * OpenAI Chat Completions, streaming ({@code POST {base}/chat/completions}), also every OpenAI-compatible server
 * (vLLM, SGLang, Bedrock's and Gemini's compatible endpoints). Usage is asked for with
 * {@code stream_options.include_usage}, so token counts come from the provider whenever it can give them.
 */
public final class OpenAiChatApi implements ProviderApi {
    public static final String NAME = "openai-chat";
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    /** Servers people name as the api that speak this one. */
    private static final Set<String> OPENAI_COMPATIBLE_SERVERS = Set.of("vllm", "openai-compatible", "ollama",
            "sglang", "tgi", "lmstudio", "llama.cpp", "llamacpp", "litellm");
    /** Request fields tokenbench sets itself; a param with these names would break the measurement. */
    private static final Map<String, String> RESERVED_PARAMS = Map.of(
            "model", "it is set from the target's model",
            "messages", "it is built from the prompt set",
            "stream", "tokenbench always streams",
            "max_tokens", "use max-output-tokens (and max-tokens-field: max_tokens)",
            "max_completion_tokens", "use max-output-tokens");
    private static final ObjectMapper JSON = Json.MAPPER;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String cloud() {
        return "openai";
    }

    /** OpenAI's body names the kind; an OpenAI-compatible endpoint on AWS (Bedrock's) names it in a header as Bedrock does. */
    @Override
    public String errorMessage(String body, Map<String, String> headers) {
        return ErrorBodies.describe(body, ErrorBodies.amazonErrorType(headers));
    }

    @Override
    public String defaultBaseUrl() {
        return DEFAULT_BASE_URL;
    }

    @Override
    public String hint(String lowerCaseName) {
        if (OPENAI_COMPATIBLE_SERVERS.contains(lowerCaseName)) {
            return " (an OpenAI-compatible server uses api: " + NAME + " with its base-url)";
        }
        return "openai".equals(lowerCaseName) ? " (did you mean '" + NAME + "'?)" : null;
    }

    @Override
    public String reservedParam(String key) {
        return RESERVED_PARAMS.get(key);
    }

    @Override
    public PreparedRequest prepare(TargetSpec target, String resolvedBaseUrl, Prompt prompt, int maxOutputTokens) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", target.model());
        ArrayNode messages = body.putArray("messages");
        if (prompt.system() != null && !prompt.system().isEmpty()) {
            messages.addObject().put("role", "system").put("content", prompt.system());
        }
        for (Prompt.Message earlier : prompt.history()) {
            messages.addObject().put("role", earlier.role() == Prompt.Role.USER ? "user" : "assistant")
                    .put("content", earlier.text());
        }
        messages.addObject().put("role", "user").put("content", prompt.user());
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        if (maxOutputTokens > 0) {
            String field = target.maxTokensField() == null ? "max_completion_tokens" : target.maxTokensField();
            body.put(field, maxOutputTokens);
        }
        if (target.params() != null) {
            for (Map.Entry<String, Object> p : target.params().entrySet()) {
                body.set(p.getKey(), JSON.valueToTree(p.getValue()));
            }
        }
        body.put("stream", true);

        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("accept", "text/event-stream");
        if (target.apiKey() != null) {
            headers.put("authorization", "Bearer " + target.apiKey().reveal());
        }
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the request body for target " + target.name(), e);
        }
        return new PreparedRequest("POST", resolvedBaseUrl + "/chat/completions", headers, bytes);
    }

    @Override
    public StreamDecoder newDecoder(RequestMeasurement measurement) {
        return new OpenAiChatDecoder(measurement);
    }

    @Override
    public SimApi simApi() {
        return new OpenAiChatSimApi();
    }
}
