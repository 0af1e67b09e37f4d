package dev.tokenbench.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean …?" for misspelt keys and names. */
final class Suggestions {
    private Suggestions() {
    }

    /**
     * The closest candidate, if it is close enough to be a plausible typo. Case, dashes and underscores are
     * ignored first, so {@code max_output_tokens} and {@code maxOutputTokens} both find {@code max-output-tokens}.
     */
    static Optional<String> closest(String input, Collection<String> candidates) {
        if (input == null || input.isEmpty()) {
            return Optional.empty();
        }
        String normalizedInput = normalize(input);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = editDistance(normalizedInput, normalize(candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        // Two edits catch most typos; short words get one, so 'id' does not suggest 'api'.
        int allowed = normalizedInput.length() <= 4 ? 1 : normalizedInput.length() <= 7 ? 2 : 3;
        return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** {@code  (did you mean 'x'?)} or the empty string, to follow the quoted input in a message. */
    static String didYouMean(String input, Collection<String> candidates) {
        return closest(input, candidates).map(s -> " (did you mean '" + s + "'?)").orElse("");
    }

    /**
     * As {@link #didYouMean(String, Collection)}, but nothing for a value that came from a secret reference:
     * a near-match would give away most of the secret.
     */
    static String didYouMean(Text input, Collection<String> candidates) {
        return input.hasReference() ? "" : didYouMean(input.value(), candidates);
    }

    private static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    /** Optimal string alignment distance: Levenshtein plus adjacent transpositions ('concurrecny'). */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int best = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    best = Math.min(best, d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        return d[a.length()][b.length()];
    }
}
