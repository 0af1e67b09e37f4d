package dev.tokenbench.provider.gemini;

import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.ProviderAccess;
import dev.tokenbench.config.Secret;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.provider.PreparedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.tokenbench.provider.gemini.GeminiContractTest.writeScript;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Vertex AI's bearer token from a command: fetched before the run, refreshed in the background while it is used,
 * paused when it is not, and never shown in a message, whatever the command does wrong.
 */
class VertexTokenCommandTest {
    private static final Prompt PROMPT = new Prompt("p", null, "hi", null);

    private static TargetSpec target(String name, Secret accessToken, List<String> command, String project) {
        return TargetSpec.builder()
                .name(name)
                .api(VertexGeminiApi.NAME)
                .baseUrl(null)
                .model("gemini-2.5-flash")
                .deployment(null)
                .apiVersion(null)
                .apiKey(null)
                .pricing(null)
                .labels(Map.of())
                .params(null)
                .maxOutputTokens(null)
                .maxTokensField(null)
                .tokenizer("o200k_base")
                .access(new ProviderAccess("bearer", accessToken, command, null, project, "us-central1"))
                .build();
    }

    private static Map<String, String> headers(VertexGeminiApi api, TargetSpec target) {
        PreparedRequest prepared = api.prepare(target, "http://127.0.0.1:1", PROMPT, 0);
        return api.perRequestHeaders(target, prepared);
    }

    /** A command that counts its runs in a file and prints token-N. */
    private static Path countingCommand(Path dir) throws IOException {
        Path script = dir.resolve("count.sh");
        Path counter = dir.resolve("runs");
        writeScript(script, "#!/bin/sh\nn=$(cat '" + counter + "' 2>/dev/null || echo 0)\nn=$((n+1))\n"
                + "echo $n > '" + counter + "'\necho \"token-$n\"\n");
        return script;
    }

    private static int runs(Path dir) throws IOException {
        Path counter = dir.resolve("runs");
        return Files.exists(counter) ? Integer.parseInt(Files.readString(counter).strip()) : 0;
    }

    @Test
    void theTokenIsFetchedBeforeTheRunAndRefreshedWhileItIsUsed(@TempDir Path dir) throws Exception {
        VertexGeminiApi api = new VertexGeminiApi(Duration.ofMillis(300), Duration.ofSeconds(10));
        TargetSpec target = target("refreshing", null, List.of(countingCommand(dir).toString()), "p");
        api.beforeRun(target);
        assertEquals(Map.of("authorization", "Bearer token-1"), headers(api, target));

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String authorization = "Bearer token-1";
        while (authorization.equals("Bearer token-1") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            authorization = headers(api, target).get("authorization");
        }
        assertTrue(authorization.matches("Bearer token-[2-9]\\d*"), authorization);
        api.stopRefreshing();
    }

    @Test
    void refreshingPausesWhenTheTokenIsUnusedAndResumesOnTheNextRequest(@TempDir Path dir) throws Exception {
        VertexGeminiApi api = new VertexGeminiApi(Duration.ofMillis(200), Duration.ofSeconds(10));
        TargetSpec target = target("idle", null, List.of(countingCommand(dir).toString()), "p");
        api.beforeRun(target);
        Thread.sleep(1_500);
        // Once before the run; the first interval found the token unused and stopped refreshing.
        int runsWhileIdle = runs(dir);
        assertEquals(1, runsWhileIdle);

        headers(api, target); // a request after the pause: it goes with the current token and wakes the refresh
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (runs(dir) == runsWhileIdle && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(runs(dir) > runsWhileIdle, "a new token was fetched");
        api.stopRefreshing();
    }

    @Test
    void aFailingCommandSaysWhyWithoutTheToken(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("fail.sh");
        writeScript(script, "#!/bin/sh\necho 'ya29.secret-token-value'\n"
                + "echo 'ERROR: (gcloud.auth.print-access-token) no active account; got ya29.secret-token-value' >&2\n"
                + "exit 3\n");
        VertexGeminiApi api = new VertexGeminiApi();
        IOException e = assertThrows(IOException.class,
                () -> api.beforeRun(target("failing", null, List.of(script.toString(), "--secret-arg"), "p")));
        assertTrue(e.getMessage().contains("exited with status 3"), e.getMessage());
        assertTrue(e.getMessage().contains("no active account"), e.getMessage());
        assertFalse(e.getMessage().contains("secret-token-value"), e.getMessage());
        assertFalse(e.getMessage().contains("--secret-arg"), e.getMessage());
    }

    @Test
    void aCommandThatHangsIsStoppedAtItsTimeLimit(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("hang.sh");
        writeScript(script, "#!/bin/sh\nsleep 30\necho late-token\n");
        VertexGeminiApi api = new VertexGeminiApi(Duration.ofMinutes(30), Duration.ofMillis(300));
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class,
                () -> api.beforeRun(target("hanging", null, List.of(script.toString()), "p")));
        assertTrue(e.getMessage().contains("did not finish within 300 ms"), e.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
    }

    @Test
    void outputThatIsNotATokenIsRefusedWithoutEchoingIt(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("chatty.sh");
        writeScript(script, "#!/bin/sh\necho 'here is your token: abc'\n");
        IOException e = assertThrows(IOException.class, () -> new VertexGeminiApi()
                .beforeRun(target("chatty", null, List.of(script.toString()), "p")));
        assertTrue(e.getMessage().contains("not an access token"), e.getMessage());
        assertFalse(e.getMessage().contains("abc"), e.getMessage());

        Path silent = dir.resolve("silent.sh");
        writeScript(silent, "#!/bin/sh\nexit 0\n");
        IOException none = assertThrows(IOException.class, () -> new VertexGeminiApi()
                .beforeRun(target("silent", null, List.of(silent.toString()), "p")));
        assertTrue(none.getMessage().contains("printed no token"), none.getMessage());
    }

    @Test
    void aMissingProgramIsNamed() {
        IOException e = assertThrows(IOException.class, () -> new VertexGeminiApi()
                .beforeRun(target("missing", null, List.of("/nonexistent/gcloud", "auth"), "p")));
        assertTrue(e.getMessage().contains("/nonexistent/gcloud"), e.getMessage());
        assertTrue(e.getMessage().contains("could not be started"), e.getMessage());
    }

    @Test
    void aStaticAccessTokenWinsAndNoCommandRuns(@TempDir Path dir) throws Exception {
        VertexGeminiApi api = new VertexGeminiApi();
        TargetSpec target = target("static", new Secret("ya29.static", "env:T"),
                List.of(countingCommand(dir).toString()), "p");
        api.beforeRun(target);
        PreparedRequest prepared = api.prepare(target, "http://127.0.0.1:1", PROMPT, 0);
        assertEquals("Bearer ya29.static", prepared.headers().get("authorization"));
        assertEquals(Map.of(), api.perRequestHeaders(target, prepared));
        assertEquals(0, runs(dir));
        assertFalse(prepared.toString().contains("ya29"), "PreparedRequest.toString shows no credential");
    }

    @Test
    void aTargetWithoutProjectFailsBeforeTheRun() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new VertexGeminiApi().beforeRun(target("no-project", new Secret("t", "env:T"), List.of(),
                        null)));
        assertTrue(e.getMessage().contains("project"), e.getMessage());
    }
}
