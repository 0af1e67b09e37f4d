package dev.tokenbench.cli;

import dev.tokenbench.output.ToolVersion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the command line comes from: the arguments, else tokenbench.command, else TOKENBENCH_COMMAND. */
class TokenbenchMainTest {
    private static final String[] NONE = {};

    @Test
    void onlyABareVersionRequestSkipsQuarkusAndItPrintsWhatPicocliPrints() {
        assertTrue(TokenbenchMain.isVersionOnly(new String[] {"--version"}));
        assertTrue(TokenbenchMain.isVersionOnly(new String[] {"-V"}));
        assertFalse(TokenbenchMain.isVersionOnly(new String[] {"run", "--version"}));
        assertFalse(TokenbenchMain.isVersionOnly(new String[] {"--version", "--help"}));
        assertFalse(TokenbenchMain.isVersionOnly(new String[0]));
        assertEquals(new Version().getVersion()[0], Version.line(ToolVersion.current()));
        assertEquals("tokenbench 1.2.3", Version.line("1.2.3"));
    }

    @Test
    void explicitArgumentsAlwaysWin() {
        String[] args = {"run", "bench.yaml"};
        assertArrayEquals(args, TokenbenchMain.commandLine(args, Map.of("tokenbench.command", "serve")::get,
                Map.of("TOKENBENCH_COMMAND", "serve")::get));
    }

    @Test
    void withoutArgumentsThePropertyThenTheEnvironmentNamesTheCommand() {
        assertArrayEquals(new String[] {"serve", "--port", "9000"}, TokenbenchMain.commandLine(NONE,
                Map.of("tokenbench.command", "  serve   --port 9000 ")::get, Map.of("TOKENBENCH_COMMAND", "run")::get));
        assertArrayEquals(new String[] {"serve"}, TokenbenchMain.commandLine(NONE,
                Map.of("tokenbench.command", " ")::get, Map.of("TOKENBENCH_COMMAND", "serve")::get));
    }

    @Test
    void withNeitherThereAreNoArguments() {
        assertArrayEquals(NONE, TokenbenchMain.commandLine(NONE, Map.<String, String>of()::get,
                Map.<String, String>of()::get));
    }
}
