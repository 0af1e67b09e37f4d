package dev.tokenbench.wire;

import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;

import java.util.Locale;

/**
 * The TLS engine of tokenbench's client and of its simulator: BoringSSL (netty-tcnative) where its native library
 * loads, else the JDK's SSLEngine. BoringSSL decrypts a record in native code over Netty's direct buffers, where
 * the JDK's engine copies each record between heap and direct buffers and runs its cipher in Java (bench/tls.sh
 * measures both). Environment variable {@value #ENV}: {@code jdk} forces the JDK's engine, for a comparison or a
 * platform whose native library misbehaves.
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
