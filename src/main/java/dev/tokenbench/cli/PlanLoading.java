package dev.tokenbench.cli;

import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.ConfigError;
import dev.tokenbench.config.ConfigException;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.provider.ProviderRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Loads a benchmark file, or the bundled demo, the same way for every command. */
final class PlanLoading {
    static final String DEMO_RESOURCE = "seeds/demo.yaml";

    private PlanLoading() {
    }

    static RunPlan load(Path file, ProviderRegistry providers) throws ConfigException {
        BenchmarkLoader loader = new BenchmarkLoader(System::getenv, Path.of("").toAbsolutePath(), providers);
        if (file != null) {
            return loader.load(file);
        }
        return loader.load(DEMO_RESOURCE + " (bundled)", bundledDemo(), Path.of("").toAbsolutePath());
    }

    static String bundledDemo() {
        try (InputStream in = PlanLoading.class.getClassLoader().getResourceAsStream(DEMO_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the bundled demo " + DEMO_RESOURCE + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bundled demo: " + e.getMessage(), e);
        }
    }

    static int reportErrors(ConfigException e, PrintWriter err) {
        err.println("tokenbench: the benchmark has " + e.errors().size()
                + (e.errors().size() == 1 ? " problem:" : " problems:"));
        for (ConfigError error : e.errors()) {
            err.println("  " + error);
        }
        err.println("Nothing was sent.");
        return ExitCodes.BAD_INPUT;
    }
}
