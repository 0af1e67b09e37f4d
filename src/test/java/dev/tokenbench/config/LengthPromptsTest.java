package dev.tokenbench.config;

import com.knuddels.jtokkit.api.Encoding;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Prompts cut from one long text must still be exactly as long as asked under the real tokenizer, at every length
 * (a cut in the wrong place re-encodes differently): checked by encoding each prompt whole, for every length up to
 * 700 and a spread of longer ones, under both current OpenAI encodings.
 */
class LengthPromptsTest {
    @Test
    void everyLengthIsExactUnderTheRealTokenizer() {
        for (String tokenizer : new String[] {"o200k_base", "cl100k_base"}) {
            Encoding encoding = SyntheticPrompts.encoding(tokenizer);
            LengthPrompts lengths = new LengthPrompts(tokenizer, 9_000, 3);
            Set<String> prompts = new HashSet<>();
            for (int n = 1; n <= 700; n++) {
                String prompt = lengths.prompt(n, n);
                assertEquals(n, encoding.countTokensOrdinary(prompt), tokenizer + ", " + n + " tokens: " + prompt);
                prompts.add(prompt);
            }
            for (int n = 701; n <= 9_500; n += 97) { // past the longest asked for: fillers make up the rest
                assertEquals(n, encoding.countTokensOrdinary(lengths.prompt(n, n)), tokenizer + ", " + n + " tokens");
            }
            assertEquals(700, prompts.size(), "no two rows send the same prompt");
        }
    }

    @Test
    void rowsOfTheSameLengthDifferFromTheirFirstTokens() {
        LengthPrompts lengths = new LengthPrompts("o200k_base", 400, 1);
        String first = lengths.prompt(0, 400);
        String second = lengths.prompt(1, 400);
        assertTrue(first.startsWith("Request 1.") && second.startsWith("Request 2."), first + " / " + second);
    }
}
