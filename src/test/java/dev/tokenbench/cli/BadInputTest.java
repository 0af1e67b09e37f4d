package dev.tokenbench.cli;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kind of bad input exits 2 with a message that names the field, and sends nothing: each file's first
 * target is valid and points at a local server that counts requests, so a run that got past validation would
 * show up there.
 */
@QuarkusMainTest
class BadInputTest {
    private HttpServer server;
    private final AtomicInteger requestsReceived = new AtomicInteger();

    @TempDir
    Path dir;

    @BeforeEach
    void startCountingServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requestsReceived.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String validTarget() {
        return """
                  - name: local
                    api: openai-chat
                    base-url: http://127.0.0.1:%d/v1
                    model: m
                """.formatted(server.getAddress().getPort());
    }

    private Path file(String name, String yaml) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, yaml);
        return p;
    }

    private String benchmark(String extraTarget, String load) {
        return "name: bad\ntargets:\n" + validTarget() + extraTarget
                + "prompts: {synthetic: {input-tokens: 8, output-tokens: 4, count: 1}}\n" + load;
    }

    private void assertBadInput(QuarkusMainLauncher launcher, Path file, String... expectedInMessage) {
        for (String command : new String[] {"validate", "run"}) {
            LaunchResult result = launcher.launch(command, file.toString());
            String err = result.getErrorOutput();
            assertEquals(ExitCodes.BAD_INPUT, result.exitCode(), command + ": " + err + result.getOutput());
            for (String expected : expectedInMessage) {
                assertTrue(err.contains(expected), command + " should say '" + expected + "': " + err);
            }
        }
        assertEquals(0, requestsReceived.get(), "bad input must send no request");
    }

    @Test
    void unknownApi(QuarkusMainLauncher launcher) throws IOException {
        Path f = file("api.yaml", benchmark("""
                  - name: typo
                    api: opnai-chat
                    model: m
                """, "load: {requests: 1}\n"));
        assertBadInput(launcher, f, "api.yaml", "targets[1].api", "opnai-chat", "openai-chat");
    }

    @Test
    void missingModel(QuarkusMainLauncher launcher) throws IOException {
        Path f = file("model.yaml", benchmark("""
                  - name: nomodel
                    api: openai-chat
                """, "load: {requests: 1}\n"));
        assertBadInput(launcher, f, "targets[1].model");
    }

    @Test
    void unparseableDuration(QuarkusMainLauncher launcher) throws IOException {
        Path f = file("duration.yaml", benchmark("", "load: {requests: 1, timeout: 10 sec}\n"));
        assertBadInput(launcher, f, "load.timeout", "10 sec");
    }

    @Test
    void zeroAndNegativeConcurrency(QuarkusMainLauncher launcher) throws IOException {
        assertBadInput(launcher, file("zero.yaml", benchmark("", "load: {requests: 1, concurrency: 0}\n")),
                "load.concurrency");
        assertBadInput(launcher, file("negative.yaml", benchmark("", "load: {requests: 1, concurrency: -3}\n")),
                "load.concurrency");
    }

    @Test
    void unsetVariable(QuarkusMainLauncher launcher) throws IOException {
        Path f = file("env.yaml", benchmark("""
                  - name: keyed
                    api: openai-chat
                    model: m
                    api-key: ${env:TOKENBENCH_TEST_SURELY_UNSET_VARIABLE}
                """, "load: {requests: 1}\n"));
        assertBadInput(launcher, f, "targets[1].api-key", "TOKENBENCH_TEST_SURELY_UNSET_VARIABLE");
    }

    @Test
    void yamlSyntaxErrorWithItsLine(QuarkusMainLauncher launcher) throws IOException {
        Path f = file("syntax.yaml", "name: bad\ntargets:\n  - name: x\n    api: [openai-chat\n  model: m\n");
        assertBadInput(launcher, f, "syntax.yaml", "line ");
    }

    @Test
    void missingFile(QuarkusMainLauncher launcher) {
        assertBadInput(launcher, dir.resolve("nowhere.yaml"), "nowhere.yaml");
    }

    @Test
    void everyProblemAtOnce(QuarkusMainLauncher launcher) throws IOException {
        Path f = file("many.yaml", benchmark("""
                  - name: nomodel
                    api: openai-chat
                """, "load: {requests: 1, concurrency: 0, timeout: soon}\n"));
        assertBadInput(launcher, f, "targets[1].model", "load.concurrency", "load.timeout");
    }
}
