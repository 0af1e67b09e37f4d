package dev.tokenbench.sim;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.util.List;

/**
 * The words the simulator streams. Each is exactly one o200k_base token and starts with a space, so the BPE
 * pre-tokenizer splits any concatenation of them back at the spaces: a tokenizer estimate of the received text
 * equals the number of tokens sent (SimVocabularyTest checks both). A few are multi-byte UTF-8 (2, 3 and 4 bytes)
 * so that clients meet characters split across reads.
 */
public final class SimVocabulary {

    public static final List<String> TOKENS = List.of(
            " the", " of", " and", " to", " in", " is", " that", " for", " it", " as",
            " with", " was", " on", " be", " by", " this", " are", " at", " from", " or",
            " an", " have", " not", " but", " which", " they", " one", " all", " can", " will",
            " more", " has", " their", " also", " its", " about", " when", " there", " been", " other",
            " new", " what", " into", " only", " time", " may", " some", " than", " over", " such",
            " most", " these", " would", " first", " like", " after", " so", " could", " people", " use",
            " way", " two", " just", " make", " well", " any", " each", " how", " up", " out",
            " then", " many", " because", " through", " used", " model", " answer", " data", " system", " token",
            " stream", " value", " result", " last", " fast", " slow", " test", " text", " word", " code",
            " question", " light", " water", " world", " number", " part", " place", " case", " point", " group",
            " problem", " fact", " state", " cloud", " region", " server", " client", " request", " response",
            " latency", " benchmark", " measure", " simple", " small", " large", " great", " good", " better",
            " best", " every", " both", " few", " same", " different", " important", " possible", " early",
            " late", " long", " short", " high", " low", " next", " open", " start", " end", " final",
            // multi-byte UTF-8, each still one o200k_base token
            " café", " über", " größer", " très", " déjà", " €", " 世界", " 日本", " 数据", " 时间", " мир", " 🙂");

    /** Each token as JSON string content (escaped, without quotes), UTF-8: built once, copied into every chunk. */
    public static final byte[][] JSON_UTF8 = encodeAll();

    public static final int SIZE = TOKENS.size();

    private SimVocabulary() {
    }

    private static byte[][] encodeAll() {
        byte[][] encoded = new byte[TOKENS.size()][];
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = JsonStringEncoder.getInstance().quoteAsUTF8(TOKENS.get(i));
        }
        return encoded;
    }
}
