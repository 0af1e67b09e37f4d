package dev.tokenbench.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.core.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JsonScanner#nextRawValue} (a Gemini tool call's args, kept as sent) against Jackson: the bytes it keeps
 * are exactly the member's value, whatever JSON that is, and the scan goes on after it.
 */
class JsonScannerRawValueTest {
    @Test
    void theRawValueIsTheMembersValueAndTheScanGoesOn() throws Exception {
        RandomJson random = new RandomJson(20, false);
        JsonScanner scanner = new JsonScanner();
        ByteSink sink = new ByteSink(64);
        for (int i = 0; i < 3000; i++) {
            String value = random.document().strip();
            byte[] doc = ("{\"a\": " + value + " , \"b\": 7}").getBytes(StandardCharsets.UTF_8);
            scanner.reset(doc, 0, doc.length);
            assertEquals(JsonScanner.OBJECT_START, scanner.next());
            assertEquals(JsonScanner.NAME, scanner.next());
            sink.reset();
            assertTrue(scanner.nextRawValue(sink), value);
            String kept = new String(sink.array(), 0, sink.length(), StandardCharsets.UTF_8);
            assertEquals(value, kept);
            JsonNode expected = Json.MAPPER.readTree(value);
            assertEquals(expected, Json.MAPPER.readTree(kept));
            assertEquals(JsonScanner.NAME, scanner.next(), value);
            assertEquals(7, scanner.nextLong());
            assertEquals(JsonScanner.OBJECT_END, scanner.next());
            assertEquals(JsonScanner.END, scanner.next());
        }
    }

    @Test
    void aMalformedValueKeepsNothing() {
        byte[] doc = "{\"a\": {\"x\": [1, }".getBytes(StandardCharsets.UTF_8);
        JsonScanner scanner = new JsonScanner();
        scanner.reset(doc, 0, doc.length);
        scanner.next();
        scanner.next();
        ByteSink sink = new ByteSink(8);
        assertFalse(scanner.nextRawValue(sink));
        assertEquals(0, sink.length());
    }
}
