package dev.tokenbench.cli;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two files of issue 15 that passed validate and then failed the run: `validate` and `run` both exit 2 and
 * name the field and the bound (the target is a closed port on 127.0.0.1: nothing is sent).
 */
@QuarkusMainTest
class LimitsCliTest {
    @TempDir
    Path dir;

    private Path file(String name, String runName, String load) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "name: " + runName + "\ntargets:\n"
                + "  - {name: t, api: openai-chat, base-url: 'http://127.0.0.1:9/v1', model: m}\n"
                + "prompts: {synthetic: {input-tokens: 8, output-tokens: 4, count: 1}}\nload: " + load + "\n");
        return p;
    }

    private static void assertBadInput(QuarkusMainLauncher launcher, Path file, String... expected) {
        for (String command : new String[] {"validate", "run"}) {
            LaunchResult result = launcher.launch(command, file.toString());
            String err = result.getErrorOutput();
            assertEquals(ExitCodes.BAD_INPUT, result.exitCode(), command + ": " + err + result.getOutput());
            for (String e : expected) {
                assertTrue(err.contains(e), command + " should say '" + e + "': " + err);
            }
        }
    }

    @Test
    void aBillionStreamsIsExit2NamingTheFieldAndTheBound(QuarkusMainLauncher launcher) throws IOException {
        assertBadInput(launcher, file("billion.yaml", "billion", "{mode: closed, concurrency: 1000000000, requests: 1}"),
                "billion.yaml", "load.concurrency", "is 1000000000", "at most 20000 streams at once");
    }

    @Test
    void aThreeHundredCharacterNameIsExit2(QuarkusMainLauncher launcher) throws IOException {
        assertBadInput(launcher, file("long.yaml", "n".repeat(300), "{requests: 1}"),
                "long.yaml", "name", "is 300 bytes long; at most 200 bytes");
    }
}
