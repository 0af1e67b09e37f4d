package dev.tokenbench.cli;

import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import picocli.CommandLine;

/**
 * Maps failures onto the documented exit codes: picocli's usage errors are already 2; an unexpected exception
 * is a failed run (3), shown as one line rather than a stack trace.
 */
@ApplicationScoped
public class CommandLineSetup {
    @Produces
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        CommandLine cl = factory.create();
        // The mapper also sees picocli's own usage errors: those stay 2 (bad input), not 3.
        cl.setExitCodeExceptionMapper(t -> t instanceof CommandLine.ParameterException
                ? ExitCodes.BAD_INPUT : ExitCodes.RUN_FAILED);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("tokenbench: " + ex.getMessage());
            return ExitCodes.RUN_FAILED;
        });
        return cl;
    }
}
