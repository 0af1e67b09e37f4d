package dev.tokenbench.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.core.Json;
import dev.tokenbench.sim.ContentTexts;
import dev.tokenbench.sim.SimApi;
import dev.tokenbench.sim.SimEncoder;
import dev.tokenbench.sim.SimError;
import dev.tokenbench.sim.SimRequest;
import dev.tokenbench.sim.SimRequestException;
import dev.tokenbench.sim.SimResponseFacts;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Anthropic Messages as the simulator speaks it: {@code POST /v1/messages}, streaming only. Refuses what Anthropic
 * refuses, in its words: no {@code anthropic-version} header, no {@code model}, {@code max_tokens} or
 * {@code messages}, a thinking budget under 1024 or not below {@code max_tokens}. The {@code x-api-key} is not
 * checked: the simulator needs no credentials. Reasoning is wanted when {@code thinking.type} is {@code enabled}
 * (extended thinking) or {@code adaptive}.
 */
public final class AnthropicSimApi implements SimApi {
    public static final String API = "anthropic";
    static final String PATH = "/v1/messages";

    private static final ObjectMapper MAPPER = Json.MAPPER;
    private static final int MIN_THINKING_BUDGET_TOKENS = 1024;

    @Override
    public String api() {
        return API;
    }

    @Override
    public boolean handles(String method, String path) {
        return "POST".equals(method) && PATH.equals(path);
    }

    @Override
    public SimRequest parse(String path, String query, MultiMap headers, Buffer body) throws SimRequestException {
        if (headers == null || headers.get("anthropic-version") == null) {
            throw invalid("anthropic-version: header is required");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body.getBytes());
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            throw invalid("The request body is not valid JSON.");
        }
        JsonNode model = root.get("model");
        if (model == null || !model.isTextual() || model.asText().isEmpty()) {
            throw invalid("model: Field required");
        }
        JsonNode maxTokensNode = root.get("max_tokens");
        if (maxTokensNode == null || maxTokensNode.isNull()) {
            throw invalid("max_tokens: Field required");
        }
        if (!maxTokensNode.isIntegralNumber() || !maxTokensNode.canConvertToInt()) {
            throw invalid("max_tokens: Input should be a valid integer");
        }
        int maxTokens = maxTokensNode.intValue();
        if (maxTokens < 1) {
            throw invalid("max_tokens: Input should be greater than or equal to 1");
        }
        JsonNode messages = root.get("messages");
        if (messages == null || !messages.isArray()) {
            throw invalid("messages: Field required");
        }
        if (!root.path("stream").asBoolean(false)) {
            throw invalid("This simulator only streams: set 'stream' to true.");
        }
        boolean wantsReasoning = wantsThinking(root.get("thinking"), maxTokens);
        List<String> promptTexts = new ArrayList<>();
        ContentTexts.add(root.get("system"), promptTexts);
        for (JsonNode message : messages) {
            ContentTexts.add(message.get("content"), promptTexts);
        }
        return new SimRequest(model.asText(), maxTokens, true, promptTexts, wantsReasoning)
                .withTools(root.get("tools"));
    }

    @Override
    public SimError error(int status, String message, String code) {
        String type = code != null && code.endsWith("_error") ? code : errorType(status);
        Map<String, String> headers = status == 429 ? Map.of("retry-after", "1") : Map.of();
        return new SimError(status, "application/json", AnthropicSimEncoder.errorBody(type, message), headers);
    }

    @Override
    public SimEncoder encoder(SimRequest request, SimResponseFacts facts) {
        return new AnthropicSimEncoder("msg_" + facts.responseId(), request.model(), facts.sendsUsage(),
                request.toolName());
    }

    /** Anthropic's error type for an HTTP status, from its API reference's list of errors. */
    static String errorType(int status) {
        switch (status) {
            case 400:
                return "invalid_request_error";
            case 401:
                return "authentication_error";
            case 402:
                return "billing_error";
            case 403:
                return "permission_error";
            case 404:
                return "not_found_error";
            case 413:
                return "request_too_large";
            case 429:
                return "rate_limit_error";
            case 504:
                return "timeout_error";
            case 529:
                return "overloaded_error";
            default:
                return status >= 500 ? "api_error" : "invalid_request_error";
        }
    }

    private static boolean wantsThinking(JsonNode thinking, int maxTokens) throws SimRequestException {
        if (thinking == null || thinking.isNull()) {
            return false;
        }
        String type = thinking.path("type").asText("");
        if ("adaptive".equals(type)) {
            return true;
        }
        if (!"enabled".equals(type)) {
            return false;
        }
        JsonNode budget = thinking.get("budget_tokens");
        if (budget == null || !budget.isIntegralNumber()) {
            throw invalid("thinking.enabled.budget_tokens: Field required");
        }
        if (budget.asLong() < MIN_THINKING_BUDGET_TOKENS) {
            throw invalid("thinking.enabled.budget_tokens: Input should be greater than or equal to "
                    + MIN_THINKING_BUDGET_TOKENS);
        }
        if (budget.asLong() >= maxTokens) {
            throw invalid("`max_tokens` must be greater than `thinking.budget_tokens`.");
        }
        return true;
    }

    private static SimRequestException invalid(String message) {
        return new SimRequestException(400, message, null, null);
    }
}
