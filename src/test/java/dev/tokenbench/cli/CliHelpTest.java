package dev.tokenbench.cli;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every registered command answers {@code --help} with its usage and exit 0, and has the standard help options that
 * make {@code -h} answer the same ({@code -h} and {@code help COMMAND} are launched once each); the list comes from
 * the top command's own subcommands, so a new command is walked too. And the completion
 * script covers the commands and their options.
 */
@QuarkusMainTest
class CliHelpTest {
    private static List<String> commandNames() {
        List<String> names = new ArrayList<>();
        for (Class<?> sub : TokenbenchCommand.class.getAnnotation(Command.class).subcommands()) {
            String name = sub.getAnnotation(Command.class).name();
            if (!name.equals("help")) {
                names.add(name);
            }
        }
        return names;
    }

    @Test
    void everyCommandAnswersHelp(QuarkusMainLauncher launcher) {
        List<String> names = commandNames();
        assertTrue(names.containsAll(List.of("run", "validate", "init", "completion")), names.toString());
        for (String name : names) {
            assertHelp(launcher, name, name, "--help");
        }
        // -h is the same standard option as --help on every command that mixes the standard options in, and
        // `help NAME` is one command for all: one launch of each shows they answer, and each launch takes a second.
        for (Class<?> sub : TokenbenchCommand.class.getAnnotation(Command.class).subcommands()) {
            Command command = sub.getAnnotation(Command.class);
            assertTrue(command.name().equals("help") || command.mixinStandardHelpOptions(), command.name());
        }
        String last = names.get(names.size() - 1);
        assertHelp(launcher, names.get(0), names.get(0), "-h");
        assertHelp(launcher, last, "help", last);
    }

    private static void assertHelp(QuarkusMainLauncher launcher, String name, String... args) {
        LaunchResult result = launcher.launch(args);
        String out = result.getOutput();
        assertEquals(ExitCodes.OK, result.exitCode(), List.of(args) + ": " + out + result.getErrorOutput());
        assertTrue(out.contains("Usage: tokenbench " + name), List.of(args) + ": " + out);
        assertTrue(out.contains("-h, --help"), List.of(args) + ": " + out);
    }

    @Test
    void anUnknownOptionIsStillAUsageError(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("run", "--no-such-option");
        assertEquals(ExitCodes.BAD_INPUT, result.exitCode());
        assertTrue(result.getErrorOutput().contains("Unknown option: '--no-such-option'"), result.getErrorOutput());
    }

    @Test
    void completionScriptNamesEveryCommandAndItsOptions(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("completion");
        assertEquals(ExitCodes.OK, result.exitCode(), result.getErrorOutput());
        String script = result.getOutput();
        assertTrue(script.contains("complete -F _complete_tokenbench"), script.lines().limit(20).toList().toString());
        for (String name : commandNames()) {
            assertTrue(script.contains(name), name);
        }
        assertTrue(script.contains("--fail-on-slo") && script.contains("--provider"), "run's and init's options");
    }
}
