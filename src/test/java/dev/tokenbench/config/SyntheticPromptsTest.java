package dev.tokenbench.config;

import com.knuddels.jtokkit.api.Encoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticPromptsTest {

    /** Every length from 1 to 48 and some long ones, many seeds: the count is exact every time, re-encoded. */
    @ParameterizedTest
    @ValueSource(strings = {"o200k_base", "cl100k_base", "p50k_base", "r50k_base"})
    void everyPromptHasExactlyTheRequestedTokens(String tokenizer) {
        Encoding encoding = SyntheticPrompts.encoding(tokenizer);
        List<Integer> lengths = new ArrayList<>();
        for (int n = 1; n <= 48; n++) {
            lengths.add(n);
        }
        lengths.addAll(List.of(128, 500, 2048));
        for (int n : lengths) {
            PromptSet set = SyntheticPrompts.generate(n, 300, 8, n * 31L, tokenizer);
            assertEquals(8, set.prompts().size());
            Set<String> distinct = new HashSet<>();
            for (Prompt prompt : set.prompts()) {
                assertEquals(n, encoding.countTokensOrdinary(prompt.user()),
                        tokenizer + " n=" + n + ": '" + prompt.user() + "'");
                assertEquals(n, encoding.encode(prompt.user()).size(), "same with special-token handling");
                distinct.add(prompt.user());
            }
            assertEquals(8, distinct.size(), "distinct prompts at n=" + n);
        }
    }

    @Test
    void exactLengthHoldsAcrossManyRandomCuts() {
        Encoding encoding = SyntheticPrompts.encoding("o200k_base");
        Random random = new Random(7);
        for (int i = 0; i < 1000; i++) {
            int n = 1 + random.nextInt(200);
            String text = SyntheticPrompts.exactly(n, encoding, random);
            assertEquals(n, encoding.countTokensOrdinary(text), "n=" + n + ": '" + text + "'");
        }
    }

    /** The repair path, fed cuts that end mid-word or mid-number, as a cut token list can. */
    @ParameterizedTest
    @ValueSource(strings = {"o200k_base", "cl100k_base", "p50k_base", "r50k_base"})
    void repairReachesTheExactCountFromAnyCut(String tokenizer) {
        Encoding encoding = SyntheticPrompts.encoding(tokenizer);
        Random random = new Random(11);
        List<String> cuts = List.of("Lighthouse keepers rarely sleep thro", "The harbour at 1234567", "x",
                "Several sentences. Then a partial wor", "");
        for (String cut : cuts) {
            for (int n = 1; n <= 40; n++) {
                String text = SyntheticPrompts.repair(cut, n, encoding, random);
                assertEquals(n, encoding.countTokensOrdinary(text), tokenizer + " n=" + n + ": '" + text + "'");
            }
        }
    }

    @Test
    void idsSourceAndExpectedOutput() {
        PromptSet set = SyntheticPrompts.generate(50, 120, 3, 9, "o200k_base");
        assertEquals("synthetic(input-tokens=50, output-tokens=120, count=3, seed=9)", set.source());
        assertEquals(List.of("synthetic-1", "synthetic-2", "synthetic-3"),
                set.prompts().stream().map(Prompt::id).toList());
        for (Prompt prompt : set.prompts()) {
            assertEquals(120, prompt.expectedOutputTokens());
            assertNull(prompt.system());
        }
    }

    @Test
    void sameSeedSamePromptsOtherSeedOtherPrompts() {
        PromptSet a = SyntheticPrompts.generate(64, 10, 4, 1, "cl100k_base");
        PromptSet b = SyntheticPrompts.generate(64, 10, 4, 1, "cl100k_base");
        PromptSet c = SyntheticPrompts.generate(64, 10, 4, 2, "cl100k_base");
        assertEquals(a, b);
        assertNotEquals(a.prompts().get(0).user(), c.prompts().get(0).user());
    }

    @Test
    void readsLikeWords() {
        String text = SyntheticPrompts.generate(200, 10, 1, 3, "o200k_base").prompts().get(0).user();
        assertTrue(text.matches("[A-Za-z][A-Za-z ,.]*"), text);
        assertTrue(text.split(" ").length > 100, text);
    }

    @Test
    void outOfRangeArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> SyntheticPrompts.generate(0, 10, 1, 1, "o200k_base"));
        assertThrows(IllegalArgumentException.class, () -> SyntheticPrompts.generate(10, 10, 1, 1, "p50k_edit"));
        assertThrows(IllegalArgumentException.class, () -> SyntheticPrompts.generate(10, 10, 0, 1, "o200k_base"));
    }
}
