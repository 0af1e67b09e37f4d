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
            commandLine.getErr().println(oneLine(ex));
            return ExitCodes.RUN_FAILED;
        });
        return cl;
    }

    /** {@code tokenbench: <why>} on one line: the message (else the exception's class), its line breaks as spaces. */
    static String oneLine(Throwable failure) {
        String why = failure.getMessage() == null || failure.getMessage().isBlank() ? failure.toString()
                : failure.getMessage();
        return "tokenbench: " + why.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
