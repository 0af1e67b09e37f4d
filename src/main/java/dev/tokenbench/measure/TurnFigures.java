package dev.tokenbench.measure;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A target's figures by conversation turn: TTFT (HdrHistogram, microseconds, 3 significant digits, as every latency
 * here) and the input and cached input tokens, over its ok measured turns. What shows prefix caching working: the
 * cached share rising by turn, TTFT staying flat while the prompt grows. Single writer, as {@link TargetAggregate}.
 */
public final class TurnFigures {
    private final Map<Integer, Accumulator> byTurn = new TreeMap<>();

    /** One turn's row. */
    public record Turn(int turn, int requests, double ttftP50Ms, double ttftP90Ms, double meanInputTokens,
            double meanCachedInputTokens) {
    }

    private static final class Accumulator {
        final Histogram ttftMicros = new Histogram(3);
        int requests;
        long inputTokens;
        long cachedInputTokens;

        void add(Accumulator other) {
            ttftMicros.add(other.ttftMicros);
            requests += other.requests;
            inputTokens += other.inputTokens;
            cachedInputTokens += other.cachedInputTokens;
        }
    }

    /** An ok, measured, counted record of a conversation's turn; anything else is left out. */
    void add(RequestRecord r) {
        if (r.conversation() == null || r.warmup() || r.retried() || !r.ok() || r.leftOutForLag()
                || Double.isNaN(r.ttftMs())) {
            return;
        }
        Accumulator a = byTurn.computeIfAbsent(r.conversation().turn(), t -> new Accumulator());
        a.ttftMicros.recordValue(Math.max(0, Math.round(r.ttftMs() * 1000)));
        a.requests++;
        a.inputTokens += r.inputTokens();
        a.cachedInputTokens += r.cachedInputTokens();
    }

    void add(TurnFigures later) {
        later.byTurn.forEach((turn, a) -> byTurn.computeIfAbsent(turn, t -> new Accumulator()).add(a));
    }

    /** Rows by turn, first turn first; empty when the target ran no conversation. */
    List<Turn> summarize() {
        List<Turn> rows = new ArrayList<>(byTurn.size());
        byTurn.forEach((turn, a) -> rows.add(new Turn(turn, a.requests,
                a.ttftMicros.getValueAtPercentile(50) / 1000.0, a.ttftMicros.getValueAtPercentile(90) / 1000.0,
                (double) a.inputTokens / a.requests, (double) a.cachedInputTokens / a.requests)));
        return List.copyOf(rows);
    }
}
