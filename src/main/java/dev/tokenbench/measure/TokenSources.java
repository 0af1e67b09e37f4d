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
}
