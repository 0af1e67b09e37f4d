package dev.tokenbench.run;

import dev.tokenbench.provider.PreparedRequest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a failed request's record keeps: the provider's message with its kind, its retry-after, no credential. */
class ErrorMessagesTest {

    @Test
    void retryAfterInMillisSecondsOrAnHttpDate() {
        assertEquals(1500, RetryAfter.millis("1500", "2", 0), "retry-after-ms wins");
        assertEquals(2000, RetryAfter.millis(null, "2", 0));
        assertEquals(2000, RetryAfter.millis("soon", " 2 ", 0), "an unreadable -ms falls back to retry-after");
        assertEquals(1500, RetryAfter.millis(null, "1.5", 0));
        long now = java.time.ZonedDateTime.parse("Wed, 21 Oct 2015 07:28:00 GMT",
                java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        assertEquals(30_000, RetryAfter.millis(null, "Wed, 21 Oct 2015 07:28:30 GMT", now));
        assertEquals(0, RetryAfter.millis(null, "Wed, 21 Oct 2015 07:27:00 GMT", now), "a date past is now");
        assertEquals(-1, RetryAfter.millis(null, null, now));
        assertEquals(-1, RetryAfter.millis(null, "later", now));
        assertEquals(-1, RetryAfter.millis(null, "-3", now));
    }

    @Test
    void theProviderMessageIsScrubbedThenCutToOneRecordLine() {
        SecretScrubber scrubber = SecretScrubber.forRequest("http://h/", Map.of("x-api-key", "key-CANARY-123456"),
                null);
        String message = StreamingExchange.providerMessage("y".repeat(400) + " key-CANARY-123456", null);
        assertEquals("y".repeat(300) + "…", message, "cut to 300 characters");
        assertEquals("refused: ***", StreamingExchange.providerMessage("refused: key-CANARY-123456", scrubber));
    }

    @Test
    void credentialsOfTheRequestAndKeyShapedStringsAreMasked() {
        String key = "sk-proj-CANARYabcdefghijklmnop0123456789";
        PreparedRequest request = new PreparedRequest("POST",
                "https://generativelanguage.googleapis.com/v1beta/models/m:streamGenerateContent?alt=sse"
                        + "&key=AIzaCANARYCANARYCANARYCANARYCANARY12345",
                Map.of("Authorization", "Bearer " + key, "x-api-key", "anthropic-canary-key-123",
                        "content-type", "application/json"),
                "{}".getBytes(StandardCharsets.UTF_8));
        Map<String, String> signed = Map.of("authorization", "AWS4-HMAC-SHA256 Credential=AKIACANARYCANARY12/"
                + "20250101/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=0123456789abcdef0123");
        SecretScrubber scrubber = SecretScrubber.forRequest(request.absoluteUri(), request.headers(), signed);
        String scrubbed = scrubber.scrub("HTTP 401: Incorrect API key provided: " + key + "; x-api-key "
                + "anthropic-canary-key-123 refused; url ...&key=AIzaCANARYCANARYCANARYCANARYCANARY12345; "
                + "credential AKIACANARYCANARY12 signature 0123456789abcdef0123; someone else's sk-ant-"
                + "abcdefghijklmnopqrstu; the content-type was application/json");
        assertFalse(scrubbed.contains("CANARY"), scrubbed);
        assertFalse(scrubbed.contains("anthropic-canary-key-123"), scrubbed);
        assertFalse(scrubbed.contains("0123456789abcdef0123"), scrubbed);
        assertFalse(scrubbed.contains("sk-ant-abcdefghijklmnopqrstu"), scrubbed);
        assertTrue(scrubbed.contains("the content-type was application/json"), "other headers are no secret: "
                + scrubbed);
        assertTrue(scrubbed.startsWith("HTTP 401: Incorrect API key provided: ***"), scrubbed);
    }
}
