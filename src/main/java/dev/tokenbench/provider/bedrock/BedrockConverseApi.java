package dev.tokenbench.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.ProviderAccess;
import dev.tokenbench.config.TargetFields;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.core.Json;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.ErrorBodies;
import dev.tokenbench.provider.PreparedRequest;
import dev.tokenbench.provider.ProviderApi;
import dev.tokenbench.provider.StreamDecoder;
import dev.tokenbench.sim.SimApi;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Amazon Bedrock ConverseStream ({@code POST {base}/model/{modelId}/converse-stream}), the one streaming API that
 * serves every Bedrock text model. The model id is a path segment, percent-encoded as the AWS SDKs encode it, so
 * inference profile ids ({@code us.anthropic.claude-…-v1:0}) and ARNs go through. The base URL defaults to
 * {@code https://bedrock-runtime.{region}.amazonaws.com}.
 *
 * <p>Body: {@code messages} (a conversation's earlier turns, then the prompt as a user text block),
 * {@code system} (when the prompt has one), {@code inferenceConfig.maxTokens} (the output cap). The target's
 * {@code params} are merged in: Converse's own top-level fields ({@code inferenceConfig},
 * {@code additionalModelRequestFields}, {@code performanceConfig}, {@code guardrailConfig}, …) as they are,
 * objects merged member by member; {@code temperature}, {@code topP}, {@code stopSequences} and {@code maxTokens}
 * into {@code inferenceConfig}; every other key into {@code additionalModelRequestFields}, where a model's own
 * settings go (Claude's {@code thinking: {type: enabled, budget_tokens: 2048}}, Nova's {@code reasoningConfig},
 * {@code top_k}).
 * Bedrock always ends the stream with usage, so there is nothing to ask for.
 *
 * <p>Auth: a Bedrock API key is sent as {@code Authorization: Bearer}. With {@code auth: sigv4} each request is
 * signed with SigV4 (service {@code bedrock}, the target's region, or the region of a
 * {@code bedrock-runtime.{region}.amazonaws.com} base URL) by the AWS SDK for Java v2's signer, with credentials
 * from the AWS default chain loaded in {@link #beforeRun} (environment, system properties, ~/.aws profiles,
 * container and instance roles); sigv4 wins when a key is set too.
 */
public final class BedrockConverseApi implements ProviderApi {
    public static final String NAME = "bedrock-converse";
    public static final String SIGV4 = "sigv4";
    public static final String CONTENT_TYPE = "application/vnd.amazon.eventstream";

    private static final ObjectMapper JSON = Json.MAPPER;
    private static final Pattern REGION_IN_HOST =
            Pattern.compile("^https?://bedrock-runtime(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?(?::\\d+)?(?:/.*)?$");
    /** Converse request members a params map may set directly. */
    private static final Set<String> CONVERSE_FIELDS = Set.of("inferenceConfig", "additionalModelRequestFields",
            "additionalModelResponseFieldPaths", "performanceConfig", "guardrailConfig", "promptVariables",
            "requestMetadata", "toolConfig", "serviceTier");
    private static final Set<String> INFERENCE_CONFIG_FIELDS = Set.of("maxTokens", "temperature", "topP",
            "stopSequences");

    private final Supplier<AwsCredentialsProvider> credentialsProviders;
    private final Clock clock;
    private volatile BedrockSigV4 sigV4;
    private final Map<String, String> regionByBaseUrl = new ConcurrentHashMap<>();

    /** Credentials from the AWS default chain, signing on the system clock. */
    public BedrockConverseApi() {
        this(DefaultCredentialsProvider::create, Clock.systemUTC());
    }

    /**
     * @param credentialsProviders the provider to sign with, asked for on the first {@code sigv4} target's
     *                             {@link #beforeRun} (tests inject static credentials)
     * @param clock                the signing clock (X-Amz-Date)
     */
    public BedrockConverseApi(Supplier<AwsCredentialsProvider> credentialsProviders, Clock clock) {
        this.credentialsProviders = Objects.requireNonNull(credentialsProviders, "credentialsProviders");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String cloud() {
        return "aws";
    }

    /** Bedrock names the error's kind in a header ({@code x-amzn-errortype}); its body has only a message. */
    @Override
    public String errorMessage(String body, Map<String, String> headers) {
        return ErrorBodies.describe(body, ErrorBodies.amazonErrorType(headers));
    }

    @Override
    public List<String> keys() {
        return List.of("auth", "region");
    }

    @Override
    public List<String> authSchemes() {
        return List.of("api-key", SIGV4);
    }

    /**
     * Without a key, Bedrock signs with the AWS credentials chain, except against the simulator, which needs no
     * credentials at all.
     */
    @Override
    public String defaultAuthScheme(boolean hasApiKey, boolean simulated) {
        return !hasApiKey && !simulated ? SIGV4 : "api-key";
    }

    @Override
    public String postedAuthProblem(String auth) {
        return SIGV4.equals(auth) ? "auth: sigv4 signs with the service host's own AWS credentials, which a "
                + "benchmark posted to the service cannot use; use a Bedrock API key, api-key: ${credential:NAME}, "
                + "or a benchmark file the service has" : null;
    }

    @Override
    public boolean derivesBaseUrl() {
        return true;
    }

    @Override
    public String baseUrlFor(ProviderAccess access) {
        return access.region() == null ? null : defaultBaseUrl(access.region());
    }

    @Override
    public String hint(String lowerCaseName) {
        return "bedrock".equals(lowerCaseName) ? " (did you mean '" + NAME + "'?)" : null;
    }

    /** A region (or a base-url) says where to send; auth: api-key needs its key (the simulator needs none). */
    @Override
    public void checkAccess(TargetFields target, ProviderAccess access) {
        if (!target.hasBaseUrl() && access.region() == null) {
            target.problem("region", "region is required for api " + NAME + " (or a base-url); write the AWS "
                    + "region, e.g. us-east-1");
        }
        if (!target.simulated() && "api-key".equals(access.auth()) && !target.hasApiKey()) {
            target.problem("api-key", "auth: api-key needs api-key (a Bedrock API key, e.g. "
                    + "${env:AWS_BEARER_TOKEN_BEDROCK}); or use auth: sigv4 for the AWS credentials chain");
        }
    }

    /** {@code https://bedrock-runtime.{region}.amazonaws.com}: the base URL of a target that sets none. */
    public static String defaultBaseUrl(String region) {
        return "https://bedrock-runtime." + region + ".amazonaws.com";
    }

    @Override
    public PreparedRequest prepare(TargetSpec target, String resolvedBaseUrl, Prompt prompt, int maxOutputTokens) {
        String base = resolvedBaseUrl;
        if (base == null || base.isBlank()) {
            String region = region(target.access());
            if (region == null) {
                throw new IllegalArgumentException("target " + target.name()
                        + ": bedrock-converse needs a base-url or a region (e.g. us-east-1)");
            }
            base = defaultBaseUrl(region);
        }
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String uri = base + "/model/" + encodePathSegment(target.model()) + "/converse-stream";

        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        if (!isSigV4(target) && target.apiKey() != null) {
            headers.put("authorization", "Bearer " + target.apiKey().reveal());
        }
        return new PreparedRequest("POST", uri, headers, body(target, prompt, maxOutputTokens));
    }

    static byte[] body(TargetSpec target, Prompt prompt, int maxOutputTokens) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode messages = body.putArray("messages");
        for (Prompt.Message earlier : prompt.history()) {
            messages.addObject().put("role", earlier.role() == Prompt.Role.USER ? "user" : "assistant")
                    .putArray("content").addObject().put("text", earlier.text());
        }
        messages.addObject().put("role", "user").putArray("content").addObject().put("text", prompt.user());
        if (prompt.system() != null && !prompt.system().isEmpty()) {
            body.putArray("system").addObject().put("text", prompt.system());
        }
        if (maxOutputTokens > 0) {
            body.putObject("inferenceConfig").put("maxTokens", maxOutputTokens);
        }
        if (target.params() != null) {
            for (Map.Entry<String, Object> p : target.params().entrySet()) {
                JsonNode value = JSON.valueToTree(p.getValue());
                String key = p.getKey();
                if (CONVERSE_FIELDS.contains(key)) {
                    merge(body, key, value);
                } else if (INFERENCE_CONFIG_FIELDS.contains(key)) {
                    objectAt(body, "inferenceConfig").set(key, value);
                } else {
                    objectAt(body, "additionalModelRequestFields").set(key, value);
                }
            }
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the request body for target " + target.name(), e);
        }
    }

    /** Sets {@code parent.key} to {@code value}; two objects are merged member by member, the value's winning. */
    private static void merge(ObjectNode parent, String key, JsonNode value) {
        JsonNode existing = parent.get(key);
        if (existing instanceof ObjectNode existingObject && value instanceof ObjectNode valueObject) {
            valueObject.properties().forEach(e -> merge(existingObject, e.getKey(), e.getValue()));
        } else {
            parent.set(key, value);
        }
    }

    private static ObjectNode objectAt(ObjectNode parent, String key) {
        JsonNode existing = parent.get(key);
        return existing instanceof ObjectNode object ? object : parent.putObject(key);
    }

    /** RFC 3986 unreserved characters stay; every other byte of the UTF-8 form is percent-encoded, as the SDKs do. */
    static String encodePathSegment(String segment) {
        byte[] utf8 = segment.getBytes(StandardCharsets.UTF_8);
        StringBuilder encoded = new StringBuilder(utf8.length + 8);
        for (byte b : utf8) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return encoded.toString();
    }

    @Override
    public StreamDecoder newDecoder(RequestMeasurement measurement) {
        return new BedrockConverseDecoder(measurement);
    }

    /** For sigv4 targets: checks the region and loads credentials from the chain (blocking, off the event loop). */
    @Override
    public void beforeRun(TargetSpec target) {
        if (!isSigV4(target)) {
            return;
        }
        if (signingRegion(target) == null) {
            throw new IllegalArgumentException("auth sigv4 needs the region to sign for: set region (e.g. us-east-1)"
                    + " or a base-url of the form https://bedrock-runtime.<region>.amazonaws.com");
        }
        BedrockSigV4 signing = sigV4;
        if (signing == null) {
            signing = new BedrockSigV4(credentialsProviders.get(), clock);
        }
        try {
            signing.load();
        } catch (RuntimeException e) {
            // The chain's message lists the sources it tried and why each failed; it holds no credential.
            throw new IllegalStateException("auth sigv4 found no AWS credentials in the default chain (environment"
                    + " AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, system properties, ~/.aws profiles with AWS_PROFILE,"
                    + " container or instance role): " + dev.tokenbench.provider.ProviderMessages.trim(String.valueOf(e.getMessage())),
                    e);
        }
        signing.warmUp(signingRegion(target));
        sigV4 = signing;
    }

    /** For sigv4 targets: X-Amz-Date, X-Amz-Content-Sha256, Authorization (and X-Amz-Security-Token). */
    @Override
    public Map<String, String> perRequestHeaders(TargetSpec target, PreparedRequest prepared) {
        if (!isSigV4(target)) {
            return Map.of();
        }
        BedrockSigV4 signing = sigV4;
        if (signing == null) {
            throw new IllegalStateException("target " + target.name() + ": beforeRun did not load credentials");
        }
        String region = region(target.access());
        if (region == null) {
            // Per request, so the base URL's region is looked up, not matched again
            region = target.baseUrl() == null ? null : regionByBaseUrl.get(target.baseUrl());
            if (region == null) {
                region = signingRegion(target);
                if (region == null) {
                    throw new IllegalStateException("target " + target.name() + ": no region to sign for");
                }
                regionByBaseUrl.put(target.baseUrl(), region);
            }
        }
        return signing.headers(prepared, region);
    }

    static boolean isSigV4(TargetSpec target) {
        return target.access() != null && target.access().auth() != null
                && SIGV4.equals(target.access().auth().toLowerCase(Locale.ROOT));
    }

    /** The target's region, else the one in a bedrock-runtime base URL, else null. */
    static String signingRegion(TargetSpec target) {
        String region = region(target.access());
        if (region != null) {
            return region;
        }
        if (target.baseUrl() != null) {
            Matcher matcher = REGION_IN_HOST.matcher(target.baseUrl());
            if (matcher.matches()) {
                return matcher.group(1);
            }
        }
        return null;
    }

    private static String region(ProviderAccess access) {
        return access == null || access.region() == null || access.region().isBlank() ? null : access.region();
    }

    @Override
    public SimApi simApi() {
        return new BedrockSimApi();
    }
}
