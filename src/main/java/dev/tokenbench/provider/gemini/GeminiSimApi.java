package dev.tokenbench.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.core.Json;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Gemini's {@code streamGenerateContent} in both of Google's forms, one instance per form:
 * {@code new GeminiSimApi()} is the Gemini API ({@code api: gemini}) at
 * {@code POST /v1beta/models/{model}:streamGenerateContent?alt=sse}; {@link #vertex()} is Vertex AI
 * ({@code api: vertex-gemini}) at
 * {@code POST /v1/projects/{project}/locations/{location}/publishers/google/models/{model}}
 * {@code :streamGenerateContent?alt=sse}.
 * Their request bodies and streams are the same GenerateContentRequest and GenerateContentResponse; the chunks
 * differ in details ({@link GeminiSimEncoder}).
 *
 * <p>No credential is checked (the simulator needs no keys). The model comes from the path; the output cap from
 * {@code generationConfig.maxOutputTokens}; reasoning is streamed when
 * {@code generationConfig.thinkingConfig.includeThoughts} is true. Usage is always sent, as Google always sends it.
 * Errors are Google's: {@code {"error": {"code", "message", "status"}}}.
 */
public final class GeminiSimApi implements SimApi {

    static final String GEMINI_PREFIX = "/v1beta/models/";
    static final String STREAM_METHOD = ":streamGenerateContent";
    private static final String UNARY_METHOD = ":generateContent";
    private static final String INVALID_ARGUMENT = "INVALID_ARGUMENT";
    private static final ObjectMapper MAPPER = Json.MAPPER;

    private final boolean vertex;

    /** The Gemini API form ({@code api: gemini}). */
    public GeminiSimApi() {
        this(false);
    }

    private GeminiSimApi(boolean vertex) {
        this.vertex = vertex;
    }

    /** The Vertex AI form ({@code api: vertex-gemini}). */
    public static GeminiSimApi vertex() {
        return new GeminiSimApi(true);
    }

    @Override
    public String api() {
        return vertex ? "vertex-gemini" : "gemini";
    }

    /** Streaming and unary generateContent on this form's path; the unary one is refused in {@link #parse}. */
    @Override
    public boolean handles(String method, String path) {
        return "POST".equals(method) && modelOf(path) != null;
    }

    @Override
    public SimRequest parse(String path, String query, MultiMap headers, Buffer body) throws SimRequestException {
        String model = modelOf(path);
        if (model == null) {
            throw refusal(404, "Method not found.", "NOT_FOUND");
        }
        if (!path.endsWith(STREAM_METHOD)) {
            throw refusal(400, "This simulator only streams: call " + STREAM_METHOD + "?alt=sse.", INVALID_ARGUMENT);
        }
        if (!hasAltSse(query)) {
            throw refusal(400, "This simulator only streams server-sent events: add alt=sse to the query.",
                    INVALID_ARGUMENT);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body.getBytes());
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            throw refusal(400, "Invalid JSON payload received. Unexpected token.", INVALID_ARGUMENT);
        }
        JsonNode contents = root.get("contents");
        if (contents == null || !contents.isArray() || contents.isEmpty()) {
            throw refusal(400, "* GenerateContentRequest.contents: contents is not specified\n", INVALID_ARGUMENT);
        }
        JsonNode generationConfig = member(root, "generationConfig", "generation_config");
        Integer maxTokens = null;
        JsonNode max = member(generationConfig, "maxOutputTokens", "max_output_tokens");
        if (max != null && !max.isNull()) {
            if (!max.isIntegralNumber() || !max.canConvertToInt() || max.intValue() < 1) {
                throw refusal(400, "* GenerateContentRequest.generation_config.max_output_tokens: must be a positive"
                        + " integer, got " + max + "\n", INVALID_ARGUMENT);
            }
            maxTokens = max.intValue();
        }
        JsonNode thinkingConfig = member(generationConfig, "thinkingConfig", "thinking_config");
        JsonNode includeThoughts = member(thinkingConfig, "includeThoughts", "include_thoughts");
        boolean wantsReasoning = includeThoughts != null && includeThoughts.asBoolean(false);

        List<String> promptTexts = new ArrayList<>();
        addPartTexts(member(root, "systemInstruction", "system_instruction"), promptTexts);
        for (JsonNode content : contents) {
            addPartTexts(content, promptTexts);
        }
        return new SimRequest(model, maxTokens, true, promptTexts, wantsReasoning).withTools(root.get("tools"));
    }

    @Override
    public SimError error(int status, String message, String code) {
        String googleStatus = code != null && isGoogleStatus(code) ? code : statusFor(status);
        return new SimError(status, "application/json; charset=UTF-8",
                GeminiSimEncoder.errorBody(status, message, googleStatus), Map.of());
    }

    @Override
    public SimEncoder encoder(SimRequest request, SimResponseFacts facts) {
        return new GeminiSimEncoder(vertex, request.model(), responseId(facts.responseId()),
                facts.createdEpochSeconds(), facts.sendsUsage(), request.toolName());
    }

    /** The model named by a path of this form (streaming or unary method), or null when the path is not one. */
    String modelOf(String path) {
        if (path == null) {
            return null;
        }
        String method = path.endsWith(STREAM_METHOD) ? STREAM_METHOD
                : path.endsWith(UNARY_METHOD) ? UNARY_METHOD : null;
        if (method == null) {
            return null;
        }
        String resource = path.substring(0, path.length() - method.length());
        String model;
        if (vertex) {
            // /v1/projects/{p}/locations/{l}/publishers/google/models/{m}
            String[] s = resource.split("/", -1);
            if (s.length != 10 || !s[0].isEmpty() || !("v1".equals(s[1]) || "v1beta1".equals(s[1]))
                    || !"projects".equals(s[2]) || s[3].isEmpty() || !"locations".equals(s[4]) || s[5].isEmpty()
                    || !"publishers".equals(s[6]) || !"google".equals(s[7]) || !"models".equals(s[8])) {
                return null;
            }
            model = s[9];
        } else {
            if (!resource.startsWith(GEMINI_PREFIX)) {
                return null;
            }
            model = resource.substring(GEMINI_PREFIX.length());
        }
        return model.isEmpty() || model.indexOf('/') >= 0 ? null : model;
    }

    private static boolean hasAltSse(String query) {
        if (query == null) {
            return false;
        }
        for (String pair : query.split("&")) {
            if ("alt=sse".equals(pair)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode member(JsonNode node, String camelCase, String snakeCase) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode value = node.get(camelCase);
        return value != null ? value : node.get(snakeCase);
    }

    /** The texts of a Content's parts ({@code {"parts": [{"text": …}, …]}}). */
    private static void addPartTexts(JsonNode content, List<String> texts) {
        if (content == null || !content.isObject()) {
            return;
        }
        JsonNode parts = content.get("parts");
        if (parts == null || !parts.isArray()) {
            return;
        }
        for (JsonNode part : parts) {
            JsonNode text = part.get("text");
            if (text != null && text.isTextual()) {
                texts.add(text.asText());
            }
        }
    }

    /** Google's response ids look like 22-23 URL-safe base64 characters; the engine's random hex gives the bits. */
    static String responseId(String hex) {
        if (hex.isEmpty() || hex.length() % 2 != 0 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return hex;
        }
        int bytes = hex.length() / 2;
        byte[] raw = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            raw[i] = (byte) Integer.parseInt(hex, 2 * i, 2 * i + 2, 16);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static boolean isGoogleStatus(String code) {
        if (code.isEmpty()) {
            return false;
        }
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && c != '_') {
                return false;
            }
        }
        return true;
    }

    /** The google.rpc.Code name Google's HTTP front ends pair with a status. */
    static String statusFor(int httpStatus) {
        switch (httpStatus) {
            case 400: return INVALID_ARGUMENT;
            case 401: return "UNAUTHENTICATED";
            case 403: return "PERMISSION_DENIED";
            case 404: return "NOT_FOUND";
            case 409: return "ABORTED";
            case 429: return "RESOURCE_EXHAUSTED";
            case 499: return "CANCELLED";
            case 500: return "INTERNAL";
            case 501: return "NOT_IMPLEMENTED";
            case 503: return "UNAVAILABLE";
            case 504: return "DEADLINE_EXCEEDED";
            default: return httpStatus >= 500 ? "UNKNOWN" : "FAILED_PRECONDITION";
        }
    }

    private static SimRequestException refusal(int status, String message, String googleStatus) {
        return new SimRequestException(status, message, null, googleStatus);
    }
}
