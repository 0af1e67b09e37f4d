package dev.tokenbench.provider.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.util.List;
import java.util.Map;

/**
 * Anthropic Messages, streaming ({@code POST {base}/v1/messages}, base {@value #DEFAULT_BASE_URL} by default).
 * Auth is the {@code x-api-key} header; the target's {@code api-version} is sent as the {@code anthropic-version}
 * header ({@value #DEFAULT_ANTHROPIC_VERSION} when unset). A base URL that already ends in {@code /v1} (as some
 * gateways are written) gets only {@code /messages}.
 *
 * <p>Anthropic requires {@code max_tokens}. With no output cap in the plan it is {@value #DEFAULT_MAX_TOKENS},
 * plus the thinking budget when {@code params} enable extended thinking with one, because Anthropic counts
 * thinking inside {@code max_tokens} and refuses a budget that is not below it. {@code params} are merged last
 * (e.g. {@code thinking: {type: enabled, budget_tokens: 2048}}, {@code temperature}) and may override anything
 * but {@code stream}.
 */
public final class AnthropicApi implements ProviderApi {
    public static final String NAME = "anthropic";
    public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
    public static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";
    /** max_tokens when the plan sets no output cap (Anthropic's own examples use it). */
    public static final int DEFAULT_MAX_TOKENS = 1024;

    private static final ObjectMapper JSON = Json.MAPPER;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String cloud() {
        return "anthropic";
    }

    /** api-version is sent as the anthropic-version header. */
    @Override
    public List<String> keys() {
        return List.of("api-version");
    }

    @Override
    public String defaultApiVersion() {
        return DEFAULT_ANTHROPIC_VERSION;
    }

    @Override
    public String defaultBaseUrl() {
        return DEFAULT_BASE_URL;
    }

    @Override
    public String hint(String lowerCaseName) {
        return "claude".equals(lowerCaseName) ? " (did you mean '" + NAME + "'?)" : null;
    }

    @Override
    public PreparedRequest prepare(TargetSpec target, String resolvedBaseUrl, Prompt prompt, int maxOutputTokens) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", target.model());
        body.put("max_tokens", maxOutputTokens > 0 ? maxOutputTokens
                : DEFAULT_MAX_TOKENS + thinkingBudgetTokens(target.params()));
        if (prompt.system() != null && !prompt.system().isEmpty()) {
            body.put("system", prompt.system());
        }
        ArrayNode messages = body.putArray("messages");
        for (Prompt.Message earlier : prompt.history()) {
            messages.addObject().put("role", earlier.role() == Prompt.Role.USER ? "user" : "assistant")
                    .put("content", earlier.text());
        }
        messages.addObject().put("role", "user").put("content", prompt.user());
        if (target.params() != null) {
            for (Map.Entry<String, Object> p : target.params().entrySet()) {
                body.set(p.getKey(), JSON.valueToTree(p.getValue()));
            }
        }
        body.put("stream", true);

        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("accept", "text/event-stream");
        headers.put("anthropic-version", target.apiVersion() == null || target.apiVersion().isBlank()
                ? DEFAULT_ANTHROPIC_VERSION : target.apiVersion());
        if (target.apiKey() != null) {
            headers.put("x-api-key", target.apiKey().reveal());
        }
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the request body for target " + target.name(), e);
        }
        return new PreparedRequest("POST", messagesUri(resolvedBaseUrl), headers, bytes);
    }

    @Override
    public StreamDecoder newDecoder(RequestMeasurement measurement) {
        return new AnthropicDecoder(measurement);
    }

    static String messagesUri(String baseUrl) {
        String base = baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base.endsWith("/v1") ? base + "/messages" : base + "/v1/messages";
    }

    /** {@code thinking.budget_tokens} of an enabled thinking block in params, else 0. */
    static int thinkingBudgetTokens(Map<String, Object> params) {
        if (params == null || !(params.get("thinking") instanceof Map<?, ?> thinking)) {
            return 0;
        }
        if (!"enabled".equals(thinking.get("type")) || !(thinking.get("budget_tokens") instanceof Number budget)) {
            return 0;
        }
        return Math.max(0, budget.intValue());
    }

    @Override
    public SimApi simApi() {
        return new AnthropicSimApi();
    }
}
