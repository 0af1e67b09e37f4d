package dev.tokenbench.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * Where a run's metrics go and under which probe name, from the benchmark file's top-level {@code push-gateway} and
 * {@code probe}; the command line and TOKENBENCH_PROBE override them.
 *
 * @param pushGateway Pushgateway base URL (http or https, no query), or null to push nothing
 * @param probe       where tokenbench runs (a region, a cluster): the {@code probe} label, or null for the default
 */
public record MetricsSpec(String pushGateway, String probe) {

    public static final MetricsSpec NONE = new MetricsSpec(null, null);
    /** The probe label when neither the command line, TOKENBENCH_PROBE nor the file names one. */
    public static final String DEFAULT_PROBE = "local";
    public static final int MAX_PROBE_LENGTH = 64;

    private static final Pattern PROBE = Pattern.compile("[A-Za-z0-9._-]+");

    /** Why {@code probe} cannot be a probe name, or null when it can. Probe names are label values: short, plain. */
    public static String probeProblem(String probe) {
        if (probe.isEmpty() || probe.length() > MAX_PROBE_LENGTH || !PROBE.matcher(probe).matches()) {
            return "probe '" + probe + "' must be 1 to " + MAX_PROBE_LENGTH + " letters, digits, '.', '_' or '-' "
                    + "(it becomes the probe label and part of the Pushgateway group), e.g. eastus2 or aks-westeurope";
        }
        return null;
    }

    /** Why {@code url} cannot be a Pushgateway URL, or null when it can. Never repeats credentials in the URL. */
    public static String pushGatewayProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "push-gateway is not a URL; write the Pushgateway's base URL, e.g. http://pushgateway:9091";
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            return "push-gateway must be an http:// or https:// URL with a host, e.g. http://pushgateway:9091";
        }
        if (uri.getRawUserInfo() != null) {
            return "push-gateway must not carry credentials (they would land in run.json); put the Pushgateway "
                    + "behind a network policy or a proxy on the probe instead";
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return "push-gateway takes no query or fragment; write the Pushgateway's base URL, e.g. "
                    + "http://pushgateway:9091 (tokenbench adds /metrics/job/…)";
        }
        return null;
    }
}
