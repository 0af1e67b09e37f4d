package dev.tokenbench.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Pushes a run's metrics to a Prometheus Pushgateway in the text exposition format (0.0.4), as one group keyed by
 * job, probe and benchmark name, so probes in several regions never overwrite each other.
 *
 * <p>Counters and histograms carry on from what the group last held: before its PUT, the push reads the group's
 * series back from the Pushgateway and adds them in. A CronJob probe starts from zero every run, yet the series it
 * leaves behind only grow, so {@code rate()}, {@code increase()} and {@code histogram_quantile} over rates mean the
 * same for pushed runs as for a long-lived scraped service. Gauges (goodput, last run) are the run's own.
 * When the group cannot be read the push goes ahead with the run's own values, which Prometheus sees as a counter
 * reset (rate() takes that in its stride).
 *
 * <p>Blocking (java.net.http), called once at the end of a run, off every event loop.
 */
public final class PushGateway {
    public static final String DEFAULT_JOB = "tokenbench";
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final URI base;
    private final HttpClient http;

    /** @param baseUrl validated by MetricsSpec.pushGatewayProblem: http(s), a host, no credentials or query */
    public PushGateway(String baseUrl) {
        String trimmed = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.base = URI.create(trimmed);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** What a failed push says: the gateway's host and port, never a path or anything else in the URL. */
    public String where() {
        return base.getScheme() + "://" + base.getHost() + (base.getPort() < 0 ? "" : ":" + base.getPort());
    }

    /**
     * The group's URL: {@code <base>/metrics/job/<job>/<label>/<value>…}, values that are not plain (or are empty)
     * written as {@code <label>@base64/<url-safe base64>}, as the Pushgateway's API defines.
     */
    public URI groupUri(String job, Map<String, String> grouping) {
        StringBuilder sb = new StringBuilder(base.toString()).append("/metrics");
        appendPair(sb, "job", job);
        for (Map.Entry<String, String> e : grouping.entrySet()) {
            appendPair(sb, e.getKey(), e.getValue());
        }
        return URI.create(sb.toString());
    }

    private static void appendPair(StringBuilder sb, String label, String value) {
        boolean plain = !value.isEmpty() && value.chars().allMatch(c -> c < 128
                && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.'));
        if (plain) {
            sb.append('/').append(label).append('/').append(value);
        } else {
            sb.append('/').append(label).append("@base64/").append(value.isEmpty() ? "="
                    : Base64.getUrlEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /**
     * Replaces the group with {@code exposition} (the registry's scrape), counters and histograms accumulated onto
     * what the group held.
     *
     * @return true when the group's previous values were read and added in; false when the push started afresh
     * @throws IOException when the Pushgateway cannot be reached or refuses the push (its answer in the message)
     */
    public boolean push(String job, Map<String, String> grouping, String exposition)
            throws IOException, InterruptedException {
        String previous = null;
        try {
            HttpResponse<String> current = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (current.statusCode() == 200) {
                previous = current.body();
            }
        } catch (IOException e) {
            // Unreadable: the PUT below says whether the gateway is there at all.
        }
        Map<String, String> groupLabels = new LinkedHashMap<>(grouping);
        groupLabels.put("job", job);
        String body = previous == null ? exposition : accumulate(exposition, previous, groupLabels);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(groupUri(job, grouping))
                .timeout(TIMEOUT).header("Content-Type", CONTENT_TYPE)
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            String answer = response.body() == null ? "" : response.body().strip();
            if (answer.length() > 300) {
                answer = answer.substring(0, 300) + "…";
            }
            throw new IOException("the Pushgateway at " + where() + " answered HTTP " + response.statusCode()
                    + (answer.isEmpty() ? "" : ": " + answer));
        }
        return previous != null;
    }

    /**
     * {@code exposition} with each counter and histogram sample raised by the value the same series has in
     * {@code previous} (a Pushgateway's /metrics), among the series of the group whose labels are {@code group}.
     * Series are matched on name and labels, the grouping labels and {@code instance} aside; {@code le} is compared
     * as a number (the gateway re-renders 1.0 as 1).
     */
    static String accumulate(String exposition, String previous, Map<String, String> group) {
        Map<String, Double> before = new HashMap<>();
        Set<String> ignored = new HashSet<>(group.keySet());
        ignored.add("instance");
        for (String line : previous.split("\n")) {
            Sample s = Sample.parse(line);
            if (s == null || !s.isIn(group)) {
                continue;
            }
            before.put(s.key(ignored), s.value);
        }
        Set<String> cumulative = new HashSet<>();
        StringBuilder out = new StringBuilder(exposition.length() + 64);
        for (String line : exposition.split("\n", -1)) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).trim().split("\\s+");
                if (parts.length == 2 && (parts[1].equals("counter") || parts[1].equals("histogram"))) {
                    String family = parts[0];
                    cumulative.add(family);
                    for (String suffix : new String[] {"_total", "_bucket", "_sum", "_count"}) {
                        cumulative.add(family + suffix);
                    }
                }
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                Sample s = Sample.parse(line);
                if (s != null && cumulative.contains(s.name)) {
                    Double old = before.get(s.key(ignored));
                    if (old != null && !old.isNaN()) {
                        out.append(line, 0, s.valueStart).append(format(s.value + old)).append('\n');
                        continue;
                    }
                }
            }
            out.append(line).append('\n');
        }
        // split(-1) keeps the trailing empty string: drop the newline it added.
        out.setLength(Math.max(0, out.length() - 1));
        return out.toString();
    }

    private static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    /** One sample line of the text format: {@code name{a="b",…} value [timestamp]}. */
    static final class Sample {
        final String name;
        final Map<String, String> labels;
        final double value;
        /** Where the value starts in the line, to rewrite it in place. */
        final int valueStart;

        private Sample(String name, Map<String, String> labels, double value, int valueStart) {
            this.name = name;
            this.labels = labels;
            this.value = value;
            this.valueStart = valueStart;
        }

        static Sample parse(String line) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                return null;
            }
            int i = 0;
            int n = line.length();
            while (i < n && line.charAt(i) != '{' && line.charAt(i) != ' ') {
                i++;
            }
            String name = line.substring(0, i);
            Map<String, String> labels = new TreeMap<>();
            if (i < n && line.charAt(i) == '{') {
                i++;
                while (i < n && line.charAt(i) != '}') {
                    if (line.charAt(i) == ',' || line.charAt(i) == ' ') {
                        i++;
                        continue;
                    }
                    int eq = line.indexOf('=', i);
                    if (eq < 0 || eq + 1 >= n || line.charAt(eq + 1) != '"') {
                        return null;
                    }
                    String label = line.substring(i, eq).trim();
                    StringBuilder v = new StringBuilder();
                    int j = eq + 2;
                    while (j < n && line.charAt(j) != '"') {
                        char c = line.charAt(j);
                        if (c == '\\' && j + 1 < n) {
                            char e = line.charAt(++j);
                            v.append(e == 'n' ? '\n' : e);
                        } else {
                            v.append(c);
                        }
                        j++;
                    }
                    if (j >= n) {
                        return null;
                    }
                    labels.put(label, v.toString());
                    i = j + 1;
                }
                i++;
            }
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < n && line.charAt(i) != ' ') {
                i++;
            }
            if (start >= n || name.isEmpty()) {
                return null;
            }
            Double value = number(line.substring(start, i));
            return value == null ? null : new Sample(name, labels, value, start);
        }

        static Double number(String s) {
            switch (s) {
                case "+Inf":
                    return Double.POSITIVE_INFINITY;
                case "-Inf":
                    return Double.NEGATIVE_INFINITY;
                case "NaN":
                    return Double.NaN;
                default:
                    try {
                        return Double.parseDouble(s);
                    } catch (NumberFormatException e) {
                        return null;
                    }
            }
        }

        boolean isIn(Map<String, String> group) {
            for (Map.Entry<String, String> e : group.entrySet()) {
                if (!e.getValue().equals(labels.getOrDefault(e.getKey(), ""))) {
                    return false;
                }
            }
            return true;
        }

        String key(Set<String> ignored) {
            StringBuilder sb = new StringBuilder(name);
            for (Map.Entry<String, String> e : labels.entrySet()) {
                if (ignored.contains(e.getKey())) {
                    continue;
                }
                String v = e.getValue();
                if (e.getKey().equals("le")) {
                    Double d = number(v);
                    v = d == null ? v : Double.toString(d);
                }
                sb.append('\u0000').append(e.getKey()).append('=').append(v);
            }
            return sb.toString();
        }
    }
}
