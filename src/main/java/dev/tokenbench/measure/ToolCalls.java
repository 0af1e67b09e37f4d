package dev.tokenbench.measure;

/**
 * The tool calls of one request, kept apart from its other figures. Tool-call output is output: its tokens are in
 * the request's output tokens and its first byte can be the first token; this keeps it visible on its own.
 *
 * @param calls                  tool calls the stream started (several for parallel calls); 0: none
 * @param firstToolCallNanos     raw {@link System#nanoTime()} of the first event that carried part of a tool call; 0
 *                               when none came
 * @param timeToFirstToolCallMs  from the send to that event; NaN when none came
 * @param tokens                 the argument text counted with the target's tokenizer (no provider reports it apart)
 */
public record ToolCalls(int calls, long firstToolCallNanos, double timeToFirstToolCallMs, long tokens) {
    public static final ToolCalls NONE = new ToolCalls(0, 0, Double.NaN, 0);

    public boolean any() {
        return calls > 0 || firstToolCallNanos != 0;
    }
}
