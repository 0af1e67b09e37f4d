package dev.tokenbench.cli;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `run --probe` and `--push-gateway` are checked before anything is sent: exit 2 and a message saying what to write. */
class MetricsOptionsTest {
    private static Vertx vertx;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aProbeThatIsNotAPlainLabelValueIsBadInput() throws Exception {
        StringWriter err = new StringWriter();
        assertEquals(ExitCodes.BAD_INPUT, run(err, "--probe", "west europe"));
        assertTrue(err.toString().contains("--probe: probe 'west europe' must be 1 to 64 letters"), err.toString());
        assertFalse(Files.exists(dir.resolve("out")), "nothing ran");
    }

    @Test
    void aPushGatewayThatIsNotAnHttpUrlIsBadInput() throws Exception {
        StringWriter err = new StringWriter();
        assertEquals(ExitCodes.BAD_INPUT, run(err, "--push-gateway", "ftp://gw:9091"));
        assertTrue(err.toString().contains("--push-gateway: push-gateway must be an http:// or https:// URL"),
                err.toString());
        assertEquals(ExitCodes.BAD_INPUT, run(err, "--push-gateway", "http://me:secret@gw:9091"));
        assertFalse(err.toString().contains("secret"), err.toString());
        assertFalse(Files.exists(dir.resolve("out")), "nothing ran");
    }

    private int run(StringWriter err, String... options) throws Exception {
        Path file = dir.resolve("bench.yaml");
        Files.writeString(file, "targets: [{name: sim, api: openai-chat, base-url: sim://fast/v1, model: m}]\n"
                + "prompts: {synthetic: {input-tokens: 10, output-tokens: 5}}\n");
        CommandLine cmd = new CommandLine(new RunCommand(vertx));
        cmd.setOut(new PrintWriter(new StringWriter(), true));
        cmd.setErr(new PrintWriter(err, true));
        String[] args = new String[options.length + 3];
        System.arraycopy(options, 0, args, 0, options.length);
        args[options.length] = "--out";
        args[options.length + 1] = dir.resolve("out").toString();
        args[options.length + 2] = file.toString();
        return cmd.execute(args);
    }
}
