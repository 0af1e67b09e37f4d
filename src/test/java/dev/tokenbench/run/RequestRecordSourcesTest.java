package dev.tokenbench.run;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.core.Json;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.TokenSources;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** requests.jsonl says where each token count came from, and reads it back; an older line says nothing. */
class RequestRecordSourcesTest {

    @Test
    void eachCountsSourceIsWrittenAndReadBack() throws Exception {
        TokenSources sources = new TokenSources(TokenSources.PROVIDER, TokenSources.ESTIMATED,
                TokenSources.ESTIMATED, TokenSources.ESTIMATED);
        RequestRecord r = RequestRecord.builder().requestId("r1").target("claude").outcome(Outcome.OK)
                .outputTokens(87).reasoningTokens(29).tokenSources(sources).build();
        JsonNode line = Json.MAPPER.readTree(write(r));
        assertEquals("provider", line.path("output_tokens_source").asText());
        assertEquals("estimated", line.path("input_tokens_source").asText());
        assertEquals("estimated", line.path("reasoning_tokens_source").asText());
        assertEquals("estimated", line.path("visible_tokens_source").asText());
        assertEquals(sources, RequestRecordJson.read(line).tokenSources());
    }

    @Test
    void aLineWrittenBeforeSourcesWereKeptReadsAsUnknown() throws Exception {
        RequestRecord r = RequestRecord.builder().requestId("r1").target("t").outcome(Outcome.OK).build();
        String json = write(r);
        assertTrue(json.contains("\"output_tokens_source\":null"), json);
        JsonNode old = Json.MAPPER.readTree(json.replaceAll(",\"[a-z_]+_tokens_source\":null", ""));
        assertEquals(TokenSources.UNKNOWN, RequestRecordJson.read(old).tokenSources());
    }

    private static String write(RequestRecord r) throws Exception {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            RequestRecordJson.write(g, r);
        }
        return out.toString();
    }
}
