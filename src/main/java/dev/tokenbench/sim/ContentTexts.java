package dev.tokenbench.sim;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** The prompt text of a request's message content, as the simulator counts it (every API's shape alike). */
public final class ContentTexts {
    private ContentTexts() {
    }

    /** Adds a string content, or the text of every part of an array of content parts; nothing for null. */
    public static void add(JsonNode content, List<String> texts) {
        if (content == null) {
            return;
        }
        if (content.isTextual()) {
            texts.add(content.asText());
        } else if (content.isArray()) {
            for (JsonNode part : content) {
                JsonNode text = part.get("text");
                if (text != null && text.isTextual()) {
                    texts.add(text.asText());
                }
            }
        }
    }
}
