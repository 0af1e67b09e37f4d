package dev.tokenbench.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.core.Json;
import dev.tokenbench.sim.ContentTexts;
import dev.tokenbench.sim.SimRequest;
import dev.tokenbench.sim.SimRequestException;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads an OpenAI Responses request body (also Azure OpenAI's, the same body) into a {@link SimRequest}, refusing
 * what OpenAI refuses in its words: no {@code model}, no {@code input}, a {@code max_output_tokens} below 16, the
 * chat name {@code reasoning_effort}; plus non-streaming requests, since the simulator only streams.
 *
 * <p>Usage always comes with {@code response.completed}. Reasoning is streamed only when the request asks for a
 * summary of it ({@code reasoning.summary}); otherwise a reasoning model's thinking is hidden, as OpenAI's is.
 */
public final class OpenAiResponsesRequest {
    /** The smallest {@code max_output_tokens} OpenAI accepts. */
    static final int MIN_MAX_OUTPUT_TOKENS = 16;
    private static final ObjectMapper MAPPER = Json.MAPPER;

    private OpenAiResponsesRequest() {
    }

    /** @param defaultModel the model when the body names none (Azure's deployment), or null: then it is required */
    public static SimRequest parse(Buffer body, String defaultModel) throws SimRequestException {
        JsonNode root;
        try {
            root = MAPPER.readTree(body.getBytes());
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            throw new SimRequestException(400, "We could not parse the JSON body of your request.", null, null);
        }
        JsonNode model = root.get("model");
        String modelName = model != null && model.isTextual() && !model.asText().isEmpty() ? model.asText()
                : defaultModel;
        if (modelName == null) {
            throw new SimRequestException(400, "Missing required parameter: 'model'.", "model",
                    "missing_required_parameter");
        }
        JsonNode input = root.get("input");
        if (input == null || !(input.isTextual() || input.isArray())) {
            throw new SimRequestException(400, "Missing required parameter: 'input'.", "input",
                    "missing_required_parameter");
        }
        if (root.has("reasoning_effort")) {
            throw new SimRequestException(400, "Unsupported parameter: 'reasoning_effort'. In the Responses API, "
                    + "this parameter has moved to 'reasoning.effort'. Try again with the new parameter.",
                    "reasoning_effort", "unsupported_parameter");
        }
        if (!root.path("stream").asBoolean(false)) {
            throw new SimRequestException(400, "This simulator only streams: set 'stream' to true.", "stream",
                    "unsupported_value");
        }
        Integer maxOutputTokens = readMaxOutputTokens(root.get("max_output_tokens"));
        JsonNode summary = root.path("reasoning").get("summary");
        boolean wantsReasoning = summary != null && summary.isTextual();
        List<String> promptTexts = new ArrayList<>();
        JsonNode instructions = root.get("instructions");
        if (instructions != null && instructions.isTextual()) {
            promptTexts.add(instructions.asText());
        }
        addInputTexts(input, promptTexts);
        return new SimRequest(modelName, maxOutputTokens, true, promptTexts, wantsReasoning)
                .withTools(root.get("tools"));
    }

    private static Integer readMaxOutputTokens(JsonNode value) throws SimRequestException {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new SimRequestException(400, "Invalid type for 'max_output_tokens': expected an integer, but got "
                    + value.getNodeType().name().toLowerCase(Locale.ROOT) + " instead.", "max_output_tokens",
                    "invalid_type");
        }
        int tokens = value.intValue();
        if (tokens < MIN_MAX_OUTPUT_TOKENS) {
            throw new SimRequestException(400, "Invalid 'max_output_tokens': integer below minimum value. Expected a"
                    + " value >= " + MIN_MAX_OUTPUT_TOKENS + ", but got " + tokens + " instead.",
                    "max_output_tokens", "integer_below_min_value");
        }
        return tokens;
    }

    /** A string input, or items whose content is a string or parts with text ({@code input_text}). */
    private static void addInputTexts(JsonNode input, List<String> texts) {
        if (input.isTextual()) {
            texts.add(input.asText());
            return;
        }
        for (JsonNode item : input) {
            ContentTexts.add(item.get("content"), texts);
        }
    }
}
