package dev.tokenbench.run;

import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY as curl and the providers' SDKs read them (either case), for one target's
 * base URL. Loopback is never proxied: the built-in simulator is always local.
 */
final class ProxySettings {
    private ProxySettings() {
    }

    /** The proxy for this base URL, or null for a direct connection. */
    static ProxyOptions forUrl(String baseUrl, Function<String, String> env) {
        URI uri = URI.create(baseUrl);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1")) {
            return null;
        }
        for (String pattern : noProxy(env)) {
            if (pattern.equals("*") || host.equals(pattern) || host.endsWith(pattern.startsWith(".") ? pattern
                    : "." + pattern)) {
                return null;
            }
        }
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        String proxy = first(env, tls ? "HTTPS_PROXY" : "HTTP_PROXY");
        if (proxy == null || proxy.isBlank()) {
            return null;
        }
        URI p = URI.create(proxy.contains("://") ? proxy : "http://" + proxy);
        ProxyOptions options = new ProxyOptions()
                .setType(p.getScheme() != null && p.getScheme().startsWith("socks") ? ProxyType.SOCKS5 : ProxyType.HTTP)
                .setHost(p.getHost())
                .setPort(p.getPort() > 0 ? p.getPort() : 80);
        if (p.getUserInfo() != null) {
            String[] user = p.getUserInfo().split(":", 2);
            options.setUsername(user[0]);
            if (user.length > 1) {
                options.setPassword(user[1]);
            }
        }
        return options;
    }

    private static List<String> noProxy(Function<String, String> env) {
        String value = first(env, "NO_PROXY");
        List<String> patterns = new ArrayList<>();
        if (value != null) {
            for (String part : value.split(",")) {
                String p = part.strip().toLowerCase(Locale.ROOT);
                int colon = p.lastIndexOf(':');
                if (colon > 0 && p.indexOf(']') < colon) {
                    p = p.substring(0, colon);
                }
                if (!p.isEmpty()) {
                    patterns.add(p);
                }
            }
        }
        return patterns;
    }

    private static String first(Function<String, String> env, String name) {
        String upper = env.apply(name);
        return upper != null ? upper : env.apply(name.toLowerCase(Locale.ROOT));
    }
}
