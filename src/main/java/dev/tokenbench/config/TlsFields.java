package dev.tokenbench.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A target's connection fields ({@code http-version}, {@code ca-file}, {@code insecure-skip-verify},
 * {@code client-cert}, {@code client-key}), validated with every error at once. PEM files are read and parsed here,
 * so that a wrong file fails the load with its field named, and no message ever quotes a key's contents.
 */
final class TlsFields {
    static final List<String> KEYS = List.of("http-version", "ca-file", "insecure-skip-verify", "client-cert",
            "client-key");
    /** A CA bundle of every public root is about 200 KiB; anything much larger is not a PEM file. */
    private static final long MAX_PEM_BYTES = 4L << 20;
    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----([A-Za-z0-9+/=\\s]*)-----END \\1?PRIVATE KEY-----");
    private static final String CERTIFICATE_BEGIN = "-----BEGIN CERTIFICATE-----";

    private final Fields f;
    private final Path baseDir;
    private final Path workingDir;
    /** The service's rules for a posted benchmark, or null for a file the user runs. */
    private final PostedPolicy posted;

    TlsFields(Fields f, Path baseDir, Path workingDir, PostedPolicy posted) {
        this.f = f;
        this.baseDir = baseDir;
        this.workingDir = workingDir;
        this.posted = posted;
    }

    /** The target's settings, {@link TlsSpec#DEFAULT} when it sets none, or null after recording errors. */
    TlsSpec parse(String baseUrl) {
        if (KEYS.stream().noneMatch(f::has)) {
            return TlsSpec.DEFAULT;
        }
        int before = f.problems().count();
        String scheme = baseUrl == null ? null : baseUrl.substring(0, Math.max(0, baseUrl.indexOf(':')))
                .toLowerCase(Locale.ROOT);
        String httpVersion = httpVersion();
        Boolean insecure = f.bool("insecure-skip-verify");
        boolean https = "https".equals(scheme);
        if (scheme != null && !https) {
            for (String key : List.of("ca-file", "insecure-skip-verify", "client-cert", "client-key")) {
                if (f.has(key)) {
                    f.problems().add(f.path(key), key + " applies to https:// base-urls only, and base-url is "
                            + scheme + "://; remove it, or use https://");
                }
            }
        }
        if (Boolean.TRUE.equals(insecure) && posted != null) {
            f.problems().add(f.path("insecure-skip-verify"), "insecure-skip-verify cannot be used in a benchmark "
                    + "posted to the service: the service's credentials would go to whoever answers for the host; "
                    + "trust the endpoint's CA with ca-file (a file in the service's benchmarks directory) instead");
        }
        if (Boolean.TRUE.equals(insecure) && f.has("ca-file")) {
            f.problems().add(f.path("ca-file"), "ca-file has no effect with insecure-skip-verify: true, which "
                    + "trusts every certificate; remove one of them (keep ca-file, so the server is verified)");
        }
        if (f.has("client-cert") != f.has("client-key")) {
            String missing = f.has("client-cert") ? "client-key" : "client-cert";
            f.problems().add(f.path(missing), missing + " is required with " + (f.has("client-cert") ? "client-cert"
                    : "client-key") + ": mTLS needs the certificate chain and its private key, each a PEM file");
        }
        TlsSpec.PemFile ca = certificates("ca-file", "the CA certificates to trust besides the default ones");
        TlsSpec.PemFile clientCert = certificates("client-cert", "the client certificate chain");
        TlsSpec.PemFile clientKey = privateKey();
        if (f.problems().count() > before) {
            return null;
        }
        return new TlsSpec(httpVersion, Boolean.TRUE.equals(insecure), ca, clientCert, clientKey);
    }

    /** YAML reads {@code 1.1} and {@code 2} as numbers; both are taken as written. */
    private String httpVersion() {
        Text text = f.text("http-version");
        if (text == null) {
            return TlsSpec.HTTP_1_1;
        }
        String value = text.value().strip().toLowerCase(Locale.ROOT);
        String normalized = switch (value) {
            case "1.1", "http/1.1" -> TlsSpec.HTTP_1_1;
            case "2", "2.0", "h2", "http/2" -> TlsSpec.HTTP_2;
            case "auto" -> TlsSpec.AUTO;
            default -> null;
        };
        if (normalized == null) {
            f.problems().add(f.path("http-version"), "unknown http-version '" + text.asWritten() + "'; use \"1.1\" "
                    + "(the default, as the official SDKs), \"2\" (HTTP/2 only) or auto (the server picks through "
                    + "ALPN)");
        }
        return normalized;
    }

    private TlsSpec.PemFile certificates(String key, String what) {
        TlsSpec.PemFile file = read(key, what);
        if (file == null) {
            return null;
        }
        int count;
        try {
            count = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(file.pem().getBytes(StandardCharsets.US_ASCII)))
                    .size();
        } catch (CertificateException e) {
            count = -1;
        }
        if (count <= 0 || !file.pem().contains(CERTIFICATE_BEGIN)) {
            f.problems().add(f.path(key), key + " '" + file.path() + "' holds no readable PEM certificate ("
                    + CERTIFICATE_BEGIN + " … -----END CERTIFICATE-----); give " + what + " in PEM form, e.g. "
                    + "openssl x509 -in cert.der -inform der -out cert.pem");
            return null;
        }
        return file;
    }

    /** A PKCS#8 key (RSA or EC) is parsed here; PKCS#1 and SEC1 keys are left to the TLS stack, which reads them. */
    private TlsSpec.PemFile privateKey() {
        TlsSpec.PemFile file = read("client-key", "the client certificate's private key");
        if (file == null) {
            return null;
        }
        Matcher m = PRIVATE_KEY.matcher(file.pem());
        String problem = null;
        if (!m.find()) {
            problem = "holds no PEM private key (-----BEGIN PRIVATE KEY-----, or RSA / EC PRIVATE KEY)";
        } else if ("ENCRYPTED ".equals(m.group(1))) {
            problem = "is encrypted, which tokenbench cannot read; decrypt it (openssl pkey -in KEY -out PLAIN.pem) "
                    + "and keep the plain file readable by you only";
        } else if (m.group(1) == null && !readablePkcs8(m.group(2))) {
            problem = "holds a PRIVATE KEY block that is neither an RSA nor an EC key";
        }
        if (problem != null) {
            f.problems().add(f.path("client-key"), "client-key '" + file.path() + "' " + problem
                    + "; give the private key of client-cert in PEM form");
            return null;
        }
        return file;
    }

    private static boolean readablePkcs8(String base64) {
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                return true;
            } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
                // the next algorithm
            }
        }
        return false;
    }

    /** The file's text, found as a prompt file would be (a posted benchmark: only inside the service's directory). */
    private TlsSpec.PemFile read(String key, String what) {
        Text text = f.text(key);
        if (text == null) {
            return null;
        }
        String written = text.value().strip();
        if (written.isEmpty()) {
            f.problems().add(f.path(key), key + " is empty; name a PEM file with " + what + ", or remove it");
            return null;
        }
        List<Path> candidates;
        if (posted != null) {
            Path inside = PostedFiles.inside(posted.promptsDir(), written);
            if (inside == null) {
                f.problems().add(f.path(key), key + " '" + text.asWritten() + "' is not a file in the service's "
                        + "benchmarks directory" + (posted.promptsDir() == null ? " (it has none)" : "")
                        + "; a posted benchmark names its files relative to that directory "
                        + "(tokenbench.serve.benchmarks-dir)");
                return null;
            }
            candidates = List.of(inside);
        } else {
            candidates = SecretReferences.candidates(written, baseDir, workingDir);
        }
        for (Path candidate : candidates) {
            if (!Files.isRegularFile(candidate)) {
                continue;
            }
            try {
                if (Files.size(candidate) > MAX_PEM_BYTES) {
                    f.problems().add(f.path(key), key + " '" + text.asWritten() + "' is larger than "
                            + (MAX_PEM_BYTES >> 20) + " MiB, too large for a PEM file; give " + what);
                    return null;
                }
                return new TlsSpec.PemFile(text.asWritten(), Files.readString(candidate, StandardCharsets.US_ASCII));
            } catch (MalformedInputException e) {
                f.problems().add(f.path(key), key + " '" + text.asWritten() + "' is not PEM text (a binary DER "
                        + "file?); give " + what + " in PEM form");
                return null;
            } catch (IOException | InvalidPathException e) {
                f.problems().add(f.path(key), "cannot read " + key + " '" + text.asWritten() + "' ("
                        + e.getClass().getSimpleName() + "); check its permissions");
                return null;
            }
        }
        f.problems().add(f.path(key), key + " '" + text.asWritten() + "' not found" + (posted != null ? ""
                : " (looked in " + SecretReferences.describe(candidates) + ")") + "; check the path");
        return null;
    }
}
