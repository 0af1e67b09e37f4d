package dev.tokenbench.run;

import dev.tokenbench.provider.ErrorBodies;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretScrubberTest {
    private static final String KEY = "sk-proj-Zq81wLmv0xT4";

    @Test
    void aBearerTokenEchoedAloneOrWholeIsTakenOut() {
        SecretScrubber s = SecretScrubber.forRequest("https://api.example/v1/chat",
                Map.of("Authorization", "Bearer " + KEY, "content-type", "application/json"), Map.of());
        assertEquals("Incorrect API key provided: ***. See docs.",
                s.scrub("Incorrect API key provided: " + KEY + ". See docs."));
        assertEquals("got header ***", s.scrub("got header Bearer " + KEY));
        assertEquals("application/json stays", s.scrub("application/json stays"), "only auth headers are secret");
    }

    @Test
    void everyAuthHeaderAndKeyQueryParameterIsSecret() {
        SecretScrubber s = SecretScrubber.forRequest("https://g.example/v1beta/m:stream?alt=sse&key=AIzaQueryKey99",
                Map.of("x-api-key", "ant-key-1234567", "api-key", "azure-key-7654321", "x-goog-api-key",
                        "AIzaHeaderKey42"), Map.of("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE1234/"
                        + "20260101/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=abcdef0123456789"));
        String scrubbed = s.scrub("ant-key-1234567 azure-key-7654321 AIzaHeaderKey42 AIzaQueryKey99 "
                + "AKIDEXAMPLE1234 abcdef0123456789");
        assertEquals("*** *** *** *** *** ***", scrubbed);
    }

    @Test
    void theBeginningOfAKeyAtTheEndOfACutMessageGoesToo() {
        SecretScrubber s = SecretScrubber.forRequest("http://h/", Map.of("authorization", "Bearer " + KEY), null);
        assertEquals("Incorrect API key provided: ***…", s.scrub("Incorrect API key provided: sk-proj-Zq8…"));
        assertEquals("ends with sk-", s.scrub("ends with sk-"), "three characters are no secret's beginning");
    }

    @Test
    void anErrorBodyIsScrubbedBeforeItIsCutToLength() {
        SecretScrubber s = SecretScrubber.forRequest("http://h/", Map.of("authorization", "Bearer " + KEY), null);
        String filler = "x".repeat(290);
        String message = StreamingExchange.providerMessage(ErrorBodies.describe(
                "{\"error\":{\"message\":\"" + filler + " " + KEY + "\"}}", null), s);
        assertFalse(message.contains("sk-proj"), message);
        assertTrue(message.startsWith(filler + " ***"), message);
    }

    @Test
    void aKeyTooShortToBeACredentialLeavesMessagesAlone() {
        SecretScrubber s = SecretScrubber.forRequest("http://h/?key=k", Map.of("x-goog-api-key", "k"), Map.of());
        assertEquals("the prompt was blocked: blockReason", s.scrub("the prompt was blocked: blockReason"));
    }
}
