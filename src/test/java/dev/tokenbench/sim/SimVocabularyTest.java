package dev.tokenbench.sim;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.SplittableRandom;

import static dev.tokenbench.sim.SimTestSupport.O200K_BASE;
import static dev.tokenbench.sim.SimTestSupport.parseJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimVocabularyTest {

    @Test
    void everyWordIsOneO200kTokenWithALeadingSpace() {
        for (String token : SimVocabulary.TOKENS) {
            assertTrue(token.startsWith(" ") && token.length() > 1, "[" + token + "]");
            assertEquals(1, O200K_BASE.countTokens(token), "[" + token + "] must be exactly one token");
        }
        assertEquals(SimVocabulary.TOKENS.size(), new HashSet<>(SimVocabulary.TOKENS).size(), "no duplicates");
    }

    @Test
    void anyRunOfWordsCountsAsManyTokensAsWords() {
        SplittableRandom random = new SplittableRandom(99);
        for (int run = 0; run < 200; run++) {
            int words = 1 + random.nextInt(300);
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < words; i++) {
                text.append(SimVocabulary.TOKENS.get(random.nextInt(SimVocabulary.SIZE)));
            }
            assertEquals(words, O200K_BASE.countTokens(text.toString()), text::toString);
        }
        // every ordered pair, so no two neighbours ever merge into one token
        for (String left : SimVocabulary.TOKENS) {
            for (String right : SimVocabulary.TOKENS) {
                assertEquals(2, O200K_BASE.countTokens(left + right), () -> "[" + left + right + "]");
            }
        }
    }

    @Test
    void includesTwoThreeAndFourByteUtf8() {
        boolean[] seenLength = new boolean[5];
        for (String token : SimVocabulary.TOKENS) {
            token.codePoints().forEach(cp -> seenLength[new String(Character.toChars(cp))
                    .getBytes(StandardCharsets.UTF_8).length] = true);
        }
        assertTrue(seenLength[2] && seenLength[3] && seenLength[4]);
    }

    @Test
    void preEncodedBytesAreTheJsonStringContentOfEachWord() {
        for (int i = 0; i < SimVocabulary.SIZE; i++) {
            String json = "\"" + new String(SimVocabulary.JSON_UTF8[i], StandardCharsets.UTF_8) + "\"";
            assertEquals(SimVocabulary.TOKENS.get(i), parseJson(json).asText());
        }
    }
}
