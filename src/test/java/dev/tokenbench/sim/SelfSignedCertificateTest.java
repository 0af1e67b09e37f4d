package dev.tokenbench.sim;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-written DER is checked by the JDK's own parser: fields, names, validity, and a signature that holds. */
class SelfSignedCertificateTest {
    @Test
    void theJdkReadsTheCertificateAndItsKeySignsForIt() throws Exception {
        SelfSignedCertificate generated = SelfSignedCertificate.generate("tokenbench simulator");
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(generated.certificatePem().getBytes(StandardCharsets.US_ASCII)));

        assertEquals(3, certificate.getVersion());
        assertEquals("CN=tokenbench simulator", certificate.getSubjectX500Principal().getName());
        assertEquals(certificate.getSubjectX500Principal(), certificate.getIssuerX500Principal(), "self-issued");
        certificate.verify(certificate.getPublicKey()); // self-signed: its own key verifies it
        certificate.checkValidity(new Date());
        assertTrue(certificate.getNotAfter().getTime() - System.currentTimeMillis() > 300L * 24 * 3600 * 1000);
        Set<String> names = certificate.getSubjectAlternativeNames().stream()
                .map(name -> name.get(1).toString()).collect(Collectors.toSet());
        assertEquals(Set.of("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1"), names);
        assertEquals(Integer.MAX_VALUE, certificate.getBasicConstraints(), "may act as its own CA");

        String body = generated.privateKeyPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                Base64.getDecoder().decode(body)));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(new byte[] {1, 2, 3});
        byte[] signed = signature.sign();
        signature.initVerify(certificate.getPublicKey());
        signature.update(new byte[] {1, 2, 3});
        assertTrue(signature.verify(signed), "the key is the certificate's");
        assertFalse(generated.toString().contains(body.substring(0, 40)), "toString never shows the key");
    }

    @Test
    void eachCertificateIsNew() {
        List<String> two = List.of(SelfSignedCertificate.generate("a").certificatePem(),
                SelfSignedCertificate.generate("a").certificatePem());
        assertFalse(two.get(0).equals(two.get(1)));
    }
}
