package dev.tokenbench.config;

import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.sim.SelfSignedCertificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.tokenbench.config.ConfigFixtures.assertError;
import static dev.tokenbench.config.ConfigFixtures.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A target's http-version, ca-file, insecure-skip-verify and client-cert/client-key, in files and posted. */
class TlsConfigTest {
    private static SelfSignedCertificate certificate;

    @BeforeAll
    static void certificate() {
        certificate = SelfSignedCertificate.generate("tls-config-test");
    }

    private static String benchmark(String url, String fields) {
        return "name: tls\ntargets:\n  - {name: t, api: openai-chat, base-url: '" + url + "', model: m" + fields
                + "}\nprompts: {synthetic: {input-tokens: 10, output-tokens: 5}}\n";
    }

    private static TlsSpec load(Path dir, String fields) throws ConfigException {
        return loader(dir).load("b.yaml", benchmark("https://llm.internal/v1", fields), dir).targets().get(0).tls();
    }

    private static BenchmarkLoader loader(Path dir) {
        return new BenchmarkLoader(name -> null, dir, ProviderRegistry.defaults());
    }

    private static ConfigException refused(Path dir, String url, String fields) {
        return assertThrows(ConfigException.class, () -> loader(dir).load("b.yaml", benchmark(url, fields), dir));
    }

    private static String keyBody() {
        String[] lines = certificate.privateKeyPem().split("\n");
        return lines[3]; // a line from the middle of the key: no message may show any of it
    }

    @Test
    void withNoFieldTheTargetSpeaksHttp11AndTrustsTheJvmDefaults(@TempDir Path dir) throws Exception {
        assertSame(TlsSpec.DEFAULT, load(dir, ""));
        assertEquals(TlsSpec.HTTP_1_1, TlsSpec.DEFAULT.httpVersion());
    }

    @Test
    void httpVersionIsReadAsWrittenWhetherYamlMadeItANumberOrNot(@TempDir Path dir) throws Exception {
        assertEquals(TlsSpec.HTTP_1_1, load(dir, ", http-version: 1.1").httpVersion());
        assertEquals(TlsSpec.HTTP_2, load(dir, ", http-version: 2").httpVersion());
        assertEquals(TlsSpec.HTTP_2, load(dir, ", http-version: '2'").httpVersion());
        assertEquals(TlsSpec.AUTO, load(dir, ", http-version: auto").httpVersion());
        assertError(refused(dir, "https://llm.internal/v1", ", http-version: 3"), "b.yaml",
                "targets[0].http-version", "unknown http-version '3'", "\"1.1\"", "\"2\"", "auto");
    }

    @Test
    void caFileIsReadNextToTheBenchmarkAndMustHoldACertificate(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("ca.pem"), certificate.certificatePem());
        TlsSpec tls = load(dir, ", ca-file: ca.pem");
        assertEquals("ca.pem", tls.caFile().path());
        assertEquals(certificate.certificatePem(), tls.caFile().pem());
        assertFalse(tls.insecureSkipVerify());

        assertError(refused(dir, "https://llm.internal/v1", ", ca-file: missing.pem"), "b.yaml", "targets[0].ca-file",
                "'missing.pem' not found", "check the path");
        Files.writeString(dir.resolve("not-a-cert.pem"), "hello\n");
        assertError(refused(dir, "https://llm.internal/v1", ", ca-file: not-a-cert.pem"), "b.yaml",
                "targets[0].ca-file", "holds no readable PEM certificate", "openssl x509");
    }

    @Test
    void tlsFieldsOnAPlaintextTargetAreRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("ca.pem"), certificate.certificatePem());
        ConfigException e = refused(dir, "http://127.0.0.1:8000/v1", ", ca-file: ca.pem, insecure-skip-verify: true");
        assertError(e, "b.yaml", "targets[0].ca-file", "https:// base-urls only", "base-url is http://");
        assertError(e, "b.yaml", "targets[0].insecure-skip-verify", "https:// base-urls only");
        // HTTP/2 over plaintext is h2c with prior knowledge, which a version choice alone may ask for.
        assertEquals(TlsSpec.HTTP_2, loader(dir).load("b.yaml", benchmark("http://127.0.0.1:8000/v1",
                ", http-version: 2"), dir).targets().get(0).tls().httpVersion());
    }

    @Test
    void insecureSkipVerifyIsKeptAndCannotBeMixedWithCaFile(@TempDir Path dir) throws Exception {
        assertTrue(load(dir, ", insecure-skip-verify: true").insecureSkipVerify());
        Files.writeString(dir.resolve("ca.pem"), certificate.certificatePem());
        assertError(refused(dir, "https://llm.internal/v1", ", insecure-skip-verify: true, ca-file: ca.pem"),
                "b.yaml", "targets[0].ca-file", "has no effect with insecure-skip-verify");
        assertError(refused(dir, "https://llm.internal/v1", ", insecure-skip-verify: yes-please"), "b.yaml",
                "targets[0].insecure-skip-verify", "true or false");
    }

    @Test
    void clientCertificateNeedsItsKeyAndNoMessageShowsTheKey(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("client.pem"), certificate.certificatePem());
        Files.writeString(dir.resolve("client.key"), certificate.privateKeyPem());
        TlsSpec tls = load(dir, ", client-cert: client.pem, client-key: client.key");
        assertEquals(certificate.privateKeyPem(), tls.clientKey().pem());
        assertFalse(tls.toString().contains(keyBody()), "toString never shows the key");

        assertError(refused(dir, "https://llm.internal/v1", ", client-cert: client.pem"), "b.yaml",
                "targets[0].client-key", "client-key is required with client-cert");
        assertError(refused(dir, "https://llm.internal/v1", ", client-key: client.key"), "b.yaml",
                "targets[0].client-cert", "client-cert is required with client-key");
        // The key and the certificate swapped: the key file holds no key, the certificate file no certificate.
        ConfigException swapped = refused(dir, "https://llm.internal/v1", ", client-cert: client.key, "
                + "client-key: client.pem");
        assertError(swapped, "b.yaml", "targets[0].client-key", "holds no PEM private key");
        assertError(swapped, "b.yaml", "targets[0].client-cert", "holds no readable PEM certificate");
        assertFalse(render(swapped).contains(keyBody()), render(swapped));

        Files.writeString(dir.resolve("encrypted.key"), certificate.privateKeyPem()
                .replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"));
        ConfigException encrypted = refused(dir, "https://llm.internal/v1", ", client-cert: client.pem, "
                + "client-key: encrypted.key");
        assertError(encrypted, "b.yaml", "targets[0].client-key", "is encrypted", "openssl pkey");
        assertFalse(render(encrypted).contains(keyBody()), render(encrypted));
        // A certificate relabelled as a key: a PRIVATE KEY block whose contents are no key.
        Files.writeString(dir.resolve("garbled.key"), certificate.certificatePem().replace("CERTIFICATE",
                "PRIVATE KEY"));
        ConfigException garbled = refused(dir, "https://llm.internal/v1", ", client-cert: client.pem, "
                + "client-key: garbled.key");
        assertError(garbled, "b.yaml", "targets[0].client-key", "neither an RSA nor an EC key");
    }

    @Test
    void aPostedBenchmarkCannotSkipVerificationNorReadFilesOutsideTheServiceDirectory(@TempDir Path dir)
            throws Exception {
        Path service = Files.createDirectories(dir.resolve("benchmarks"));
        Files.writeString(service.resolve("ca.pem"), certificate.certificatePem());
        Files.writeString(dir.resolve("outside.pem"), certificate.certificatePem());
        BenchmarkLoader posted = BenchmarkLoader.forPosted(new PostedPolicy(Map.of(), service, List.of()),
                ProviderRegistry.defaults());

        TlsSpec inside = posted.load("request body", benchmark("https://llm.internal/v1", ", ca-file: ca.pem"),
                service).targets().get(0).tls();
        assertEquals(certificate.certificatePem(), inside.caFile().pem());

        for (String outside : List.of("../outside.pem", dir.resolve("outside.pem").toString(), "/etc/passwd")) {
            ConfigException e = assertThrows(ConfigException.class, () -> posted.load("request body",
                    benchmark("https://llm.internal/v1", ", ca-file: '" + outside + "'"), service));
            assertError(e, "request body", "targets[0].ca-file", "not a file in the service's benchmarks directory");
            assertFalse(render(e).contains(dir.toString()) && !outside.contains(dir.toString()), render(e));
        }
        ConfigException insecure = assertThrows(ConfigException.class, () -> posted.load("request body",
                benchmark("https://llm.internal/v1", ", insecure-skip-verify: true"), service));
        assertError(insecure, "request body", "targets[0].insecure-skip-verify", "cannot be used in a benchmark "
                + "posted", "ca-file");
    }
}
