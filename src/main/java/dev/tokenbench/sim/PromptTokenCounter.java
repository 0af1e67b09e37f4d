package dev.tokenbench.sim;

import com.knuddels.jtokkit.api.Encoding;
import dev.tokenbench.measure.TokenCounter;

import java.util.List;

/**
 * Counts a request's prompt tokens for the usage chunk. It counts the message contents with o200k_base and leaves
 * out the chat template's few tokens per message: good enough for a simulator, whose prompt_tokens only need to
 * track the prompt's size, not match a real model's count to the token.
 */
final class PromptTokenCounter {

    private PromptTokenCounter() {
    }

    /** Loading the encoding reads a few MB from the jar: do it once, off the event loop, before serving. */
    static void load() {
        Holder.O200K_BASE.getName();
    }

    /** Blocking (BPE over the whole prompt): call it on a worker thread, not on an event loop. */
    static int count(List<String> texts) {
        int tokens = 0;
        for (String text : texts) {
            // Ordinary: a prompt that contains "<|endoftext|>" is text here, not a special token.
            tokens += Holder.O200K_BASE.countTokensOrdinary(text);
        }
        return tokens;
    }

    private static final class Holder {
        /** The client's own copy: a vocabulary takes tens of MB of heap, so one process loads each once. */
        static final Encoding O200K_BASE = TokenCounter.encoding(TokenCounter.DEFAULT_ENCODING).orElseThrow();
    }
}
