package dev.tokenbench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a run was measured from: the machine (or CronJob pod) whose network path the figures include. Set
 * {@code TOKENBENCH_PROBE} to name it (e.g. "ci-eu-west"); otherwise the host name. Never a DNS lookup.
 */
public final class Probe {
    private Probe() {
    }

    public static String current() {
        String named = System.getenv("TOKENBENCH_PROBE");
        if (named != null && !named.isBlank()) {
            return named.strip();
        }
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host.strip();
        }
        try {
            String etc = Files.readString(Path.of("/etc/hostname")).strip();
            return etc.isEmpty() ? "unknown" : etc;
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
