package dev.tokenbench.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import picocli.CommandLine;

import java.util.function.UnaryOperator;

/**
 * The entry point. Every command but {@code serve} runs with the HTTP server off (application.yaml:
 * quarkus.http.host-enabled=false). Whether it is on is runtime configuration, read when Quarkus starts, which
 * is after this main method and before the command: so {@code serve} turns it on here, from its arguments,
 * with system properties (its --host and --port too).
 *
 * <p>With no arguments at all, the command line comes from the system property {@value #COMMAND_PROPERTY} or the
 * environment variable {@value #COMMAND_ENV} (e.g. {@code serve}): for launchers that start the executable
 * without program arguments but with -D options or an environment (the {@code @QuarkusIntegrationTest} launcher,
 * a process supervisor). Explicit arguments always win; the container images pass theirs (CMD {@code run}).
 */
@QuarkusMain
public class TokenbenchMain implements QuarkusApplication {
    static final String COMMAND_PROPERTY = "tokenbench.command";
    static final String COMMAND_ENV = "TOKENBENCH_COMMAND";

    private final CommandLine commandLine;

    public TokenbenchMain(CommandLine commandLine) {
        this.commandLine = commandLine;
    }

    public static void main(String... given) {
        FatalErrors.installDefault();
        String[] args = commandLine(given, System::getProperty, System::getenv);
        String packagedVersion = TokenbenchMain.class.getPackage().getImplementationVersion();
        if (isVersionOnly(args) && packagedVersion != null) {
            // Without starting Quarkus (about 6,500 classes: REST, OpenAPI, the history store): a tenth of the time.
            System.out.println(Version.line(packagedVersion));
            return;
        }
        if (args.length > 0 && ServeCommand.NAME.equals(args[0])) {
            System.setProperty("quarkus.http.host-enabled", "true");
            System.setProperty("tokenbench.serve.enabled", "true");
            for (int i = 1; i < args.length; i++) {
                for (String option : new String[] {"port", "host"}) {
                    if (args[i].equals("--" + option) && i + 1 < args.length) {
                        System.setProperty("tokenbench.serve." + option, args[i + 1]);
                    } else if (args[i].startsWith("--" + option + "=")) {
                        System.setProperty("tokenbench.serve." + option, args[i].substring(option.length() + 3));
                    }
                }
            }
        }
        Quarkus.run(TokenbenchMain.class, args);
    }

    /** Just {@code --version} (or {@code -V}): what the packaged jar answers from its manifest alone. */
    static boolean isVersionOnly(String[] args) {
        return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    }

    /**
     * The arguments to run: the given ones, or, when there are none, {@value #COMMAND_PROPERTY} (a system
     * property) or else {@value #COMMAND_ENV} split at white space.
     */
    static String[] commandLine(String[] given, UnaryOperator<String> properties, UnaryOperator<String> env) {
        if (given.length > 0) {
            return given;
        }
        String command = properties.apply(COMMAND_PROPERTY);
        if (command == null || command.isBlank()) {
            command = env.apply(COMMAND_ENV);
        }
        if (command == null || command.isBlank()) {
            return given;
        }
        return command.strip().split("\\s+");
    }

    /**
     * The command's exit code. picocli turns a command's exceptions into exit codes ({@link CommandLineSetup}) but
     * lets an Error through, which Quarkus would report with a stack trace and exit 1: out of memory halts with
     * exit 3 ({@link FatalErrors}), any other Error is a one-line failure, exit 3.
     */
    @Override
    public int run(String... args) {
        try {
            return commandLine.execute(args);
        } catch (VirtualMachineError e) {
            FatalErrors.halt(e);
            return ExitCodes.RUN_FAILED;
        } catch (Error e) {
            commandLine.getErr().println(CommandLineSetup.oneLine(e) + " (an internal failure; exit 3)");
            commandLine.getErr().flush();
            return ExitCodes.RUN_FAILED;
        }
    }
}
