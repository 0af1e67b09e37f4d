package dev.tokenbench.sim;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * A self-signed X.509 certificate and its RSA key, in PEM, for the simulator's https: valid for {@code localhost},
 * 127.0.0.1 and ::1, for a year. The JDK has no public API to issue a certificate and Netty's needs BouncyCastle or
 * internal JDK classes, so the certificate's few DER structures are written here (RFC 5280, section 4.1); the JDK
 * signs it, and parses it back wherever it is used, which checks the encoding.
 *
 * @param certificatePem the certificate ({@code -----BEGIN CERTIFICATE-----})
 * @param privateKeyPem  its key in PKCS#8 ({@code -----BEGIN PRIVATE KEY-----})
 */
public record SelfSignedCertificate(String certificatePem, String privateKeyPem) {
    private static final byte[] SHA256_WITH_RSA = oid(1, 2, 840, 113549, 1, 1, 11);
    private static final byte[] COMMON_NAME = oid(2, 5, 4, 3);
    private static final byte[] SUBJECT_ALT_NAME = oid(2, 5, 29, 17);
    private static final byte[] BASIC_CONSTRAINTS = oid(2, 5, 29, 19);
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    @Override
    public String toString() {
        return "SelfSignedCertificate[key redacted]";
    }

    /** A new key pair and certificate for {@code commonName} (2048-bit RSA: every TLS stack reads it). */
    public static SelfSignedCertificate generate(String commonName) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            byte[] algorithm = seq(SHA256_WITH_RSA, tlv(0x05, new byte[0]));
            byte[] name = seq(set(seq(COMMON_NAME, tlv(0x0C, commonName.getBytes(StandardCharsets.UTF_8)))));
            byte[] altNames = seq(
                    tlv(0x82, "localhost".getBytes(StandardCharsets.US_ASCII)),
                    tlv(0x87, new byte[] {127, 0, 0, 1}),
                    tlv(0x87, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
            byte[] extensions = seq(
                    seq(BASIC_CONSTRAINTS, tlv(0x04, seq(tlv(0x01, new byte[] {(byte) 0xFF})))),
                    seq(SUBJECT_ALT_NAME, tlv(0x04, altNames)));
            byte[] tbs = seq(
                    tlv(0xA0, integer(BigInteger.TWO)), // v3
                    integer(new BigInteger(64, new SecureRandom()).setBit(62)),
                    algorithm,
                    name,
                    seq(utcTime(now.minus(1, ChronoUnit.DAYS)), utcTime(now.plus(365, ChronoUnit.DAYS))),
                    name,
                    keys.getPublic().getEncoded(), // SubjectPublicKeyInfo, DER already
                    tlv(0xA3, extensions));
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(keys.getPrivate());
            signer.update(tbs);
            byte[] certificate = seq(tbs, algorithm, bitString(signer.sign()));
            return new SelfSignedCertificate(pem("CERTIFICATE", certificate),
                    pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a self-signed certificate: " + e.getMessage(), e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] utcTime(Instant time) {
        return tlv(0x17, UTC_TIME.format(time).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] integer(BigInteger value) {
        return tlv(0x02, value.toByteArray());
    }

    private static byte[] bitString(byte[] bits) {
        byte[] content = new byte[bits.length + 1]; // first byte: no unused bits
        System.arraycopy(bits, 0, content, 1, bits.length);
        return tlv(0x03, content);
    }

    private static byte[] oid(int... arcs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(40 * arcs[0] + arcs[1]);
        for (int i = 2; i < arcs.length; i++) {
            int arc = arcs[i];
            int shift = 28;
            while (shift > 0 && (arc >>> shift) == 0) {
                shift -= 7;
            }
            for (; shift > 0; shift -= 7) {
                out.write(0x80 | ((arc >>> shift) & 0x7F));
            }
            out.write(arc & 0x7F);
        }
        return tlv(0x06, out.toByteArray());
    }

    private static byte[] seq(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Tag, definite length (short or long form), content. */
    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
