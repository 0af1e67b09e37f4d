package dev.tokenbench.cli;

import org.eclipse.microprofile.config.ConfigProvider;
import picocli.CommandLine.IVersionProvider;

/** The application version, from the build (quarkus.application.version). */
public final class Version implements IVersionProvider {
    public static String current() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.application.version", String.class)
                .orElse("dev");
    }

    /** What {@code --version} prints. */
    static String line(String version) {
        return "tokenbench " + version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {line(current())};
    }
}
