package dev.tokenbench.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** picocli's completion script for every command and option, read from the same model that parses them. */
@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Prints a shell completion script for bash and zsh.",
                "bash: source <(tokenbench completion)   zsh: autoload -U +X bashcompinit && bashcompinit; "
                        + "source <(tokenbench completion)",
                "Or save it once: tokenbench completion > /etc/bash_completion.d/tokenbench"})
public class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String script = AutoComplete.bash(spec.root().name(), spec.root().commandLine());
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
