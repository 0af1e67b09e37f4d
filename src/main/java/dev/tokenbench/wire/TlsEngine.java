package dev.tokenbench.wire;

import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;

import java.util.Locale;

/**
 * The TLS engine of tokenbench's client and of its simulator: BoringSSL (netty-tcnative) where its native library
 * loads, else the JDK's SSLEngine. Why: deliver latency (a token's write to tokenbench seeing it) is the same at the
 * median on both (bench/tls.sh, concurrency 4, 2 busy shared cores: p50 0.24-0.51 ms on the JDK's, 0.21-0.34 ms on
 * BoringSSL, plaintext 0.19 ms), but its tail is about half on BoringSSL (p99 HTTP/1.1 23.7 vs 11.4 ms, h2 18.5 vs
 * 12.1 ms; plaintext 4.0 ms in the same run): it decrypts each record in native code straight from Netty's direct
 * buffer, where the JDK's engine copies every record to and from heap buffers and allocates for it, so that its
 * garbage and CPU grow with the event rate. Environment variable {@value #ENV}: {@code jdk} forces the JDK's engine,
 * for a comparison or a platform whose native library misbehaves.
 */
public final class TlsEngine {
    public static final String ENV = "TOKENBENCH_TLS_ENGINE";
    public static final String JDK = "jdk";
    public static final String OPENSSL = "openssl";

    private TlsEngine() {
    }

    /** The engine to use: BoringSSL unless it cannot load or {@value #ENV} says {@code jdk}. */
    public static SSLEngineOptions options() {
        return OPENSSL.equals(name()) ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions();
    }

    /** {@value #OPENSSL} or {@value #JDK}: the engine {@link #options()} gives. */
    public static String name() {
        String set = System.getenv(ENV);
        String wanted = set == null ? OPENSSL : set.strip().toLowerCase(Locale.ROOT);
        return !JDK.equals(wanted) && OpenSSLEngineOptions.isAvailable() ? OPENSSL : JDK;
    }
}
