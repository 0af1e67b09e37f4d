package dev.tokenbench.provider.bedrock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.PromptSet;
import dev.tokenbench.config.ProviderAccess;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.Secret;
import dev.tokenbench.config.SloSpec;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.provider.StreamReplay;
import dev.tokenbench.run.RunEngine;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The requests tokenbench sends to Bedrock's ConverseStream, through the real run engine against WireMock serving
 * golden event streams as {@code application/vnd.amazon.eventstream}: the model id's encoding in the path, a
 * Bedrock API key as Bearer vs a SigV4 signature (checked against the specification with the headers that were
 * actually received, Host included), the body fields, and what the run measured from the answers.
 */
class BedrockConverseContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENCODED_PROFILE = "us.anthropic.claude-3-7-sonnet-20250219-v1%3A0";
    private static final Prompt PROMPT = new Prompt("river", "You are terse.", "Name a river in Europe.", null);

    private static WireMockServer wireMock;
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        wireMock = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        wireMock.start();
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    }

    @AfterAll
    static void stop() {
        wireMock.stop();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @BeforeEach
    void reset() {
        wireMock.resetAll();
    }

    private static String baseUrl() {
        return "http://127.0.0.1:" + wireMock.port();
    }

    private static void serveGolden(String file) {
        wireMock.stubFor(post(urlPathMatching("/model/[^/]+/converse-stream"))
                .willReturn(aResponse().withStatus(200)
                        .withHeader("content-type", BedrockConverseApi.CONTENT_TYPE)
                        .withHeader("x-amzn-RequestId", "5a8f0c2e-1111-2222-3333-444455556666")
                        .withBody(StreamReplay.resource(BedrockGoldenStreams.DIR + file))));
    }

    private static TargetSpec target(String name, Secret key, Map<String, Object> params, ProviderAccess access) {
        return BedrockConverseApiTest.target(name, baseUrl(), BedrockConverseApiTest.PROFILE_ID, key, params,
                access);
    }

    private static List<RequestRecord> run(List<TargetSpec> targets, int requests, Path dir) throws Exception {
        BedrockConverseApi api = new BedrockConverseApi(() -> StaticCredentialsProvider.create(
                AwsBasicCredentials.create(BedrockConverseApiTest.ACCESS_KEY_ID,
                        BedrockConverseApiTest.SECRET_ACCESS_KEY)), Clock.systemUTC());
        RunPlan plan = RunPlan.builder()
                .name("bedrock-contract")
                .sourceFile("(test)")
                .targets(targets)
                .prompts(new PromptSet("contract", "(test)", List.of(PROMPT)))
                .load(new LoadSpec(LoadSpec.CLOSED, 1, requests, 0, Duration.ofSeconds(20), Duration.ofSeconds(10)))
                .maxOutputTokens(256)
                .slo(SloSpec.DEFAULT)
                .baseline(targets.get(0).name())
                .simulator(null)
                .redactedConfig(null)
                .build();
        ConcurrentLinkedQueue<RequestRecord> records = new ConcurrentLinkedQueue<>();
        RunEngine.Handle handle = new RunEngine(vertx, new ProviderRegistry(api))
                .start(plan, "contract", dir, records::add);
        handle.await();
        assertEquals(requests * targets.size(), records.size());
        return new ArrayList<>(records);
    }

    private static List<LoggedRequest> sentBy(String target) {
        return wireMock.findAll(postRequestedFor(urlMatching(".*"))).stream()
                .filter(r -> r.getHeader("x-request-id").startsWith("tb-contract-" + target + "-"))
                .toList();
    }

    @Test
    void bearerAndSigV4TargetsSendTheirAuthAndTheBodyAndTheRunMeasuresTheStream(@TempDir Path dir)
            throws Exception {
        serveGolden(BedrockGoldenStreams.TEXT);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("thinking", Map.of("type", "enabled", "budget_tokens", 1024));
        params.put("temperature", 1);
        TargetSpec bearer = target("keyed", new Secret("ABSK-test-bedrock-key", "env:AWS_BEARER_TOKEN_BEDROCK"),
                params, new ProviderAccess(null, null, List.of(), "us-east-1", null, null));
        TargetSpec signed = target("signed", null, null, BedrockConverseApiTest.sigV4("eu-west-3"));

        List<RequestRecord> records = run(List.of(bearer, signed), 2, dir);

        for (RequestRecord r : records) {
            assertTrue(r.ok(), r.target() + " " + r.outcome() + " " + r.error());
            assertEquals(5, r.contentEvents());
            assertEquals(7, r.outputTokens());
            assertEquals(12, r.inputTokens());
            assertFalse(r.tokensEstimated());
            assertEquals("5a8f0c2e-1111-2222-3333-444455556666", r.headers().get("x-amzn-requestid"));
            assertTrue(r.ttftMs() > 0 && r.ttftMs() <= r.e2eLatencyMs(), r.toString());
        }

        List<LoggedRequest> keyed = sentBy("keyed");
        assertEquals(2, keyed.size());
        for (LoggedRequest sent : keyed) {
            assertEquals("/model/" + ENCODED_PROFILE + "/converse-stream", sent.getUrl());
            assertEquals("Bearer ABSK-test-bedrock-key", sent.getHeader("authorization"));
            assertFalse(sent.containsHeader("x-amz-date"));
            assertEquals("application/json", sent.getHeader("content-type"));
            JsonNode body = JSON.readTree(sent.getBodyAsString());
            assertEquals(256, body.at("/inferenceConfig/maxTokens").asInt());
            assertEquals(1, body.at("/inferenceConfig/temperature").asInt());
            assertEquals("You are terse.", body.at("/system/0/text").asText());
            assertEquals("user", body.at("/messages/0/role").asText());
            assertEquals("Name a river in Europe.", body.at("/messages/0/content/0/text").asText());
            assertEquals(1024, body.at("/additionalModelRequestFields/thinking/budget_tokens").asInt());
        }

        List<LoggedRequest> signedRequests = sentBy("signed");
        assertEquals(2, signedRequests.size());
        for (LoggedRequest sent : signedRequests) {
            assertEquals("/model/" + ENCODED_PROFILE + "/converse-stream", sent.getUrl());
            String authorization = sent.getHeader("authorization");
            assertTrue(authorization.matches("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/eu-west-3/bedrock/"
                    + "aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, "
                    + "Signature=[0-9a-f]{64}"), authorization);
            String payloadHash = SigV4Reference.sha256Hex(sent.getBody());
            assertEquals(payloadHash, sent.getHeader("x-amz-content-sha256"));
            String amzDate = sent.getHeader("x-amz-date");
            assertTrue(amzDate.matches("\\d{8}T\\d{6}Z"), amzDate);
            assertEquals("127.0.0.1:" + wireMock.port(), sent.getHeader("host"));
            // What AWS would compute from the request as it arrived: the signature covers what was sent.
            String expected = SigV4Reference.authorization("POST", sent.getUrl(),
                    Map.of("content-type", sent.getHeader("content-type"), "host", sent.getHeader("host"),
                            "x-amz-content-sha256", payloadHash, "x-amz-date", amzDate),
                    payloadHash, amzDate, "eu-west-3", "bedrock", BedrockConverseApiTest.ACCESS_KEY_ID,
                    BedrockConverseApiTest.SECRET_ACCESS_KEY);
            assertEquals(expected, authorization);
            JsonNode body = JSON.readTree(sent.getBodyAsString());
            assertEquals(256, body.at("/inferenceConfig/maxTokens").asInt());
            assertTrue(body.at("/additionalModelRequestFields").isMissingNode());
        }
    }

    @Test
    void reasoningStreamAndAThrottledRequestThroughTheEngine(@TempDir Path dir) throws Exception {
        serveGolden(BedrockGoldenStreams.REASONING);
        List<RequestRecord> ok = run(List.of(target("thinker", null, null, ProviderAccess.NONE)), 1, dir);
        RequestRecord r = ok.get(0);
        assertTrue(r.ok(), r.outcome() + " " + r.error());
        assertEquals(31, r.outputTokens());
        assertEquals(8, r.cachedInputTokens());
        assertTrue(r.reasoningTokens() > 0, "estimated from the reasoning text");
        assertTrue(r.timeToFirstOutputMs() <= r.ttftMs());
        assertNull(sentBy("thinker").get(0).getHeader("authorization"), "no key, no sigv4: no auth header");

        wireMock.resetAll();
        wireMock.stubFor(post(urlPathMatching("/model/[^/]+/converse-stream"))
                .willReturn(aResponse().withStatus(429).withHeader("content-type", "application/json")
                        .withHeader("x-amzn-ErrorType",
                                "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/")
                        .withBody("{\"message\":\"Too many requests, please wait before trying again.\"}")));
        List<RequestRecord> throttled = run(List.of(target("throttled", null, null, ProviderAccess.NONE)), 1,
                dir.resolve("throttled"));
        assertEquals(Outcome.HTTP_429, throttled.get(0).outcome());
        assertEquals("HTTP 429: ThrottlingException: Too many requests, please wait before trying again.",
                throttled.get(0).error());

        wireMock.resetAll();
        serveGolden(BedrockGoldenStreams.EXCEPTION);
        List<RequestRecord> failed = run(List.of(target("failing", null, null, ProviderAccess.NONE)), 1,
                dir.resolve("failing"));
        assertEquals(Outcome.STREAM_ERROR, failed.get(0).outcome());
        assertTrue(failed.get(0).error().startsWith("modelStreamErrorException: "), failed.get(0).error());
    }
}
