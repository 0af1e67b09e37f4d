package dev.tokenbench.config;

import java.util.List;

/**
 * How a target's connections are made: the HTTP version, which servers are trusted, and the client's own
 * certificate. Files are read when the benchmark is loaded, so that a run (and a posted benchmark) never opens them
 * again and a bad file fails the load, not the first request.
 *
 * @param httpVersion        {@link #HTTP_1_1} (the default: what the official Python and Node SDKs speak, one request
 *                           per connection at a time), {@link #HTTP_2} (h2 through ALPN over https, prior-knowledge
 *                           h2c over http) or {@link #AUTO} (ALPN offers h2 and HTTP/1.1, the server picks)
 * @param insecureSkipVerify true: any server certificate is accepted, for any host name; warned about loudly and
 *                           recorded in plan.json and run.json
 * @param caFile             certificates trusted besides the JVM's default ones, or null
 * @param clientCert         the client certificate chain for mTLS, or null (then {@code clientKey} is null too)
 * @param clientKey          its private key, or null
 */
public record TlsSpec(String httpVersion, boolean insecureSkipVerify, PemFile caFile, PemFile clientCert,
        PemFile clientKey) {

    public static final String HTTP_1_1 = "1.1";
    public static final String HTTP_2 = "2";
    public static final String AUTO = "auto";
    public static final List<String> HTTP_VERSIONS = List.of(HTTP_1_1, HTTP_2, AUTO);
    public static final TlsSpec DEFAULT = new TlsSpec(HTTP_1_1, false, null, null, null);

    /**
     * A PEM file as read at load time.
     *
     * @param path where it was read from, as the user wrote it (for messages and plan.json)
     * @param pem  its contents; for a private key a secret, which {@link #toString()} never shows
     */
    public record PemFile(String path, String pem) {
        @Override
        public String toString() {
            return "PemFile[" + path + "]";
        }
    }
}
