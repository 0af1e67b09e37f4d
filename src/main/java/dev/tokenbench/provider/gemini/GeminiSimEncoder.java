package dev.tokenbench.provider.gemini;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.tokenbench.sim.SimEncoder;
import dev.tokenbench.sim.SimVocabulary;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Bytes of one {@code streamGenerateContent?alt=sse} stream, shaped as Google sends them: one GenerateContentResponse
 * per SSE event, Google's JSON spacing ({@code "key": value} inside, {@code ,"next"} between members), events ended
 * by CRLF CRLF. The Gemini API and Vertex AI differ in small things, both kept: Vertex writes {@code role} before
 * {@code parts}, stamps every chunk with {@code createTime} and puts {@code usageMetadata.trafficType} into every
 * chunk; the Gemini API writes {@code parts} first and no usage until the end.
 *
 * <p>Everything the same for every chunk of a response is encoded once per request; an event is then prefix +
 * pre-encoded token bytes + suffix, with no JSON library per chunk, because the simulator is also the load target
 * for measuring tokenbench's own overhead. Streamed reasoning is a part with {@code "thought": true} (a thought
 * summary, as {@code includeThoughts} returns it).
 *
 * <p>There is no end-of-stream marker in this API: the last chunk carries {@code finishReason} ({@code STOP}, or
 * {@code MAX_TOKENS} when the cap was reached) and the final {@code usageMetadata}, and the body ends after it.
 * Usage as Google counts it: {@code candidatesTokenCount} is the visible answer only, {@code thoughtsTokenCount}
 * the thinking (streamed or hidden), {@code totalTokenCount} their sum with the prompt; zero counts are left out,
 * as proto3 JSON leaves them out.
 */
final class GeminiSimEncoder implements SimEncoder {

    static final String CONTENT_TYPE = "text/event-stream";

    private static final byte[] DATA = ascii("data: ");
    private static final byte[] EVENT_END = ascii("\r\n\r\n");
    private static final DateTimeFormatter CREATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final boolean vertex;
    private final boolean sendsUsage;
    /** {@code ,"modelVersion": …,"responseId": …}} and the event's end: the same for every chunk. */
    private final String responseTail;
    private final byte[] textPrefix;
    private final byte[] thoughtPrefix;
    private final byte[] textSuffix;
    private final byte[] thoughtSuffix;

    /**
     * @param vertex     Vertex AI's variant of the chunks, else the Gemini API's
     * @param responseId Google's response id for every chunk of this response
     * @param sendsUsage false leaves usageMetadata out (a scenario without usage); Google itself always sends it
     * @param toolName   null for a text answer; else each visible event is a whole {@code functionCall} part of
     *                   this tool (Gemini never splits a call), its tokens the args' {@code text}
     */
    GeminiSimEncoder(boolean vertex, String model, String responseId, long createdEpochSeconds, boolean sendsUsage,
            String toolName) {
        this.vertex = vertex;
        this.sendsUsage = sendsUsage;
        String modelVersion = jsonEscape(model);
        this.responseTail = vertex
                ? ",\"modelVersion\": \"" + modelVersion + "\",\"createTime\": \""
                        + CREATE_TIME.format(Instant.ofEpochSecond(createdEpochSeconds))
                        + "\",\"responseId\": \"" + jsonEscape(responseId) + "\"}"
                : ",\"modelVersion\": \"" + modelVersion + "\",\"responseId\": \"" + jsonEscape(responseId) + "\"}";
        String partOpen = toolName == null ? "{\"text\": \""
                : "{\"functionCall\": {\"name\": \"" + jsonEscape(toolName) + "\",\"args\": {\"text\": \"";
        String contentOpen = vertex
                ? "{\"candidates\": [{\"content\": {\"role\": \"model\",\"parts\": [" + partOpen
                : "{\"candidates\": [{\"content\": {\"parts\": [" + partOpen;
        String contentClose = vertex ? "]}}]" : "],\"role\": \"model\"}}]";
        String chunkUsage = vertex ? ",\"usageMetadata\": {\"trafficType\": \"ON_DEMAND\"}" : "";
        this.textPrefix = utf8("data: " + contentOpen);
        this.thoughtPrefix = toolName == null ? textPrefix
                : utf8("data: " + contentOpen.substring(0, contentOpen.length() - partOpen.length()) + "{\"text\": \"");
        this.textSuffix = utf8((toolName == null ? "\"}" : "\"}}}") + contentClose + chunkUsage + responseTail
                + "\r\n\r\n");
        this.thoughtSuffix = utf8("\",\"thought\": true}" + contentClose + chunkUsage + responseTail + "\r\n\r\n");
    }

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    /** Nothing comes before the first output: the first chunk already carries text. */
    @Override
    public Buffer head() {
        return Buffer.buffer();
    }

    @Override
    public void appendEvent(Buffer out, int[] tokens, int count, boolean reasoning) {
        out.appendBytes(reasoning ? thoughtPrefix : textPrefix);
        for (int i = 0; i < count; i++) {
            out.appendBytes(SimVocabulary.JSON_UTF8[tokens[i]]);
        }
        out.appendBytes(reasoning ? thoughtSuffix : textSuffix);
    }

    /** The last chunk: empty text, the finish reason and the final usage. */
    @Override
    public Buffer tail(String finishReason, int promptTokens, int outputTokens, int reasoningTokens) {
        return tail(finishReason, promptTokens, 0, outputTokens, reasoningTokens);
    }

    @Override
    public Buffer tail(String finishReason, int promptTokens, int cachedPromptTokens, int outputTokens,
            int reasoningTokens) {
        StringBuilder chunk = new StringBuilder(512);
        chunk.append(vertex
                ? "{\"candidates\": [{\"content\": {\"role\": \"model\",\"parts\": [{\"text\": \"\"}]}"
                : "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"\"}],\"role\": \"model\"}");
        chunk.append(",\"finishReason\": \"").append("length".equals(finishReason) ? "MAX_TOKENS" : "STOP")
                .append("\"}]");
        if (sendsUsage) {
            chunk.append(",\"usageMetadata\": {");
            boolean first = true;
            first = appendCount(chunk, first, "promptTokenCount", promptTokens);
            first = appendCount(chunk, first, "candidatesTokenCount", outputTokens);
            first = appendCount(chunk, first, "totalTokenCount", promptTokens + outputTokens + reasoningTokens);
            if (vertex) {
                chunk.append(first ? "" : ",").append("\"trafficType\": \"ON_DEMAND\"");
                first = false;
            }
            if (promptTokens > 0) {
                chunk.append(first ? "" : ",").append("\"promptTokensDetails\": [{\"modality\": \"TEXT\",")
                        .append("\"tokenCount\": ").append(promptTokens).append("}]");
                first = false;
            }
            if (outputTokens > 0) {
                chunk.append(first ? "" : ",").append("\"candidatesTokensDetails\": [{\"modality\": \"TEXT\",")
                        .append("\"tokenCount\": ").append(outputTokens).append("}]");
                first = false;
            }
            first = appendCount(chunk, first, "thoughtsTokenCount", reasoningTokens);
            // Google's cachedContentTokenCount is part of promptTokenCount; left out when zero, as Google does.
            appendCount(chunk, first, "cachedContentTokenCount", cachedPromptTokens);
            chunk.append('}');
        } else if (vertex) {
            chunk.append(",\"usageMetadata\": {\"trafficType\": \"ON_DEMAND\"}");
        }
        chunk.append(responseTail);
        byte[] json = utf8(chunk.toString());
        return Buffer.buffer(DATA.length + json.length + EVENT_END.length)
                .appendBytes(DATA).appendBytes(json).appendBytes(EVENT_END);
    }

    /** An error in the middle of the stream: a chunk holding only Google's error object. */
    @Override
    public Buffer errorEvent(String message) {
        byte[] json = utf8("{\"error\": {\"code\": 500,\"message\": \"" + jsonEscape(message)
                + "\",\"status\": \"INTERNAL\"}}");
        return Buffer.buffer(DATA.length + json.length + EVENT_END.length)
                .appendBytes(DATA).appendBytes(json).appendBytes(EVENT_END);
    }

    /** Appends {@code "name": value} unless it is 0 (proto3 JSON leaves defaults out); returns the new "first". */
    private static boolean appendCount(StringBuilder out, boolean first, String name, int value) {
        if (value == 0) {
            return first;
        }
        out.append(first ? "" : ",").append('"').append(name).append("\": ").append(value);
        return false;
    }

    /**
     * Google's error body, pretty-printed as Google's front ends print it:
     * {@code {"error": {"code": 429, "message": "…", "status": "RESOURCE_EXHAUSTED"}}}.
     */
    static Buffer errorBody(int code, String message, String status) {
        return Buffer.buffer("{\n  \"error\": {\n    \"code\": " + code + ",\n    \"message\": \""
                + jsonEscape(message) + "\",\n    \"status\": \"" + jsonEscape(status) + "\"\n  }\n}\n");
    }

    static String jsonEscape(String text) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(text));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
