package dev.tokenbench.report;

import dev.tokenbench.measure.Dialects;
import dev.tokenbench.measure.StreamShape;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.run.RunResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What both reports say of each target's stream shape and of its figures in other tools' dialects. */
final class ShapeFacts {
    /** The column titles of the dialect table. */
    static final List<String> DIALECT_TITLES = List.of("target", "tool", "TTFT (ms)", "ITL (ms)", "TPOT (ms)");
    static final String DIALECT_NOTE = "The same requests under each tool's definitions (docs/metrics.md, \"Metric "
            + "dialects\"): vLLM's ITL pools every gap between events and its TPOT excludes the first token; "
            + "GuideLLM's ITL excludes the first token and its TPOT includes it; AIPerf's TTFT counts reasoning "
            + "output; LLMPerf's \"ITL\" is e2e / output tokens. Means over ok requests; - where a tool has no such "
            + "figure.";

    private ShapeFacts() {
    }

    /** "name: verdict sentence", one per target, in run order. */
    static List<Map.Entry<String, String>> sentences(RunResult run) {
        List<Map.Entry<String, String>> list = new ArrayList<>();
        for (TargetSummary s : run.targets()) {
            list.add(Map.entry(s.target(), StreamShape.of(s).sentence()));
        }
        return list;
    }

    /**
     * "12 of 20 answered with a tool call (340 tool-call tokens, first tool-call byte p50 210 ms, p99 380 ms)"; the
     * report.html card and report.md say it alike.
     */
    static String toolCalls(TargetSummary s) {
        return s.toolCalls().requests() + " of " + s.ok() + " answered with a tool call (" + s.toolCalls().tokens()
                + " tool-call tokens, first tool-call byte p50 " + Formats.ms(s.toolCalls().timeToFirstToolCallP50Ms())
                + " ms, p99 " + Formats.ms(s.toolCalls().timeToFirstToolCallP99Ms()) + " ms)";
    }

    /** "name: tool-call sentence" for each target whose answers held tool calls; empty when none did. */
    static List<Map.Entry<String, String>> toolCallLines(RunResult run) {
        List<Map.Entry<String, String>> list = new ArrayList<>();
        for (TargetSummary s : run.targets()) {
            if (s.toolCalls().requests() > 0) {
                list.add(Map.entry(s.target(), toolCalls(s)));
            }
        }
        return list;
    }

    /** One row per target and tool: target, tool, TTFT, ITL, TPOT. */
    static List<List<String>> dialectRows(RunResult run) {
        List<List<String>> rows = new ArrayList<>();
        for (TargetSummary s : run.targets()) {
            Dialects d = Dialects.of(s);
            rows.add(row(s.target(), "vLLM bench serve", d.vllm()));
            rows.add(row(s.target(), "GuideLLM", d.guidellm()));
            rows.add(row(s.target(), "AIPerf", d.aiperf()));
            rows.add(row(s.target(), "LLMPerf", d.llmperf()));
        }
        return rows;
    }

    private static List<String> row(String target, String tool, Dialects.Dialect d) {
        return List.of(target, tool, Formats.ms(d.ttftMs()), Formats.ms(d.itlMs()), Formats.ms(d.tpotMs()));
    }
}
