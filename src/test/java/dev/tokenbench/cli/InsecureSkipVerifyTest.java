package dev.tokenbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.sim.SimConfig;
import dev.tokenbench.sim.SimScenario;
import dev.tokenbench.sim.SimTls;
import dev.tokenbench.sim.Simulator;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A target that skips verifying its server runs, over https to a simulator whose self-signed certificate nothing
 * trusts, and says so: a warning line in the terminal, and {@code insecure_skip_verify: true} in run.json.
 */
@QuarkusMainTest
class InsecureSkipVerifyTest {
    @TempDir
    Path dir;

    @Test
    void anUnverifiedServerIsWarnedAboutAndRecorded(QuarkusMainLauncher launcher) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            Simulator simulator = Simulator.start(vertx, new SimConfig(Map.of("s", SimScenario.defaults("s"))),
                    "127.0.0.1", 0, ProviderRegistry.defaults().simApis(), SimTls.selfSigned()).toCompletionStage().toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            Path file = dir.resolve("insecure.yaml");
            Files.writeString(file, """
                    name: insecure
                    targets:
                      - {name: internal, api: openai-chat, base-url: 'https://127.0.0.1:%d/s/v1', model: m,
                         insecure-skip-verify: true}
                    prompts: {synthetic: {input-tokens: 8, output-tokens: 4, count: 1}}
                    load: {mode: closed, concurrency: 1, requests: 2, warmup: 0, timeout: 10s}
                    """.formatted(simulator.port()));
            LaunchResult result = launcher.launch("run", file.toString(), "--out", dir.resolve("out").toString(),
                    "-q");
            String errors = result.getErrorOutput();
            assertEquals(ExitCodes.OK, result.exitCode(), result.getOutput() + errors);
            assertTrue(errors.contains("WARNING: target internal has insecure-skip-verify: true"), errors);
            assertEquals(1, errors.lines().filter(l -> l.contains("insecure-skip-verify")).count(), "one line: "
                    + errors);
            JsonNode target = new ObjectMapper().readTree(dir.resolve("out").resolve("run.json").toFile())
                    .path("targets").get(0);
            assertTrue(target.path("insecure_skip_verify").asBoolean(false), target.toString());
            assertEquals("1.1", target.path("http_version").asText(), target.toString());
            String requests = Files.readString(dir.resolve("out").resolve("requests.jsonl"));
            assertEquals(2, requests.lines().filter(l -> l.contains("\"outcome\":\"ok\"")).count(), requests);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
