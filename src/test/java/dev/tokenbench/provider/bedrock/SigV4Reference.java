package dev.tokenbench.provider.bedrock;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SigV4 written out from AWS's "Create a signed AWS API request" steps, for tests only: it checks what the SDK's
 * signer produced (and what actually went over the wire) against the specification, independently of the SDK.
 * Production code never signs by hand.
 */
final class SigV4Reference {

    private SigV4Reference() {
    }

    /**
     * The Authorization header a request must carry.
     *
     * @param rawPath       the path as sent (already percent-encoded once); non-S3 services encode it again
     * @param signedHeaders lower-case names to values, exactly the headers the signature covers
     */
    static String authorization(String method, String rawPath, Map<String, String> signedHeaders,
            String payloadSha256Hex, String amzDate, String region, String service, String accessKeyId,
            String secretAccessKey) {
        TreeMap<String, String> sorted = new TreeMap<>();
        signedHeaders.forEach((name, value) -> sorted.put(name.toLowerCase(Locale.ROOT), value.strip()));
        StringBuilder canonicalHeaders = new StringBuilder();
        sorted.forEach((name, value) -> canonicalHeaders.append(name).append(':').append(value).append('\n'));
        String signedHeaderNames = String.join(";", sorted.keySet());
        String canonicalRequest = method + "\n" + uriEncode(rawPath) + "\n" + "" + "\n" + canonicalHeaders + "\n"
                + signedHeaderNames + "\n" + payloadSha256Hex;
        String date = amzDate.substring(0, 8);
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + sha256Hex(
                canonicalRequest.getBytes(StandardCharsets.UTF_8));
        byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        String signature = HexFormat.of().formatHex(hmac(key, stringToSign));
        return "AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/" + scope + ", SignedHeaders=" + signedHeaderNames
                + ", Signature=" + signature;
    }

    /** URI-encodes every byte but unreserved characters and '/'. */
    static String uriEncode(String path) {
        StringBuilder out = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~' || c == '/') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
