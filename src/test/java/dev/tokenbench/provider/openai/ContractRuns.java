package dev.tokenbench.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.PromptSet;
import dev.tokenbench.config.ProviderAccess;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.Secret;
import dev.tokenbench.config.SloSpec;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.provider.ProviderApi;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.provider.StreamReplay;
import dev.tokenbench.run.RunEngine;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;

/**
 * Drives requests through the real run engine (Vert.x client, provider encoder, decoder, record writer) against a
 * WireMock server on a dynamic 127.0.0.1 port that answers with a golden stream, then hands back what the server
 * received and what the engine recorded.
 */
public final class ContractRuns {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final Prompt PROMPT = new Prompt("p1", "Be terse.", "Say hello to the world.", null);
    public static final int MAX_OUTPUT_TOKENS = 64;

    private ContractRuns() {
    }

    public static WireMockServer startWireMock() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort()
                .bindAddress("127.0.0.1"));
        server.start();
        return server;
    }

    /** The server's root by address, not by name: localhost may resolve to ::1, where nothing listens. */
    public static String baseUrl(WireMockServer server) {
        return "http://127.0.0.1:" + server.port();
    }

    /** Every POST answers 200 with the golden stream as {@code text/event-stream}. */
    public static void answerWithStream(WireMockServer server, String goldenResource) {
        server.resetAll();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "text/event-stream; charset=utf-8")
                .withHeader("x-request-id", "req_wiremock")
                .withBody(StreamReplay.resource(goldenResource))));
    }

    public static TargetSpec target(String api, String baseUrl, String model, String deployment, String apiVersion,
            Secret apiKey, Map<String, Object> params, String maxTokensField, ProviderAccess access) {
        return TargetSpec.builder()
                .name("contract")
                .api(api)
                .baseUrl(baseUrl)
                .model(model)
                .deployment(deployment)
                .apiVersion(apiVersion)
                .apiKey(apiKey)
                .pricing(null)
                .labels(Map.of())
                .params(params)
                .maxOutputTokens(null)
                .maxTokensField(maxTokensField)
                .tokenizer(null)
                .access(access)
                .build();
    }

    /** Runs {@code requests} measured requests of one target, closed loop, one worker. */
    public static List<RequestRecord> run(Vertx vertx, ProviderApi api, TargetSpec target, Path dir, int requests)
            throws Exception {
        RunPlan plan = RunPlan.builder()
                .name("contract")
                .sourceFile("(test)")
                .targets(List.of(target))
                .prompts(new PromptSet("contract", "test", List.of(PROMPT)))
                .load(new LoadSpec(LoadSpec.CLOSED, 1, requests, 0, Duration.ofSeconds(20), Duration.ofSeconds(10)))
                .maxOutputTokens(MAX_OUTPUT_TOKENS)
                .slo(SloSpec.DEFAULT)
                .baseline(target.name())
                .simulator(null)
                .redactedConfig(JsonNodeFactory.instance.objectNode())
                .build();
        ConcurrentLinkedQueue<RequestRecord> records = new ConcurrentLinkedQueue<>();
        RunEngine.Handle handle = new RunEngine(vertx, new ProviderRegistry(api)).start(plan, "contract", dir,
                records::add);
        handle.result().get(60, TimeUnit.SECONDS);
        return new ArrayList<>(records);
    }

    /** The one request WireMock received. */
    public static LoggedRequest onlyRequest(WireMockServer server) {
        List<LoggedRequest> received = server.findAll(postRequestedFor(anyUrl()));
        if (received.size() != 1) {
            throw new AssertionError("expected one request, got " + received.size());
        }
        return received.get(0);
    }

    public static JsonNode body(LoggedRequest request) throws IOException {
        return JSON.readTree(request.getBody());
    }

    public static Vertx newVertx() {
        return Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    }

    public static void close(Vertx vertx, WireMockServer server) {
        if (server != null) {
            server.stop();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
