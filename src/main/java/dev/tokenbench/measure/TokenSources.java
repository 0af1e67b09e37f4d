package dev.tokenbench.measure;

/**
 * Where each token count of a request came from: {@value #PROVIDER} (the provider's usage report) or
 * {@value #ESTIMATED} (counted with the target's tokenizer on the text received, or on the prompt sent). Provider
 * usage wins wherever it exists, and an estimated count never changes a provider count: when the provider reported
 * output but no reasoning count (Anthropic with thinking), the visible count behind {@code visible_tps} is the
 * tokenizer's count of the visible text, not the provider's output less an estimated reasoning count.
 *
 * @param visible the source of the visible-token count {@code visible_tps} is computed from
 */
public record TokenSources(String output, String input, String reasoning, String visible) {
    public static final String PROVIDER = "provider";
    public static final String ESTIMATED = "estimated";

    /** What a record read back from a requests.jsonl written before the sources were kept says: nothing. */
    public static final TokenSources UNKNOWN = new TokenSources(null, null, null, null);

    public static String of(boolean fromProvider) {
        return fromProvider ? PROVIDER : ESTIMATED;
    }

    /**
     * Where a target's counts came from, kind by kind, over its requests: {@value #PROVIDER} when every request's
     * count of that kind was the provider's, {@value #ESTIMATED} when at least one was counted with the tokenizer
     * (the sum then holds estimated tokens), null when no request said (records read back from an older
     * requests.jsonl). One writer (the record writer's thread, or a rebuild), once per finished request.
     */
    public static final class Tally {
        private final int[] provider = new int[4];
        private final int[] estimated = new int[4];

        public void add(TokenSources sources) {
            count(0, sources.output());
            count(1, sources.input());
            count(2, sources.reasoning());
            count(3, sources.visible());
        }

        /** Another tally's requests too (aggregates merged). */
        public void add(Tally other) {
            for (int kind = 0; kind < provider.length; kind++) {
                provider[kind] += other.provider[kind];
                estimated[kind] += other.estimated[kind];
            }
        }

        public TokenSources result() {
            return new TokenSources(of(0), of(1), of(2), of(3));
        }

        private void count(int kind, String source) {
            if (PROVIDER.equals(source)) {
                provider[kind]++;
            } else if (ESTIMATED.equals(source)) {
                estimated[kind]++;
            }
        }

        private String of(int kind) {
            return estimated[kind] > 0 ? ESTIMATED : provider[kind] > 0 ? PROVIDER : null;
        }
    }
}
