package dev.tokenbench.sim;

/**
 * How the simulator serves https: its certificate and key (PEM), offering h2 and HTTP/1.1 through ALPN, and, for
 * mTLS, the certificates a client's must be issued by.
 *
 * @param certificatePem the server's certificate chain
 * @param privateKeyPem  its private key
 * @param clientCaPem    null: no client certificate asked for; else one is required, issued by (or equal to) one of
 *                       these
 */
public record SimTls(String certificatePem, String privateKeyPem, String clientCaPem) {

    /** A freshly generated self-signed certificate for localhost, 127.0.0.1 and ::1. */
    public static SimTls selfSigned() {
        SelfSignedCertificate certificate = SelfSignedCertificate.generate("tokenbench simulator");
        return new SimTls(certificate.certificatePem(), certificate.privateKeyPem(), null);
    }

    public SimTls requiringClientCertificates(String caPem) {
        return new SimTls(certificatePem, privateKeyPem, caPem);
    }

    @Override
    public String toString() {
        return "SimTls[key redacted, client certificates " + (clientCaPem == null ? "not asked for" : "required") + "]";
    }
}
