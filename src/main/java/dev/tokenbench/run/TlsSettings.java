package dev.tokenbench.run;

import dev.tokenbench.config.TlsSpec;
import dev.tokenbench.wire.TlsEngine;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TrustOptions;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

/**
 * A target's {@link TlsSpec} as Vert.x client options: the HTTP version and ALPN, trust (the JVM's default roots plus
 * {@code ca-file}, or none with {@code insecure-skip-verify}), the client certificate, and the HTTP/2 settings.
 *
 * <p>HTTP/2: up to {@link #STREAMS_PER_CONNECTION} streams share a connection, and a client (one per event loop)
 * opens as many connections as its in-flight requests need at that rate. Each stream may receive
 * {@link #STREAM_WINDOW_BYTES} before the client has to return credit, and the connection the sum of its streams'
 * windows, so that no stream waits for flow-control credit that another one holds: a token event is a few hundred
 * bytes, and a stream's whole answer is rarely more than its window.
 */
final class TlsSettings {
    /** What most h2 servers advertise (nginx 128, Google and Cloudflare 100), so that a client fills a connection. */
    static final int STREAMS_PER_CONNECTION = 100;
    static final int STREAM_WINDOW_BYTES = 1 << 20;
    static final int CONNECTION_WINDOW_BYTES = STREAMS_PER_CONNECTION * STREAM_WINDOW_BYTES;

    private TlsSettings() {
    }

    /**
     * Applies the target's settings to {@code options}.
     *
     * @param https whether the target's base URL is https (the settings for files and trust apply only then)
     */
    static void apply(HttpClientOptions options, TlsSpec tls, boolean https) {
        switch (tls.httpVersion()) {
            case TlsSpec.HTTP_2 -> {
                options.setProtocolVersion(HttpVersion.HTTP_2);
                if (https) {
                    options.setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2));
                } else {
                    options.setHttp2ClearTextUpgrade(false); // h2c with prior knowledge: no upgrade round trip
                }
            }
            case TlsSpec.AUTO -> {
                if (https) {
                    options.setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true)
                            .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
                }
            }
            default -> options.setProtocolVersion(HttpVersion.HTTP_1_1);
        }
        options.setHttp2MultiplexingLimit(STREAMS_PER_CONNECTION)
                .setHttp2ConnectionWindowSize(CONNECTION_WINDOW_BYTES)
                .setInitialSettings(new Http2Settings().setInitialWindowSize(STREAM_WINDOW_BYTES));
        if (!https) {
            return;
        }
        options.setSslEngineOptions(TlsEngine.options());
        if (tls.insecureSkipVerify()) {
            options.setTrustAll(true).setVerifyHost(false);
        } else if (tls.caFile() != null) {
            options.setTrustOptions(TrustOptions.wrap(defaultTrustPlus(tls.caFile().pem())));
        }
        if (tls.clientCert() != null && tls.clientKey() != null) {
            options.setKeyCertOptions(new PemKeyCertOptions()
                    .setCertValue(Buffer.buffer(tls.clientCert().pem()))
                    .setKeyValue(Buffer.buffer(tls.clientKey().pem())));
        }
    }

    /**
     * The pool of one client: one HTTP/1.1 connection per in-flight request (as the SDKs have), and for HTTP/2
     * enough connections that each carries at most {@link #STREAMS_PER_CONNECTION} streams.
     */
    static PoolOptions pool(int inFlight) {
        return new PoolOptions()
                .setHttp1MaxSize(inFlight)
                .setHttp2MaxSize(Math.max(1, (inFlight + STREAMS_PER_CONNECTION - 1) / STREAMS_PER_CONNECTION));
    }

    /**
     * The JVM's default trust (its cacerts, or {@code javax.net.ssl.trustStore}) plus the given PEM certificates: a
     * private CA is added, and the public endpoints stay reachable.
     */
    static TrustManagerFactory defaultTrustPlus(String pem) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            defaults.init((KeyStore) null);
            int n = 0;
            for (TrustManager manager : defaults.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate issuer : x509.getAcceptedIssuers()) {
                        store.setCertificateEntry("default-" + n++, issuer);
                    }
                }
            }
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                store.setCertificateEntry("ca-file-" + n++, certificate);
            }
            TrustManagerFactory combined = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            combined.init(store);
            return combined;
        } catch (GeneralSecurityException | IOException e) {
            // The file was parsed when the benchmark was loaded; the JVM's own trust store failing is not the user's.
            throw new IllegalStateException("cannot build the trust store from the JVM's defaults and ca-file: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * What a failed TLS handshake means for the user, with the field that fixes it; null when {@code failure} is
     * not one.
     */
    static String explain(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                return "the server's certificate is not trusted (" + t.getClass().getSimpleName() + ": "
                        + t.getMessage() + "); if a private CA issued it, give that CA's certificate as ca-file";
            }
            if (t instanceof SSLException tls) {
                // The JDK's engine says certificate_required, BoringSSL CERTIFICATE_REQUIRED.
                String message = String.valueOf(tls.getMessage());
                String lower = message.toLowerCase(Locale.ROOT);
                if (lower.contains("certificate_required") || lower.contains("bad_certificate")) {
                    return "the server refused the TLS handshake (" + message + "): it asks for a client "
                            + "certificate; give client-cert and client-key";
                }
                if (t instanceof SSLHandshakeException && t.getCause() == null) {
                    return "the TLS handshake failed (" + message + ")";
                }
            }
        }
        return null;
    }
}
