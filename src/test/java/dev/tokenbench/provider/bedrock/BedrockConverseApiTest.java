package dev.tokenbench.provider.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.config.Pricing;
import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.ProviderAccess;
import dev.tokenbench.config.Secret;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.provider.PreparedRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Request encoding, auth headers and SigV4 signing, without a network. */
class BedrockConverseApiTest {
    static final String ACCESS_KEY_ID = "AKIDEXAMPLE";
    static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final String PROFILE_ID = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Prompt PROMPT = new Prompt("p1", "Be brief.", "Say \"hi\" 🌍", null);

    static TargetSpec target(String name, String baseUrl, String model, Secret key, Map<String, Object> params,
            ProviderAccess access) {
        return TargetSpec.builder()
                .name(name)
                .api(BedrockConverseApi.NAME)
                .baseUrl(baseUrl)
                .model(model)
                .deployment(null)
                .apiVersion(null)
                .apiKey(key)
                .pricing(Pricing.NONE)
                .labels(Map.of())
                .params(params)
                .maxOutputTokens(null)
                .maxTokensField(null)
                .tokenizer("o200k_base")
                .access(access)
                .build();
    }

    static ProviderAccess sigV4(String region) {
        return new ProviderAccess("sigv4", null, List.of(), region, null, null);
    }

    /** A clock whose time the test sets. */
    static final class SettableClock extends Clock {
        volatile long millis;

        SettableClock(long millis) {
            this.millis = millis;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    @Test
    void pathEncodesTheModelIdAsOneSegment() {
        BedrockConverseApi api = new BedrockConverseApi();
        PreparedRequest profile = api.prepare(target("t", "https://bedrock-runtime.us-east-1.amazonaws.com/", PROFILE_ID,
                null, null, ProviderAccess.NONE), "https://bedrock-runtime.us-east-1.amazonaws.com/", PROMPT, 0);
        assertEquals("https://bedrock-runtime.us-east-1.amazonaws.com/model/"
                + "us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse-stream", profile.absoluteUri());
        assertEquals("POST", profile.method());

        String arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.meta.llama3-2-1b-instruct-v1:0";
        PreparedRequest byArn = api.prepare(target("t", "http://gw.local/bedrock", arn, null, null,
                ProviderAccess.NONE), "http://gw.local/bedrock", PROMPT, 0);
        assertEquals("http://gw.local/bedrock/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3A"
                + "inference-profile%2Fus.meta.llama3-2-1b-instruct-v1%3A0/converse-stream", byArn.absoluteUri());
        assertEquals("a%20b%2Bc~%C3%A9", BedrockConverseApi.encodePathSegment("a b+c~é"));
    }

    @Test
    void baseUrlDefaultsToTheRegionsRuntimeEndpoint() {
        BedrockConverseApi api = new BedrockConverseApi();
        PreparedRequest request = api.prepare(target("t", null, "amazon.nova-pro-v1:0", null, null,
                new ProviderAccess(null, null, List.of(), "eu-central-1", null, null)), null, PROMPT, 0);
        assertEquals("https://bedrock-runtime.eu-central-1.amazonaws.com/model/amazon.nova-pro-v1%3A0/converse-stream",
                request.absoluteUri());
        assertThrows(IllegalArgumentException.class, () -> api.prepare(target("t", null, "m", null, null,
                ProviderAccess.NONE), null, PROMPT, 0));
    }

    @Test
    void bodyHasMessagesSystemMaxTokensAndParamsWhereConverseWantsThem() throws Exception {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("thinking", Map.of("type", "enabled", "budget_tokens", 2048));
        params.put("temperature", 1);
        params.put("top_k", 40);
        params.put("performanceConfig", Map.of("latency", "optimized"));
        params.put("inferenceConfig", Map.of("topP", 0.9));
        PreparedRequest request = new BedrockConverseApi().prepare(target("t", "http://x", "m", null, params,
                ProviderAccess.NONE), "http://x", PROMPT, 4096);
        JsonNode body = JSON.readTree(request.body());
        assertEquals("user", body.at("/messages/0/role").asText());
        assertEquals("Say \"hi\" 🌍", body.at("/messages/0/content/0/text").asText());
        assertEquals("Be brief.", body.at("/system/0/text").asText());
        assertEquals(4096, body.at("/inferenceConfig/maxTokens").asInt());
        assertEquals(1, body.at("/inferenceConfig/temperature").asInt());
        assertEquals(0.9, body.at("/inferenceConfig/topP").asDouble());
        assertEquals("enabled", body.at("/additionalModelRequestFields/thinking/type").asText());
        assertEquals(2048, body.at("/additionalModelRequestFields/thinking/budget_tokens").asInt());
        assertEquals(40, body.at("/additionalModelRequestFields/top_k").asInt());
        assertEquals("optimized", body.at("/performanceConfig/latency").asText());
        assertEquals(List.of("messages", "system", "inferenceConfig", "additionalModelRequestFields",
                "performanceConfig"), fieldNames(body));
        assertEquals("application/json", request.headers().get("content-type"));

        JsonNode minimal = JSON.readTree(new BedrockConverseApi().prepare(target("t", "http://x", "m", null, null,
                ProviderAccess.NONE), "http://x", new Prompt("p", null, "hi", null), 0).body());
        assertEquals(List.of("messages"), fieldNames(minimal), "no cap, no system: Bedrock's defaults");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aBedrockApiKeyIsABearerTokenAndSigV4SendsNone() {
        BedrockConverseApi api = new BedrockConverseApi();
        Secret key = new Secret("ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl", "env:AWS_BEARER_TOKEN_BEDROCK");
        TargetSpec bearer = target("t", "http://x", "m", key, null, ProviderAccess.NONE);
        PreparedRequest request = api.prepare(bearer, "http://x", PROMPT, 0);
        assertEquals("Bearer ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl", request.headers().get("authorization"));
        assertFalse(request.toString().contains("ABSK"), request.toString());
        assertEquals(Map.of(), api.perRequestHeaders(bearer, request));

        TargetSpec signed = target("t", "http://x", "m", key, null, sigV4("us-east-1"));
        assertNull(api.prepare(signed, "http://x", PROMPT, 0).headers().get("authorization"));
    }

    @Test
    void sigV4HeadersAreTheSdkSignersAndMatchTheSpecification() {
        SettableClock clock = new SettableClock(Instant.parse("2025-03-04T05:06:07.250Z").toEpochMilli());
        BedrockConverseApi api = new BedrockConverseApi(
                () -> StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)),
                clock);
        TargetSpec target = target("t", "https://bedrock-runtime.us-west-2.amazonaws.com", PROFILE_ID, null, null,
                sigV4("us-west-2"));
        api.beforeRun(target);
        PreparedRequest request = api.prepare(target, target.baseUrl(), PROMPT, 100);
        Map<String, String> headers = api.perRequestHeaders(target, request);

        assertEquals(List.of("authorization", "x-amz-content-sha256", "x-amz-date"),
                headers.keySet().stream().sorted().toList());
        assertEquals("20250304T050607Z", headers.get("x-amz-date"));
        assertEquals(SigV4Reference.sha256Hex(request.body()), headers.get("x-amz-content-sha256"));
        URI uri = URI.create(request.absoluteUri());
        String expected = SigV4Reference.authorization("POST", uri.getRawPath(),
                Map.of("content-type", "application/json", "host", uri.getHost(),
                        "x-amz-content-sha256", headers.get("x-amz-content-sha256"),
                        "x-amz-date", headers.get("x-amz-date")),
                headers.get("x-amz-content-sha256"), "20250304T050607Z", "us-west-2", "bedrock", ACCESS_KEY_ID,
                SECRET_ACCESS_KEY);
        assertEquals(expected, headers.get("authorization"));
        assertTrue(headers.get("authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250304/"
                + "us-west-2/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,"
                + " Signature="));
        assertFalse(headers.toString().contains(SECRET_ACCESS_KEY));
    }

    @Test
    void signaturesAreReusedWithinASecondAndRenewedAfterIt() {
        SettableClock clock = new SettableClock(Instant.parse("2025-03-04T05:06:07.001Z").toEpochMilli());
        BedrockConverseApi api = new BedrockConverseApi(
                () -> StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)),
                clock);
        TargetSpec target = target("t", "https://bedrock-runtime.us-west-2.amazonaws.com", "m", null, null,
                sigV4(null));
        api.beforeRun(target);
        PreparedRequest a = api.prepare(target, target.baseUrl(), PROMPT, 100);
        PreparedRequest b = api.prepare(target, target.baseUrl(), new Prompt("p2", null, "other", null), 100);
        Map<String, String> first = api.perRequestHeaders(target, a);
        clock.millis += 998;
        assertSame(first, api.perRequestHeaders(target, a), "same second: the same signature, not signed again");
        Map<String, String> otherBody = api.perRequestHeaders(target, b);
        assertFalse(first.get("authorization").equals(otherBody.get("authorization")));
        clock.millis += 1;
        Map<String, String> nextSecond = api.perRequestHeaders(target, a);
        assertNotSame(first, nextSecond);
        assertEquals("20250304T050608Z", nextSecond.get("x-amz-date"));
        assertTrue(nextSecond.get("authorization").contains("/us-west-2/bedrock/"),
                "the region comes from the base URL when the target names none");
    }

    @Test
    void sessionCredentialsAddTheirTokenAndSignIt() {
        BedrockConverseApi api = new BedrockConverseApi(() -> StaticCredentialsProvider.create(
                AwsSessionCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY, "FQoGZXIvYXdzEXAMPLETOKEN")),
                new SettableClock(1_700_000_000_000L));
        TargetSpec target = target("t", "http://127.0.0.1:9", "m", null, null, sigV4("ap-south-1"));
        api.beforeRun(target);
        Map<String, String> headers = api.perRequestHeaders(target, api.prepare(target, target.baseUrl(), PROMPT, 0));
        assertEquals("FQoGZXIvYXdzEXAMPLETOKEN", headers.get("x-amz-security-token"));
        assertTrue(headers.get("authorization")
                .contains("SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"),
                headers.get("authorization"));
    }

    @Test
    void sigV4WithoutRegionOrCredentialsFailsBeforeTheRunWithoutSecrets() {
        BedrockConverseApi noCredentials = new BedrockConverseApi(() -> () -> {
            throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
        }, Clock.systemUTC());
        IllegalArgumentException noRegion = assertThrows(IllegalArgumentException.class,
                () -> noCredentials.beforeRun(target("t", "http://127.0.0.1:9", "m", null, null, sigV4(null))));
        assertTrue(noRegion.getMessage().contains("region"), noRegion.getMessage());
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> noCredentials.beforeRun(target("t", "http://127.0.0.1:9", "m", null, null, sigV4("us-east-1"))));
        assertTrue(none.getMessage().startsWith("auth sigv4 found no AWS credentials"), none.getMessage());
        assertTrue(none.getMessage().contains("Unable to load credentials"), none.getMessage());
        assertThrows(IllegalStateException.class, () -> new BedrockConverseApi().perRequestHeaders(
                target("t", "http://127.0.0.1:9", "m", null, null, sigV4("us-east-1")),
                new PreparedRequest("POST", "http://127.0.0.1:9/", Map.of(), new byte[0])));
    }

    @Test
    void theDefaultChainReadsTheAwsSystemProperties() {
        String oldId = System.getProperty("aws.accessKeyId");
        String oldSecret = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.accessKeyId", "AKIDSYSTEMPROPS");
        System.setProperty("aws.secretAccessKey", SECRET_ACCESS_KEY);
        try {
            BedrockConverseApi api = new BedrockConverseApi();
            TargetSpec target = target("t", "http://127.0.0.1:9", "m", null, null, sigV4("us-east-2"));
            api.beforeRun(target);
            Map<String, String> headers = api.perRequestHeaders(target,
                    api.prepare(target, target.baseUrl(), PROMPT, 0));
            assertTrue(headers.get("authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKIDSYSTEMPROPS/"),
                    headers.get("authorization"));
        } finally {
            restore("aws.accessKeyId", oldId);
            restore("aws.secretAccessKey", oldSecret);
        }
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}
