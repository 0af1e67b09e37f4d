package dev.tokenbench.cli;

import dev.tokenbench.output.ToolVersion;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the application version, from the build ({@link ToolVersion}). */
public final class Version implements IVersionProvider {
    /** What {@code --version} prints. */
    static String line(String version) {
        return "tokenbench " + version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {line(ToolVersion.current())};
    }
}
