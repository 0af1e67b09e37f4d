package dev.tokenbench.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import picocli.CommandLine;

/**
 * The entry point. Every command but {@code serve} runs with the HTTP server off (application.properties:
 * quarkus.http.host-enabled=false). Whether it is on is runtime configuration, read when Quarkus starts, which
 * is after this main method and before the command: so {@code serve} turns it on here, from its arguments,
 * with system properties (its --port too).
 */
@QuarkusMain
public class TokenbenchMain implements QuarkusApplication {
    private final CommandLine commandLine;

    public TokenbenchMain(CommandLine commandLine) {
        this.commandLine = commandLine;
    }

    public static void main(String... args) {
        if (args.length > 0 && ServeCommand.NAME.equals(args[0])) {
            System.setProperty("quarkus.http.host-enabled", "true");
            System.setProperty("tokenbench.serve.enabled", "true");
            for (int i = 1; i < args.length; i++) {
                if (args[i].equals("--port") && i + 1 < args.length) {
                    System.setProperty("tokenbench.serve.port", args[i + 1]);
                } else if (args[i].startsWith("--port=")) {
                    System.setProperty("tokenbench.serve.port", args[i].substring("--port=".length()));
                }
            }
        }
        Quarkus.run(TokenbenchMain.class, args);
    }

    @Override
    public int run(String... args) {
        return commandLine.execute(args);
    }
}
