package dev.tokenbench.config;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.IntArrayList;

import java.util.Random;

/**
 * Many prompts of exact, differing token lengths, made fast: a trace of 10,000 rows needs 10,000 lengths, and
 * generating and re-encoding each one ({@link SyntheticPrompts}) would take minutes. One seeded text as long as the
 * longest prompt is encoded once; a prompt of {@code n} tokens is a short row tag, then that text cut before a
 * space-led token (where the tokenizer's pre-split separates words, so the cut re-encodes to the same tokens), then
 * one-token fillers ({@code " the"}) for the few tokens between the cut and {@code n}. No prompt is encoded again.
 *
 * <p>The row tag ({@code "Request 17."}) makes every prompt's first tokens its own, so no endpoint serves one row's
 * prompt from the cache of another's: rows of a trace are separate requests.
 */
final class LengthPrompts {
    /** Appended to reach the exact length: one pre-split word, one token in every tokenizer tokenbench names. */
    private static final String FILLER = " the";

    private final Encoding encoding;
    private final String text;
    /** charEnd[k]: where the first k tokens of {@link #text} end (ASCII text: chars and bytes are the same). */
    private final int[] charEnd;
    /** safeCut[k]: the largest j <= k such that the text cut after j tokens re-encodes to exactly j tokens. */
    private final int[] safeCut;

    /**
     * @param longestTokens the longest prompt that will be asked for
     */
    LengthPrompts(String tokenizer, int longestTokens, long seed) {
        this.encoding = SyntheticPrompts.encoding(tokenizer);
        // Led by a space, so that its first word is cut off from the row tag before it like every other word.
        this.text = " " + SyntheticPrompts.exactly(Math.max(1, longestTokens), encoding, new Random(seed));
        IntArrayList tokens = encoding.encodeOrdinary(text);
        int n = tokens.size();
        charEnd = new int[n + 1];
        safeCut = new int[n + 1];
        IntArrayList one = new IntArrayList(1);
        int lastSafe = 0;
        for (int k = 0; k < n; k++) {
            one.clear();
            one.add(tokens.get(k));
            String piece = encoding.decode(one);
            charEnd[k + 1] = charEnd[k] + piece.length();
            // Cutting before token k is safe when token k starts a new pre-split word (a space-led one).
            if (piece.startsWith(" ")) {
                lastSafe = k;
            }
            safeCut[k] = lastSafe;
        }
        safeCut[n] = n; // the whole text, as encoded above
    }

    /**
     * A prompt of exactly {@code tokens} tokens (at least 1) for row {@code row}: the row tag when it fits, then the
     * shared text, then fillers.
     */
    String prompt(int row, int tokens) {
        String tag = "Request " + (row + 1) + ".";
        int tagTokens = encoding.countTokensOrdinary(tag);
        if (tokens <= tagTokens + 1) {
            // Too short for the tag: fillers only ("the the the"), still exactly that many tokens.
            StringBuilder small = new StringBuilder(FILLER.substring(1));
            for (int i = 1; i < tokens; i++) {
                small.append(FILLER);
            }
            return small.toString();
        }
        int body = tokens - tagTokens;
        int cut = safeCut[Math.min(body, safeCut.length - 1)];
        StringBuilder prompt = new StringBuilder(tag.length() + charEnd[cut] + (body - cut) * FILLER.length());
        prompt.append(tag).append(text, 0, charEnd[cut]);
        for (int i = cut; i < body; i++) {
            prompt.append(FILLER);
        }
        return prompt.toString();
    }
}
