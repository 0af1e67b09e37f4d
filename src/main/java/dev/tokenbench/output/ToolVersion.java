package dev.tokenbench.output;

import org.eclipse.microprofile.config.ConfigProvider;

/** The application version, from the build (quarkus.application.version): what run.json and the reports name. */
public final class ToolVersion {
    private ToolVersion() {
    }

    public static String current() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.application.version", String.class)
                .orElse("dev");
    }
}
