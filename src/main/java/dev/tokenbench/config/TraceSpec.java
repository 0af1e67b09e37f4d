package dev.tokenbench.config;

/**
 * A trace to replay ({@code load: {mode: trace, trace: FILE}}): row i is request i, due {@code offsetsNanos[i]} after
 * the phase starts, sending prompt i of {@code prompts} with its output cap. Open loop: a row keeps its intended start
 * however late it goes out, as in {@code open} mode.
 *
 * @param source       the trace file as the user named it
 * @param format       {@link #AZURE_CSV} or {@link #JSONL}
 * @param speed        how much faster than recorded it is replayed (2.0: every offset halved)
 * @param offsetsNanos each row's intended start from the phase's start (the first row's time is 0), speed applied;
 *                     non-decreasing
 * @param prompts      one prompt per row, in row order: its text (exactly the row's input tokens when the row gives
 *                     a count) and its output cap as {@link Prompt#expectedOutputTokens()}
 */
public record TraceSpec(String source, String format, double speed, long[] offsetsNanos, PromptSet prompts) {
    /** The Azure public LLM inference trace: {@code TIMESTAMP,ContextTokens,GeneratedTokens}. */
    public static final String AZURE_CSV = "azure-csv";
    /** One JSON object a line: {@code {offset_ms | timestamp, input_tokens | prompt, output_tokens}}. */
    public static final String JSONL = "jsonl";

    public int rows() {
        return offsetsNanos.length;
    }
}
