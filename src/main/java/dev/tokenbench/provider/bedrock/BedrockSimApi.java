package dev.tokenbench.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.core.Json;
import dev.tokenbench.provider.openai.OpenAiChatSimEncoder;
import dev.tokenbench.sim.SimApi;
import dev.tokenbench.sim.SimEncoder;
import dev.tokenbench.sim.SimError;
import dev.tokenbench.sim.SimRequest;
import dev.tokenbench.sim.SimRequestException;
import dev.tokenbench.sim.SimResponseFacts;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Amazon Bedrock ConverseStream ({@code api: bedrock-converse}) at {@code POST /model/{modelId}/converse-stream}:
 * the model id is one percent-encoded path segment, the response an AWS event stream ({@link BedrockSimEncoder}).
 * Refuses what Bedrock refuses, with its validation messages: a body that is not JSON, no {@code messages}, an
 * {@code inferenceConfig.maxTokens} below 1. Errors are Bedrock's: a JSON {@code {"message": …}} body and the
 * exception's name in {@code x-amzn-ErrorType}. Neither a Bearer key nor a SigV4 signature is checked: the
 * simulator needs no credentials. Reasoning is wanted when {@code additionalModelRequestFields} enables it:
 * Claude's {@code thinking} ({@code enabled} or {@code adaptive}), a {@code reasoningConfig} /
 * {@code reasoning_config} of type {@code enabled}, or a {@code reasoning_effort}.
 */
public final class BedrockSimApi implements SimApi {
    public static final String API = "bedrock-converse";

    private static final String MODEL_PREFIX = "/model/";
    private static final String CONVERSE_STREAM_SUFFIX = "/converse-stream";
    private static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";
    private static final String ERROR_TYPE_NAMESPACE = ":http://internal.amazon.com/coral/com.amazon.bedrock/";
    private static final ObjectMapper MAPPER = Json.MAPPER;

    @Override
    public String api() {
        return API;
    }

    @Override
    public boolean handles(String method, String path) {
        return "POST".equals(method) && modelSegment(path) != null;
    }

    @Override
    public SimRequest parse(String path, String query, MultiMap headers, Buffer body) throws SimRequestException {
        String segment = modelSegment(path);
        if (segment == null) {
            throw new SimRequestException(404, "The requested operation is not recognized by the service.", null,
                    "UnknownOperationException");
        }
        String modelId = percentDecode(segment);
        JsonNode root;
        try {
            root = MAPPER.readTree(body.getBytes());
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            throw validation("Malformed input request, please reformat your input and try again.");
        }
        JsonNode messages = root.get("messages");
        if (messages == null || messages.isNull()) {
            throw validation("1 validation error detected: Value null at 'messages' failed to satisfy constraint:"
                    + " Member must not be null");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw validation("A conversation must start with a user message. Try again with a conversation that"
                    + " starts with a user message.");
        }
        Integer maxTokens = null;
        JsonNode maxTokensNode = root.path("inferenceConfig").get("maxTokens");
        if (maxTokensNode != null && !maxTokensNode.isNull()) {
            if (!maxTokensNode.isIntegralNumber() || !maxTokensNode.canConvertToInt()) {
                throw validation("Malformed input request: inferenceConfig.maxTokens must be an integer, please"
                        + " reformat your input and try again.");
            }
            maxTokens = maxTokensNode.intValue();
            if (maxTokens < 1) {
                throw validation("1 validation error detected: Value '" + maxTokens + "' at"
                        + " 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater"
                        + " than or equal to 1");
            }
        }
        // Bedrock always ends a stream with its metadata event: usage needs no asking.
        return new SimRequest(modelId, maxTokens, true, promptTexts(root), wantsReasoning(root))
                .withTools(root.path("toolConfig").get("tools"));
    }

    @Override
    public SimError error(int status, String message, String code) {
        String type = code != null && code.endsWith("Exception") ? code : errorType(status);
        String body = "{\"message\":\"" + OpenAiChatSimEncoder.jsonEscape(message) + "\"}";
        return new SimError(status, "application/json", Buffer.buffer(body),
                Map.of(ERROR_TYPE_HEADER, type + ERROR_TYPE_NAMESPACE));
    }

    @Override
    public SimEncoder encoder(SimRequest request, SimResponseFacts facts) {
        return new BedrockSimEncoder(requestId(facts.responseId()), facts.seed(), facts.sendsUsage())
                .answeringWithToolCall(request.toolName());
    }

    /** The exception Bedrock names for a status (its ConverseStream errors). */
    static String errorType(int status) {
        switch (status) {
            case 400:
                return "ValidationException";
            case 403:
                return "AccessDeniedException";
            case 404:
                return "ResourceNotFoundException";
            case 408:
                return "ModelTimeoutException";
            case 424:
                return "ModelErrorException";
            case 429:
                return "ThrottlingException";
            case 503:
                return "ServiceUnavailableException";
            default:
                return status >= 500 ? "InternalServerException" : "ValidationException";
        }
    }

    /** "/model/{id}/converse-stream" → the raw (still encoded) id; anything else → null. */
    static String modelSegment(String path) {
        if (path == null || !path.startsWith(MODEL_PREFIX) || !path.endsWith(CONVERSE_STREAM_SUFFIX)) {
            return null;
        }
        int end = path.length() - CONVERSE_STREAM_SUFFIX.length();
        if (end <= MODEL_PREFIX.length()) {
            return null;
        }
        String segment = path.substring(MODEL_PREFIX.length(), end);
        return segment.indexOf('/') >= 0 ? null : segment;
    }

    /** Percent-decoding of a path segment (a '+' stays a '+'); a malformed escape is kept as it is. */
    static String percentDecode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%' && i + 2 < segment.length()
                    && Character.digit(segment.charAt(i + 1), 16) >= 0
                    && Character.digit(segment.charAt(i + 2), 16) >= 0) {
                bytes.write(Character.digit(segment.charAt(i + 1), 16) * 16
                        + Character.digit(segment.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The text of every system block and of every message's text blocks. */
    private static List<String> promptTexts(JsonNode root) {
        List<String> texts = new ArrayList<>();
        for (JsonNode block : root.path("system")) {
            addText(texts, block);
        }
        for (JsonNode message : root.path("messages")) {
            for (JsonNode block : message.path("content")) {
                addText(texts, block);
            }
        }
        return texts;
    }

    private static void addText(List<String> texts, JsonNode block) {
        JsonNode text = block.get("text");
        if (text != null && text.isTextual()) {
            texts.add(text.asText());
        }
    }

    private static boolean wantsReasoning(JsonNode root) {
        JsonNode fields = root.path("additionalModelRequestFields");
        String thinking = fields.path("thinking").path("type").asText("").toLowerCase(Locale.ROOT);
        if (thinking.equals("enabled") || thinking.equals("adaptive")) {
            return true;
        }
        for (String name : List.of("reasoningConfig", "reasoning_config")) {
            if (fields.path(name).path("type").asText("").equalsIgnoreCase("enabled")) {
                return true;
            }
        }
        JsonNode effort = fields.get("reasoning_effort");
        return effort != null && !effort.isNull();
    }

    /** Bedrock's request ids are UUIDs: the response id's 32 hex digits, grouped 8-4-4-4-12. */
    static String requestId(String hex) {
        StringBuilder digits = new StringBuilder(32).append(hex == null ? "" : hex);
        while (digits.length() < 32) {
            digits.append('0');
        }
        String d = digits.substring(0, 32);
        return d.substring(0, 8) + "-" + d.substring(8, 12) + "-" + d.substring(12, 16) + "-" + d.substring(16, 20)
                + "-" + d.substring(20, 32);
    }

    private static SimRequestException validation(String message) {
        return new SimRequestException(400, message, null, "ValidationException");
    }
}
