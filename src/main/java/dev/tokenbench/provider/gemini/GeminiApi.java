package dev.tokenbench.provider.gemini;

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
import java.util.Set;

/**
 * The Gemini API (Google AI Studio keys), streaming:
 * {@code POST {base}/v1beta/models/{model}:streamGenerateContent?alt=sse} with the key in {@code x-goog-api-key}
 * (a header, not the {@code key=} query parameter, so the key never sits in a URL that a proxy or a log may keep).
 * The base defaults to {@value #DEFAULT_BASE_URL}, the google-genai SDK's.
 *
 * <p>The request body is a GenerateContentRequest: a conversation's earlier turns (role user or model), then the
 * prompt as a user turn in {@code contents}, its system prompt as {@code systemInstruction}, the output cap as
 * {@code generationConfig.maxOutputTokens} (on thinking models the cap covers thinking too, as Google counts it).
 * Usage needs no flag: Gemini always sends {@code usageMetadata}. A target's {@code params} are merged into the
 * body where Google puts them: a param named like one of the request's own top-level fields ({@code generationConfig}, {@code safetySettings},
 * {@code tools}, {@code toolConfig}, {@code systemInstruction}, {@code cachedContent}, {@code labels}, or their
 * snake_case spelling) is deep-merged at the top; every other param ({@code temperature}, {@code topP},
 * {@code thinkingConfig: {includeThoughts: true, thinkingBudget: 1024}}, {@code thinkingConfig.thinkingLevel}, …)
 * is deep-merged into {@code generationConfig}. Objects merge member by member, anything else replaces, and
 * params win over what tokenbench sets (so {@code maxOutputTokens} in params overrides max-output-tokens).
 * {@code contents} cannot be a param: the prompt set supplies it.
 */
public final class GeminiApi implements ProviderApi {
    public static final String NAME = "gemini";
    public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";

    private static final ObjectMapper JSON = Json.MAPPER;
    /**
     * GenerateContentRequest's own fields that a param may set, in both spellings Google's JSON parser accepts,
     * each mapped to the camelCase one tokenbench writes, so a body never holds one field under two names.
     */
    private static final Map<String, String> TOP_LEVEL_FIELDS = Map.ofEntries(
            Map.entry("generationConfig", "generationConfig"), Map.entry("generation_config", "generationConfig"),
            Map.entry("safetySettings", "safetySettings"), Map.entry("safety_settings", "safetySettings"),
            Map.entry("tools", "tools"),
            Map.entry("toolConfig", "toolConfig"), Map.entry("tool_config", "toolConfig"),
            Map.entry("systemInstruction", "systemInstruction"),
            Map.entry("system_instruction", "systemInstruction"),
            Map.entry("cachedContent", "cachedContent"), Map.entry("cached_content", "cachedContent"),
            Map.entry("labels", "labels"));
    private static final Set<String> PROMPT_FIELDS = Set.of("contents");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String cloud() {
        return "google";
    }

    @Override
    public String defaultBaseUrl() {
        return DEFAULT_BASE_URL;
    }

    @Override
    public String hint(String lowerCaseName) {
        return "google".equals(lowerCaseName) ? " (did you mean '" + NAME + "'?)" : null;
    }

    @Override
    public void beforeRun(TargetSpec target) {
        checkParams(target);
    }

    @Override
    public PreparedRequest prepare(TargetSpec target, String resolvedBaseUrl, Prompt prompt, int maxOutputTokens) {
        String base = resolvedBaseUrl == null || resolvedBaseUrl.isEmpty() ? DEFAULT_BASE_URL : resolvedBaseUrl;
        String uri = base + "/v1beta/models/" + modelId(target.model()) + ":streamGenerateContent?alt=sse";
        Map<String, String> headers = jsonStreamHeaders();
        if (target.apiKey() != null) {
            headers.put("x-goog-api-key", target.apiKey().reveal());
        }
        return new PreparedRequest("POST", uri, headers, requestBody(target, prompt, maxOutputTokens));
    }

    @Override
    public StreamDecoder newDecoder(RequestMeasurement measurement) {
        return new GeminiDecoder(measurement);
    }

    /** {@code models/gemini-2.5-flash} (the API's resource name) and {@code gemini-2.5-flash} are the same model. */
    static String modelId(String model) {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("a Gemini target needs a model, e.g. gemini-2.5-flash");
        }
        return model.startsWith("models/") ? model.substring("models/".length()) : model;
    }

    static Map<String, String> jsonStreamHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("accept", "text/event-stream");
        return headers;
    }

    /** Fails before the run, not when requests are built, on a missing model or a param replacing the prompt. */
    static void checkParams(TargetSpec target) {
        modelId(target.model());
        if (target.params() == null) {
            return;
        }
        for (String key : target.params().keySet()) {
            if (PROMPT_FIELDS.contains(key)) {
                throw new IllegalArgumentException("params." + key + " cannot be set: tokenbench builds " + key
                        + " from the prompt set; remove it");
            }
        }
    }

    /** The GenerateContentRequest body shared by the Gemini API and Vertex AI (see the class comment). */
    static byte[] requestBody(TargetSpec target, Prompt prompt, int maxOutputTokens) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode contents = body.putArray("contents");
        for (Prompt.Message earlier : prompt.history()) {
            contents.addObject().put("role", earlier.role() == Prompt.Role.USER ? "user" : "model")
                    .putArray("parts").addObject().put("text", earlier.text());
        }
        ObjectNode user = contents.addObject();
        user.put("role", "user");
        user.putArray("parts").addObject().put("text", prompt.user());
        if (prompt.system() != null && !prompt.system().isEmpty()) {
            body.putObject("systemInstruction").putArray("parts").addObject().put("text", prompt.system());
        }
        ObjectNode generationConfig = body.putObject("generationConfig");
        if (maxOutputTokens > 0) {
            generationConfig.put("maxOutputTokens", maxOutputTokens);
        }
        if (target.params() != null) {
            for (Map.Entry<String, Object> p : target.params().entrySet()) {
                if (PROMPT_FIELDS.contains(p.getKey())) {
                    continue; // refused in beforeRun
                }
                JsonNode value = JSON.valueToTree(p.getValue());
                String topLevel = TOP_LEVEL_FIELDS.get(p.getKey());
                if (topLevel != null) {
                    deepMerge(body, topLevel, value);
                } else {
                    deepMerge(generationConfig, p.getKey(), value);
                }
            }
        }
        if (body.get("generationConfig") == generationConfig && generationConfig.isEmpty()) {
            body.remove("generationConfig");
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the request body for target " + target.name(), e);
        }
    }

    private static void deepMerge(ObjectNode into, String key, JsonNode value) {
        JsonNode existing = into.get(key);
        if (existing instanceof ObjectNode existingObject && value instanceof ObjectNode valueObject) {
            valueObject.fields().forEachRemaining(f -> deepMerge(existingObject, f.getKey(), f.getValue()));
        } else {
            into.set(key, value);
        }
    }

    @Override
    public SimApi simApi() {
        return new GeminiSimApi();
    }
}
