package dev.tokenbench.config;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.tokenbench.measure.TokenCounter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Prompts of an exact token length under a real tokenizer, so that input length is a controlled variable of
 * the benchmark rather than an estimate. The text is seeded pseudo-English: same arguments, same prompts, on
 * every machine. The count is of the user text alone; a provider's chat template adds its own few tokens.
 */
public final class SyntheticPrompts {
    public static final String DEFAULT_TOKENIZER = "o200k_base";
    /** The jtokkit encodings a benchmark may name (p50k_edit is for the retired edit models only). */
    public static final List<String> TOKENIZERS = List.of("o200k_base", "cl100k_base", "p50k_base", "r50k_base");
    public static final int MAX_INPUT_TOKENS = 1_000_000;
    public static final int MAX_COUNT = 10_000;

    private static final String[] COMMON_WORDS = {
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on",
        "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "had", "they",
        "you", "were", "their", "one", "all", "we", "can", "her", "has", "there", "been", "if", "more", "when",
        "will", "would", "who", "so", "no", "time", "people", "year", "way", "day", "man", "thing", "woman",
        "life", "child", "world", "school", "state", "family", "student", "group", "country", "problem",
        "hand", "part", "place", "case", "week", "company", "system", "program", "question", "work",
        "government", "number", "night", "point", "home", "water", "room", "mother", "area", "money", "story",
        "fact", "month", "lot", "right", "study", "book", "eye", "job", "word", "business", "issue", "side",
        "kind", "head", "house", "service", "friend", "father", "power", "hour", "game", "line", "end",
        "member", "law", "car", "city", "community", "name", "president", "team", "minute", "idea", "kid",
        "body", "information", "back", "parent", "face", "others", "level", "office", "door", "health",
        "person", "art", "war", "history", "party", "result", "change", "morning", "reason", "research",
        "girl", "guy", "moment", "air", "teacher", "force", "education", "lighthouse", "harbor", "river",
        "mountain", "signal", "engine", "garden", "letter", "window", "market", "winter", "summer", "bridge",
        "quickly", "slowly", "bright", "quiet", "ancient", "careful", "distant", "gentle", "heavy", "simple",
        "build", "carry", "follow", "gather", "measure", "notice", "remember", "travel", "wonder", "explain",
    };
    private static final String[] ONSETS = {"b", "br", "c", "ch", "d", "f", "g", "gr", "h", "j", "k", "l", "m",
        "n", "p", "pl", "r", "s", "sh", "st", "t", "th", "tr", "v", "w", "z"};
    private static final String[] VOWELS = {"a", "e", "i", "o", "u", "ai", "ea", "ou"};
    private static final String[] CODAS = {"", "", "n", "r", "s", "t", "l", "nd", "st", "ck"};
    /** Appended one at a time to reach the exact length; each is normally one token after a word. */
    private static final String[] FILLERS = {" the", " and", " of", " to", " in", " a", " is", " it", " on"};

    private SyntheticPrompts() {
    }

    /** @return whether {@code name} is one of {@link #TOKENIZERS} */
    public static boolean isTokenizer(String name) {
        return TOKENIZERS.contains(name);
    }

    /**
     * {@code count} distinct prompts of exactly {@code inputTokens} tokens under {@code tokenizer}, ids
     * {@code synthetic-1…}, each expecting {@code outputTokens}.
     *
     * @throws IllegalArgumentException when the arguments are out of range, or so small that {@code count}
     *                                  distinct prompts cannot be made
     */
    public static PromptSet generate(int inputTokens, int outputTokens, int count, long seed, String tokenizer) {
        if (inputTokens < 1 || inputTokens > MAX_INPUT_TOKENS || outputTokens < 1 || count < 1 || count > MAX_COUNT
                || !isTokenizer(tokenizer)) {
            throw new IllegalArgumentException("synthetic prompts need 1 <= input-tokens <= " + MAX_INPUT_TOKENS
                    + ", output-tokens >= 1, 1 <= count <= " + MAX_COUNT + " and a tokenizer in " + TOKENIZERS);
        }
        Encoding encoding = encoding(tokenizer);
        Random random = new Random(seed);
        Set<String> seen = new HashSet<>();
        List<Prompt> prompts = new ArrayList<>(count);
        int attemptsLeft = count * 20 + 100;
        while (prompts.size() < count) {
            if (attemptsLeft-- == 0) {
                throw new IllegalArgumentException("cannot make " + count + " distinct prompts of " + inputTokens
                        + (inputTokens == 1 ? " token" : " tokens") + "; ask for fewer prompts or more input-tokens");
            }
            String text = exactly(inputTokens, encoding, random);
            if (seen.add(text)) {
                prompts.add(new Prompt("synthetic-" + (prompts.size() + 1), null, text, outputTokens));
            }
        }
        return new PromptSet("synthetic", source(inputTokens, outputTokens, count, seed), List.copyOf(prompts));
    }

    static String source(int inputTokens, int outputTokens, int count, long seed) {
        return "synthetic(input-tokens=" + inputTokens + ", output-tokens=" + outputTokens + ", count=" + count
                + ", seed=" + seed + ")";
    }

    /** The jtokkit encoding of a name in {@link #TOKENIZERS}. */
    public static Encoding encoding(String tokenizer) {
        // The client's registry: a vocabulary takes tens of MB of heap, so one process loads each once.
        return TokenCounter.encoding(tokenizer)
                .orElseThrow(() -> new IllegalArgumentException("unknown tokenizer " + tokenizer));
    }

    /** Text of exactly {@code tokens} tokens: cut a longer text at that token, then repair the cut if needed. */
    static String exactly(int tokens, Encoding encoding, Random random) {
        StringBuilder text = new StringBuilder();
        IntArrayList encoded;
        do {
            // Token counts of space-led words add up, so this estimate is close; the real count decides.
            int estimate = 0;
            while (estimate < tokens + 8) {
                String sentence = sentence(random, text.length() == 0);
                text.append(sentence);
                estimate += encoding.countTokensOrdinary(sentence);
            }
            encoded = encoding.encodeOrdinary(text.toString());
        } while (encoded.size() < tokens);

        IntArrayList head = new IntArrayList(tokens);
        for (int i = 0; i < tokens; i++) {
            head.add(encoded.get(i));
        }
        String cut = encoding.decode(head);
        if (encoding.countTokensOrdinary(cut) == tokens) {
            return cut;
        }
        return repair(cut, tokens, encoding, random);
    }

    /**
     * A cut inside a word can re-encode to a different count (its pieces merge differently on their own):
     * drop back to whole words, then add one-token filler words until the count is exact. Rare with the
     * ASCII words made here, but the guarantee must not rest on that.
     */
    static String repair(String cut, int tokens, Encoding encoding, Random random) {
        String text = cut;
        for (int round = 0; round < 64; round++) {
            int lastSpace = text.lastIndexOf(' ');
            text = lastSpace > 0 ? text.substring(0, lastSpace) : "";
            int count = text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
            while (count < tokens) {
                String next = null;
                int offset = random.nextInt(FILLERS.length);
                for (int i = 0; i < FILLERS.length && next == null; i++) {
                    String filler = FILLERS[(offset + i) % FILLERS.length];
                    String candidate = text.isEmpty() ? filler.substring(1) : text + filler;
                    if (encoding.countTokensOrdinary(candidate) == count + 1) {
                        next = candidate;
                    }
                }
                if (next == null) {
                    break;
                }
                text = next;
                count++;
            }
            if (count == tokens) {
                return text;
            }
        }
        throw new IllegalStateException("could not build a text of exactly " + tokens + " tokens");
    }

    private static String sentence(Random random, boolean first) {
        int words = 6 + random.nextInt(11);
        StringBuilder sentence = new StringBuilder(words * 7);
        for (int i = 0; i < words; i++) {
            String word = random.nextInt(10) < 7 ? COMMON_WORDS[random.nextInt(COMMON_WORDS.length)]
                    : inventedWord(random);
            if (i == 0) {
                word = word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1);
            }
            if (i > 0 || !first) {
                sentence.append(' ');
            }
            sentence.append(word);
            if (i > 1 && i < words - 2 && random.nextInt(12) == 0) {
                sentence.append(',');
            }
        }
        return sentence.append('.').toString();
    }

    private static String inventedWord(Random random) {
        int syllables = 1 + random.nextInt(3);
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < syllables; i++) {
            word.append(ONSETS[random.nextInt(ONSETS.length)]).append(VOWELS[random.nextInt(VOWELS.length)]);
        }
        return word.append(CODAS[random.nextInt(CODAS.length)]).toString();
    }
}
