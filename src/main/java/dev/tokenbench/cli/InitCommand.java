package dev.tokenbench.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Writes a commented starter benchmark: one target per provider asked for, from the snippets under
 * {@code init/} on the class path (their api names stay out of the code), between a common header and footer.
 */
@Command(name = "init", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Writes a commented starter benchmark file, one target per --provider, that `validate` "
                + "accepts once the keys it names are set."})
public class InitCommand implements Callable<Integer> {
    static final String RESOURCES = "init/";

    /** The targets a starter can hold; each is the snippet {@code init/<lower-case name>.yaml}. */
    enum Starter {
        OPENAI, AZURE, ANTHROPIC, BEDROCK, GEMINI, VERTEX, VLLM;

        String resource() {
            return RESOURCES + name().toLowerCase(Locale.ROOT) + ".yaml";
        }

        String targetName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--provider"}, paramLabel = "PROVIDER", description = {"A target to include; repeat "
            + "for several (default: openai). One of: openai, azure, anthropic, bedrock, gemini, vertex, vllm (any "
            + "OpenAI-compatible server)."})
    List<String> providers;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", defaultValue = "benchmark.yaml",
            description = "Where to write it (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--force", description = "Replace FILE when it exists.")
    boolean force;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Set<Starter> starters = new LinkedHashSet<>();
        for (String given : providers == null ? List.of("openai") : providers) {
            for (String one : given.split(",")) {
                Starter starter = starter(one.strip());
                if (starter == null) {
                    err.println("tokenbench: --provider: unknown provider '" + printable(one.strip()) + "'; use one "
                            + "of " + choices());
                    return ExitCodes.BAD_INPUT;
                }
                starters.add(starter);
            }
        }
        if (Files.exists(out) && !force) {
            err.println("tokenbench: " + out + " exists; pass --force to replace it, or --out another file");
            return ExitCodes.BAD_INPUT;
        }
        if (Files.isDirectory(out)) {
            err.println("tokenbench: --out " + out + " is a directory; name a file such as " + out.resolve(
                    "benchmark.yaml"));
            return ExitCodes.BAD_INPUT;
        }
        String text = render(starters, out.getFileName().toString());
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("tokenbench: cannot write " + out + ": " + e.getMessage());
            return ExitCodes.RUN_FAILED;
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("wrote %s (%d %s). Next: set the keys it names, then `tokenbench validate %s` and "
                + "`tokenbench run %s`.%n", out, starters.size(), starters.size() == 1 ? "target" : "targets", out,
                out);
        stdout.flush();
        return ExitCodes.OK;
    }

    /** The benchmark file for these targets, in the given order; the first is the baseline. */
    static String render(Set<Starter> starters, String fileName) {
        StringBuilder text = new StringBuilder(resource(RESOURCES + "header.yaml").replace("{{file}}", fileName));
        for (Starter starter : starters) {
            text.append(resource(starter.resource()));
        }
        text.append(resource(RESOURCES + "footer.yaml").replace("{{baseline}}",
                starters.iterator().next().targetName()));
        return text.toString();
    }

    private static Starter starter(String name) {
        for (Starter s : Starter.values()) {
            if (s.targetName().equals(name.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        return null;
    }

    private static String choices() {
        StringBuilder list = new StringBuilder();
        for (Starter s : Starter.values()) {
            list.append(list.length() == 0 ? "" : ", ").append(s.targetName());
        }
        return list.toString();
    }

    private static String printable(String s) {
        return s.replaceAll("\\p{Cntrl}", "?");
    }

    private static String resource(String name) {
        try (InputStream in = InitCommand.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the starter snippet " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the starter snippet " + name + ": " + e.getMessage(), e);
        }
    }
}
