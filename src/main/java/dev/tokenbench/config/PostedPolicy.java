package dev.tokenbench.config;

import java.net.IDN;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a benchmark posted to the service may use of the host that runs it. Such a benchmark is data from whoever
 * holds an API token, not from the host's owner: it runs no command, reads none of the host's environment variables
 * or files, and reaches a credential only by a name the service's settings give it ({@code ${credential:NAME}} in
 * its api-key or access-token), and only for the hosts that credential is for. Prompt files come from one directory
 * the settings name (or the bundled seeds), and targets from the allowed hosts when the settings list them.
 *
 * @param credentials  the named credentials, by name
 * @param promptsDir   the directory a posted {@code prompts: FILE} must lie in, or null for none (bundled seeds and
 *                     synthetic prompts only)
 * @param allowedHosts host names a posted target may reach ({@code api.openai.com}, {@code *.openai.azure.com});
 *                     empty: any host but the cloud metadata addresses, which are never allowed
 */
public record PostedPolicy(Map<String, NamedCredential> credentials, Path promptsDir, List<String> allowedHosts) {

    /**
     * A credential the service holds for posted benchmarks.
     *
     * @param value the credential (read when a benchmark that uses it is loaded)
     * @param hosts the hosts it may be sent to (same patterns as allowed hosts); empty: any allowed host
     */
    public record NamedCredential(String value, List<String> hosts) {
        @Override
        public String toString() {
            return "NamedCredential[value=" + Secret.REDACTED + ", hosts=" + hosts + "]";
        }
    }

    /** Link-local and cloud metadata endpoints hand out the host's own cloud credentials: never a target. */
    private static final Set<String> METADATA_HOSTS = Set.of("metadata.google.internal", "metadata.goog",
            "metadata", "instance-data", "instance-data.ec2.internal");

    public PostedPolicy {
        credentials = Map.copyOf(credentials);
        allowedHosts = List.copyOf(allowedHosts);
    }

    /** Null when a posted target may reach the host; else why not, as a fix to show. */
    public String hostProblem(String host) {
        String h = normalized(host);
        if (isMetadata(h)) {
            return "host " + host + " is a link-local or cloud metadata address: a posted benchmark may never reach "
                    + "it";
        }
        if (!allowedHosts.isEmpty() && !matchesAny(h, allowedHosts)) {
            return "host " + host + " is not among the service's allowed hosts (tokenbench.serve.allowed-hosts: "
                    + String.join(", ", allowedHosts) + "); use one of those, or ask the service's operator to add it";
        }
        return null;
    }

    static boolean matchesAny(String host, List<String> patterns) {
        String h = normalized(host);
        for (String pattern : patterns) {
            String p = normalized(pattern);
            if (p.startsWith("*.") ? h.endsWith(p.substring(1)) && h.length() > p.length() - 1 : h.equals(p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isMetadata(String h) {
        if (METADATA_HOSTS.contains(h)) {
            return true;
        }
        String bare = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        if (bare.startsWith("fe80:") || bare.equals("fd00:ec2::254")) {
            return true;
        }
        int mapped = bare.lastIndexOf("::ffff:");
        long ip = ipv4(mapped >= 0 ? bare.substring(mapped + 7) : bare);
        return ip >= 0 && ((ip >>> 16) == 0xA9FE || ip == 0x646464C8L);
    }

    /**
     * An IPv4 address in any form a resolver accepts (169.254.169.254, 2852039166, 0xA9FEA9FE, 0251.0376.…), or -1:
     * so that no spelling of a metadata address slips past the check.
     */
    static long ipv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length < 1 || parts.length > 4) {
            return -1;
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            try {
                if (p.startsWith("0x") || p.startsWith("0X")) {
                    values[i] = Long.parseLong(p.substring(2), 16);
                } else if (p.length() > 1 && p.startsWith("0")) {
                    values[i] = Long.parseLong(p.substring(1), 8);
                } else {
                    values[i] = Long.parseLong(p);
                }
            } catch (NumberFormatException e) {
                return -1;
            }
            if (values[i] < 0) {
                return -1;
            }
        }
        long address = 0;
        for (int i = 0; i < values.length - 1; i++) {
            if (values[i] > 255) {
                return -1;
            }
            address = (address << 8) | values[i];
        }
        int lastBits = 8 * (5 - values.length);
        long last = values[values.length - 1];
        if (last >= (1L << lastBits)) {
            return -1;
        }
        return (address << lastBits) | last;
    }

    private static String normalized(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        try {
            return IDN.toASCII(h, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return h;
        }
    }
}
