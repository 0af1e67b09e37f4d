package dev.tokenbench.measure;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;

import java.util.Optional;

/**
 * Counts tokens with a real BPE tokenizer (jtokkit) when a provider reports no usage. Special-token text in a
 * response is counted as ordinary text, never rejected. Thread-safe: jtokkit encodings are immutable. The one
 * registry of the process: the simulator and the synthetic prompts take their encodings from it too, so each
 * vocabulary (o200k_base: tens of MB of heap) is loaded once, however many targets and simulators a run has.
 */
public final class TokenCounter {
    public static final String DEFAULT_ENCODING = "o200k_base";
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    private TokenCounter() {
    }

    public static Optional<Encoding> encoding(String name) {
        return REGISTRY.getEncoding(name == null ? DEFAULT_ENCODING : name);
    }

    public static int count(String encodingName, String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return encoding(encodingName).orElseThrow(() -> new IllegalArgumentException(
                "unknown tokenizer encoding " + encodingName)).countTokensOrdinary(text);
    }
}
