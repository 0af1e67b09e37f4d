package dev.tokenbench.cli;

import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.ConfigException;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.provider.ProviderRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code init}: the file it writes validates for every provider choice; it never overwrites unless told. */
class InitCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int init(String... args) {
        CommandLine cl = new CommandLine(new InitCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    /** As {@code validate} loads it, with every key it names set (to a value that must not matter). */
    private RunPlan validate(Path file) throws ConfigException {
        return new BenchmarkLoader(name -> "test-value-of-" + name, dir, ProviderRegistry.defaults()).load(file);
    }

    @Test
    void everyProviderChoiceValidates() throws ConfigException {
        for (InitCommand.Starter starter : InitCommand.Starter.values()) {
            String choice = starter.name().toLowerCase(Locale.ROOT);
            Path file = dir.resolve(choice + ".yaml");
            assertEquals(ExitCodes.OK, init("--provider", choice, "--out", file.toString()), err.toString());
            RunPlan plan = validate(file);
            assertEquals(List.of(choice), plan.targets().stream().map(TargetSpec::name).toList());
            assertEquals(choice, plan.baseline(), "the first target is the baseline");
        }
    }

    @Test
    void severalProvidersMakeOneFileInTheOrderGiven() throws ConfigException, IOException {
        Path file = dir.resolve("bench.yaml");
        assertEquals(ExitCodes.OK, init("--provider", "anthropic", "--provider", "openai,vllm", "-p", "anthropic",
                "--out", file.toString()), err.toString());
        RunPlan plan = validate(file);
        assertEquals(List.of("anthropic", "openai", "vllm"), plan.targets().stream().map(TargetSpec::name).toList());
        String text = Files.readString(file);
        assertTrue(text.startsWith("# A starter benchmark"), text);
        assertTrue(text.contains("tokenbench validate bench.yaml"), text);
        assertTrue(out.toString().contains("wrote " + file + " (3 targets)"), out.toString());
    }

    @Test
    void allProvidersTogetherValidate() throws ConfigException {
        List<String> args = new ArrayList<>();
        for (InitCommand.Starter starter : InitCommand.Starter.values()) {
            args.add("-p");
            args.add(starter.name().toLowerCase(Locale.ROOT));
        }
        Path file = dir.resolve("all.yaml");
        args.add("--out");
        args.add(file.toString());
        assertEquals(ExitCodes.OK, init(args.toArray(String[]::new)), err.toString());
        assertEquals(InitCommand.Starter.values().length, validate(file).targets().size());
    }

    @Test
    void refusesToOverwriteWithoutForce() throws IOException {
        Path file = dir.resolve("mine.yaml");
        Files.writeString(file, "name: mine\n");
        assertEquals(ExitCodes.BAD_INPUT, init("--out", file.toString()));
        assertTrue(err.toString().contains(file + " exists; pass --force to replace it"), err.toString());
        assertEquals("name: mine\n", Files.readString(file), "untouched");
        assertEquals(ExitCodes.OK, init("--out", file.toString(), "--force"), err.toString());
        assertTrue(Files.readString(file).contains("name: starter"));
    }

    @Test
    void anUnknownProviderIsAUsageErrorListingTheChoices() {
        Path file = dir.resolve("x.yaml");
        assertEquals(ExitCodes.BAD_INPUT, init("--provider", "openia", "--out", file.toString()));
        assertTrue(err.toString().contains("unknown provider 'openia'; use one of openai, azure, anthropic"),
                err.toString());
        assertTrue(Files.notExists(file));
    }
}
