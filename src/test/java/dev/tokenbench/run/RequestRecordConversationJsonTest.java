package dev.tokenbench.run;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.core.Json;
import dev.tokenbench.measure.ConversationPlace;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** requests.jsonl's conversation_id and turn: written for a conversation's turn only, and read back. */
class RequestRecordConversationJsonTest {

    private static JsonNode line(RequestRecord r) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            RequestRecordJson.write(g, r);
        }
        return Json.MAPPER.readTree(out.toString());
    }

    @Test
    void aTurnCarriesItsConversationAndTurnNumber() throws IOException {
        RequestRecord turn = RequestRecord.builder().requestId("r1").target("t").outcome(Outcome.OK)
                .promptId("trip-t3").cachedInputTokens(680).conversation(new ConversationPlace("trip", 3)).build();
        JsonNode n = line(turn);
        assertEquals("trip", n.get("conversation_id").asText());
        assertEquals(3, n.get("turn").asInt());
        assertEquals(680, n.get("cached_input_tokens").asLong());
        assertEquals(new ConversationPlace("trip", 3), RequestRecordJson.read(n).conversation());
    }

    @Test
    void aSingleTurnPromptHasNeitherField() throws IOException {
        RequestRecord single = RequestRecord.builder().requestId("r2").target("t").outcome(Outcome.OK)
                .promptId("story").build();
        JsonNode n = line(single);
        assertFalse(n.has("conversation_id"));
        assertFalse(n.has("turn"));
        assertNull(RequestRecordJson.read(n).conversation());
    }
}
