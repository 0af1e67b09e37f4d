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
 * Reads an OpenAI chat-completions request body (also Azure OpenAI's, which is the same body) into a
 * {@link SimRequest}. Parsed into a Jackson tree once per request (not per chunk), so no reflection and no binding
 * classes.
 */
public final class OpenAiChatRequest {

    private static final ObjectMapper MAPPER = Json.MAPPER;

    private OpenAiChatRequest() {
    }

    /**
     * Rejects what OpenAI rejects (with its messages), plus non-streaming requests: the simulator only streams.
     *
     * <p>{@code maxTokens} is {@code max_completion_tokens}, else the older {@code max_tokens}; the prompt texts
     * are every message's content (string content, or the text parts of array content). The request always
     * "wants" reasoning: chat completions has no switch to show it, so whether reasoning is streamed (as vLLM and
     * DeepSeek do, {@code reasoning_content}) or hidden (as OpenAI does) is the server's choice, i.e. the
     * scenario's {@code reasoningVisible}.
     */
    public static SimRequest parse(Buffer body) throws SimRequestException {
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
        if (model == null || !model.isTextual() || model.asText().isEmpty()) {
            throw new SimRequestException(400, "you must provide a model parameter", null, null);
        }
        JsonNode messages = root.get("messages");
        if (messages == null || !messages.isArray()) {
            throw new SimRequestException(400, "Missing required parameter: 'messages'.", "messages",
                    "missing_required_parameter");
        }
        if (!root.path("stream").asBoolean(false)) {
            throw new SimRequestException(400, "This simulator only streams: set 'stream' to true.", "stream",
                    "unsupported_value");
        }
        Integer maxTokens = readMaxTokens(root, "max_completion_tokens");
        if (maxTokens == null) {
            maxTokens = readMaxTokens(root, "max_tokens");
        }
        boolean includeUsage = root.path("stream_options").path("include_usage").asBoolean(false);
        return new SimRequest(model.asText(), maxTokens, includeUsage, promptTexts(messages), true)
                .withTools(root.get("tools"));
    }

    private static Integer readMaxTokens(JsonNode root, String field) throws SimRequestException {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new SimRequestException(400, "Invalid type for '" + field + "': expected an integer, but got "
                    + value.getNodeType().name().toLowerCase(Locale.ROOT) + " instead.", field,
                    "invalid_type");
        }
        int tokens = value.intValue();
        if (tokens < 1) {
            throw new SimRequestException(400, "Invalid '" + field + "': integer below minimum value. Expected a"
                    + " value >= 1, but got " + tokens + " instead.", field, "integer_below_min_value");
        }
        return tokens;
    }

    private static List<String> promptTexts(JsonNode messages) {
        List<String> texts = new ArrayList<>(messages.size());
        for (JsonNode message : messages) {
            ContentTexts.add(message.get("content"), texts);
        }
        return texts;
    }
}
