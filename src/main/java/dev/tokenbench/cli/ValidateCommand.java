package dev.tokenbench.cli;

import dev.tokenbench.config.ConfigException;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.provider.ProviderRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Checks a benchmark file (every problem at once) without sending anything.")
public class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The benchmark file (YAML).")
    Path file;

    @Override
    public Integer call() {
        try {
            RunPlan plan = PlanLoading.load(file, ProviderRegistry.defaults());
            spec.commandLine().getOut().printf("%s: ok — %d targets, %d prompts, %s loop, %d x %d requests%n",
                    plan.sourceFile(), plan.targets().size(), plan.prompts().prompts().size(), plan.load().mode(),
                    plan.targets().size(), plan.load().requests());
            return ExitCodes.OK;
        } catch (ConfigException e) {
            return PlanLoading.reportErrors(e, spec.commandLine().getErr());
        }
    }
}
