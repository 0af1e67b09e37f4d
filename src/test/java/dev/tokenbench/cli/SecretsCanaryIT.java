package dev.tokenbench.cli;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The secrets canary: a unique random key on every API (and a Bedrock SigV4 secret key, a Vertex and an Entra
 * token, one of them written inline; and values from {@code ${env:…}} and {@code ${file:…}} in a model name and
 * in labels, which count as secrets too), over requests that succeed (the built-in simulator) and requests that fail at a server that echoes the
 * credentials back in its error bodies, as some providers do (a 401 with JSON, a 400 with plain text long enough
 * to be cut in the middle of the key, an error event mid-stream). The packaged application runs it with DEBUG
 * logging for everything into a log file, then {@code report DIR} rebuilds the run; every byte of every file it
 * wrote, its log, stdout and stderr is searched for the canaries: zero hits.
 */
class SecretsCanaryIT {
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();

    @Test
    void noCanaryInAnyOutput(@TempDir Path dir) throws Exception {
        String canary = "tbcanary" + UUID.randomUUID().toString().replace("-", "");
        String awsSecret = "tbcanaryaws" + UUID.randomUUID().toString().replace("-", "");
        String inline = "tbcanaryinline" + UUID.randomUUID().toString().replace("-", "");
        String fromFile = "tbcanaryfile" + UUID.randomUUID().toString().replace("-", "");
        Path labelFile = dir.resolve("label-secret");
        Files.writeString(labelFile, fromFile + "\n");
        Vertx vertx = Vertx.vertx();
        ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
        try {
            HttpServer echo = vertx.createHttpServer().requestHandler(r -> echo(r, received, dir)).listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            Path out = dir.resolve("run");
            Path benchmark = dir.resolve("canary.yaml");
            Files.writeString(benchmark, benchmark("http://127.0.0.1:" + echo.actualPort(), inline));
            Path log = dir.resolve("tokenbench.log");

            int runExit = launch(dir, log, canary, awsSecret, "run", benchmark.toString(), "--out", out.toString(),
                    "--push-gateway", "http://127.0.0.1:" + echo.actualPort());
            assertEquals(0, runExit, read(dir.resolve("run.out")) + read(dir.resolve("run.err")));
            int reportExit = launch(dir, log, canary, awsSecret, "report", out.toString());
            assertEquals(0, reportExit, read(dir.resolve("report.out")) + read(dir.resolve("report.err")));

            // The canary went out, was echoed back, and the run saw both ok and failing requests on every API.
            assertTrue(received.stream().anyMatch(h -> h.contains(canary)), "the echo server saw the canary");
            String requests = read(out.resolve("requests.jsonl"));
            assertTrue(requests.contains("\"outcome\":\"ok\""), "ok requests");
            assertTrue(requests.contains("\"outcome\":\"http_4xx\""), "failing requests");
            assertTrue(requests.contains("\"outcome\":\"stream_error\""), "provider errors mid-stream");
            assertTrue(requests.contains("Incorrect API key provided: authorization: ***"), "the echo, scrubbed: "
                    + requests.lines().filter(l -> l.contains("Incorrect")).findFirst().orElse("none"));
            assertTrue(Files.size(log) > 0 && read(log).contains("DEBUG"), "debug logging was on");
            String pushed = read(dir.resolve("pushed-metrics.txt"));
            assertTrue(pushed.contains("target=\"labels-sim\"") && pushed.contains("model=\"***\""),
                    "the metrics were pushed, with the model from ${env:…} as ***: "
                            + pushed.lines().filter(l -> l.contains("model-env")).findFirst().orElse(pushed));

            List<String> hits = new ArrayList<>();
            int files = 0;
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path file : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                    if (file.equals(benchmark) || file.equals(labelFile)) {
                        continue; // the inputs, which hold the inline canary and the file's
                    }
                    files++;
                    String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    for (String secret : List.of(canary, awsSecret, canary.substring(0, 14), inline, fromFile)) {
                        if (text.contains(secret)) {
                            hits.add(dir.relativize(file) + " holds " + (secret.equals(awsSecret) ? "the AWS secret"
                                    : secret.equals(canary) ? "the canary" : secret.equals(inline) ? "the inline "
                                    + "access-token" : secret.equals(fromFile) ? "the label from a file"
                                    : "the canary's beginning"));
                        }
                    }
                }
            }
            assertTrue(files >= 9, "searched the run directory, the log, stdout and stderr: " + files + " files");
            assertEquals(List.of(), hits);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * A multi-line secret file and a password in a base-url: exit 2 before anything is sent, naming the fields and
     * where the value came from, with neither value in any output (it used to be printed whole by the HTTP
     * client's header check, and every request then waited 15 s to fail).
     */
    @Test
    void aBadSecretIsAConfigErrorThatNeverShowsIt(@TempDir Path dir) throws Exception {
        String canary = "tbcanaryline" + UUID.randomUUID().toString().replace("-", "");
        Files.writeString(dir.resolve("two-lines"), canary + "\n" + canary + "-second\n");
        Path benchmark = dir.resolve("bad.yaml");
        Files.writeString(benchmark, """
                name: bad
                targets:
                  - {name: a, api: openai-chat, model: m, base-url: 'http://127.0.0.1:9/v1', api-key: '${file:two-lines}'}
                  - {name: b, api: openai-chat, model: m, base-url: 'http://user:%s@127.0.0.1:9/v1'}
                prompts: {synthetic: {input-tokens: 10, output-tokens: 5}}
                """.formatted(canary));
        Path log = dir.resolve("tokenbench.log");
        for (String command : List.of("validate", "run")) {
            long start = System.nanoTime();
            int exit = command.equals("run")
                    ? launch(dir, log, canary, canary, command, benchmark.toString(), "--out", dir.resolve("out").toString())
                    : launch(dir, log, canary, canary, command, benchmark.toString());
            String err = read(dir.resolve(command + ".err"));
            assertEquals(2, exit, command + ": " + err + read(dir.resolve(command + ".out")));
            assertTrue(err.contains("targets[0].api-key") && err.contains("a line break")
                    && err.contains("from file:two-lines"), err);
            assertTrue(err.contains("targets[1].base-url") && err.contains("user name or password"), err);
            assertTrue(System.nanoTime() - start < 60_000_000_000L, "no request waited for a time-out");
        }
        assertFalse(Files.exists(dir.resolve("out")), "nothing was started");
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                if (!file.equals(benchmark) && !file.getFileName().toString().equals("two-lines")) {
                    assertFalse(read(file).contains(canary), dir.relativize(file) + " holds the secret");
                }
            }
        }
    }

    /** Answers like a provider that rejects the key and quotes it back. */
    private static void echo(HttpServerRequest r, ConcurrentLinkedQueue<String> received, Path dir) {
        if (r.path().startsWith("/metrics/")) {
            // The Pushgateway's part: what was pushed goes into a file that the search reads too.
            r.body().onComplete(body -> {
                try {
                    Files.write(dir.resolve("pushed-metrics.txt"), body.result().getBytes(),
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                r.response().setStatusCode(200).end();
            });
            return;
        }
        StringBuilder credentials = new StringBuilder();
        MultiMap headers = r.headers();
        for (String name : List.of("authorization", "api-key", "x-api-key", "x-goog-api-key")) {
            if (headers.get(name) != null) {
                credentials.append(name).append(": ").append(headers.get(name)).append("; ");
            }
        }
        received.add(credentials.toString());
        r.body().onComplete(ignored -> {
            String path = r.path();
            if (path.contains("/midstream")) {
                String message = "key in use: " + credentials;
                String body = path.contains("anthropic")
                        ? "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":3}}}\n\n"
                                + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                                + "\"message\":" + quote(message) + "}}\n\n"
                        : "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"
                                + "data: {\"error\":{\"message\":" + quote(message) + ",\"type\":\"server_error\"}}\n\n";
                r.response().putHeader("content-type", "text/event-stream").end(body);
            } else if (path.contains("/plain")) {
                // Long enough to be cut to length in the middle of the key.
                r.response().setStatusCode(400).putHeader("content-type", "text/plain")
                        .end("Bad request. " + "x".repeat(240) + " " + credentials);
            } else {
                r.response().setStatusCode(401).putHeader("content-type", "application/json")
                        .end("{\"error\":{\"message\":" + quote("Incorrect API key provided: " + credentials)
                                + ",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
            }
        });
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String benchmark(String echo, String inline) {
        StringBuilder targets = new StringBuilder();
        // The same eight APIs, nine ways of authenticating, once against the simulator and twice at the echo server.
        String[][] apis = {
                {"chat", "api: openai-chat, model: m, api-key: '${env:CANARY_KEY}'", "/v1"},
                {"responses", "api: openai-responses, model: m, api-key: '${env:CANARY_KEY}'", "/v1"},
                {"azure", "api: azure-openai, deployment: d, api-key: '${env:CANARY_KEY}'", ""},
                {"azure-entra", "api: azure-openai-responses, deployment: d, auth: entra, "
                        + "access-token: '${env:CANARY_KEY}'", ""},
                {"anthropic", "api: anthropic, model: m, api-key: '${env:CANARY_KEY}'", ""},
                {"gemini", "api: gemini, model: m, api-key: '${env:CANARY_KEY}'", ""},
                {"vertex", "api: vertex-gemini, model: m, project: p, location: us-central1, "
                        + "access-token: '${env:CANARY_KEY}'", ""},
                {"bedrock-key", "api: bedrock-converse, model: m, api-key: '${env:CANARY_KEY}'", ""},
                {"bedrock-sigv4", "api: bedrock-converse, model: m, auth: sigv4, region: us-east-1", ""}};
        for (String[] api : apis) {
            targets.append("  - {name: ").append(api[0]).append("-ok, ").append(api[1])
                    .append(", base-url: 'sim://s").append(api[2]).append("'}\n");
            targets.append("  - {name: ").append(api[0]).append("-401, ").append(api[1])
                    .append(", base-url: '").append(echo).append("/reject").append(api[2]).append("'}\n");
            targets.append("  - {name: ").append(api[0]).append("-400, ").append(api[1])
                    .append(", base-url: '").append(echo).append("/plain").append(api[2]).append("'}\n");
        }
        targets.append("  - {name: chat-midstream, api: openai-chat, model: m, api-key: '${env:CANARY_KEY}', ")
                .append("base-url: '").append(echo).append("/midstream/v1'}\n");
        targets.append("  - {name: anthropic-midstream, api: anthropic, model: m, api-key: '${env:CANARY_KEY}', ")
                .append("base-url: '").append(echo).append("/midstream-anthropic'}\n");
        // An inline bearer token; a model name and labels from the environment and from a file.
        targets.append("  - {name: entra-inline, api: azure-openai, deployment: d, auth: entra, access-token: '")
                .append(inline).append("', base-url: '").append(echo).append("/reject'}\n");
        targets.append("  - {name: model-env, api: openai-chat, model: '${env:CANARY_KEY}', base-url: '")
                .append(echo).append("/reject/v1', labels: {team: '${env:CANARY_KEY}', owner: '${file:label-secret}'}}\n");
        targets.append("  - {name: labels-sim, api: openai-chat, model: m, base-url: 'sim://s/v1', ")
                .append("labels: {team: '${env:CANARY_KEY}', owner: '${file:label-secret}'}}\n");
        return "name: canary\ntargets:\n" + targets + """
                prompts:
                  synthetic: {count: 2, input-tokens: 20, output-tokens: 10}
                load: {mode: closed, concurrency: 1, requests: 2, warmup: 1, timeout: 20s, stall-timeout: 10s}
                simulator:
                  scenarios:
                    s: {ttft: 10ms, tokens-per-second: 500}
                """;
    }

    private static int launch(Path dir, Path log, String canary, String awsSecret, String command, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseZGC", "-Dquarkus.log.level=DEBUG", "-Dquarkus.log.min-level=DEBUG",
                "-Dquarkus.log.category.\"dev.tokenbench\".level=DEBUG", "-Dquarkus.log.file.enable=true",
                "-Dquarkus.log.file.enabled=true", "-Dquarkus.log.file.path=" + log,
                "-Dquarkus.log.file.level=DEBUG", "-jar", JAR.toString(), command));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve(command + ".out").toFile())
                .redirectError(dir.resolve(command + ".err").toFile());
        Map<String, String> env = pb.environment();
        env.put("CANARY_KEY", canary);
        env.put("AWS_ACCESS_KEY_ID", "AKIDTOKENBENCHCANARY");
        env.put("AWS_SECRET_ACCESS_KEY", awsSecret);
        env.remove("AWS_SESSION_TOKEN");
        env.remove("AWS_PROFILE");
        Process p = pb.start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), command + " finished");
        return p.exitValue();
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
