package dev.tokenbench.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** {@code ./tokenbench <command>}: one class per command. */
@TopCommand
@Command(name = "tokenbench", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Measures how fast LLM endpoints really are: streams prompts, times every event, compares.",
        subcommands = {RunCommand.class, ValidateCommand.class, SimCommand.class, ReportCommand.class,
                CompareCommand.class, ServeCommand.class, PublishCommand.class, InitCommand.class,
                CompletionCommand.class, MergeCommand.class, HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 SLO breached (with --fail-on-slo), 2 bad config or usage, 3 run failed, "
                + "143 / 130 run interrupted by SIGTERM / Ctrl-C (run.json written, status interrupted)."})
public class TokenbenchCommand {
}
