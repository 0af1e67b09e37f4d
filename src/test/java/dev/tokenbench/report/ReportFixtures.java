package dev.tokenbench.report;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.Pricing;
import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.PromptSet;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.SloSpec;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.TargetAggregate;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.run.RunResult;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs built the way the engine builds them: synthetic request records pushed through
 * {@link TargetAggregate#add} and {@link TargetAggregate#summarize}, so the reports are tested on real summaries.
 */
public final class ReportFixtures {
    public static final String BASELINE = "openai";
    public static final String SLOW = "azure-eastus2";
    /** Markup, a table separator and an ampersand: everything a report must escape. */
    public static final String HOSTILE = "<script>alert(1)</script> | x & y";
    public static final int MEASURED = 20;

    private ReportFixtures() {
    }

    /**
     * A fast baseline, a slow and flaky target (one 429, one timeout), and a third target named {@code thirdName}
     * whose measured requests all failed (so every figure of it is NaN) or, with {@code thirdFails} false, all
     * succeeded.
     */
    public static RunResult run(String thirdName, boolean thirdFails) {
        List<TargetSpec> specs = List.of(
                spec(BASELINE, Map.of("cloud", "openai", "region", "us-east")),
                spec(SLOW, Map.of("cloud", "azure", "region", "eastus2")),
                spec(thirdName, Map.of("note", "<b>bold</b>")));

        TargetAggregate fast = new TargetAggregate(BASELINE, SloSpec.DEFAULT);
        TargetAggregate slow = new TargetAggregate(SLOW, SloSpec.DEFAULT);
        TargetAggregate third = new TargetAggregate(thirdName, SloSpec.DEFAULT);
        for (RequestRecord r : records(thirdName, thirdFails)) {
            (r.target().equals(BASELINE) ? fast : r.target().equals(SLOW) ? slow : third).add(r);
        }
        List<TargetSummary> summaries = List.of(fast.summarize(), slow.summarize(), third.summarize());

        RunPlan plan = RunPlan.builder()
                .name("azure-vs-openai")
                .sourceFile("bench/azure-vs-openai.yaml")
                .targets(specs)
                .prompts(new PromptSet("azure-bench", "seeds/azure-bench.yaml",
                        List.of(new Prompt("p1", null, "Write a story.", 200))))
                .load(new LoadSpec(LoadSpec.CLOSED, 4, MEASURED, 1, Duration.ofSeconds(60), Duration.ofSeconds(15)))
                .maxOutputTokens(500)
                .slo(SloSpec.DEFAULT)
                .baseline(BASELINE)
                .simulator(null)
                .redactedConfig(JsonNodeFactory.instance.objectNode())
                .build();
        Instant start = Instant.parse("2025-05-01T10:00:00Z");
        return RunResult.builder()
                .runId("20250501-100000-azure-vs-openai")
                .plan(plan)
                .runDir(Path.of("runs/x"))
                .startedAt(start)
                .endedAt(start.plusSeconds(42))
                .status(RunResult.DONE)
                .wallSeconds(42.0)
                .clientCpuSeconds(3.5)
                .targets(summaries)
                .build();
    }

    /** Every request of {@link #run}, warm-ups first, in the order the aggregates receive them. */
    public static List<RequestRecord> records(String thirdName, boolean thirdFails) {
        List<RequestRecord> records = new ArrayList<>();
        for (String target : List.of(BASELINE, SLOW, thirdName)) {
            records.add(ok(target, -1, true, 400, 80, 200));
        }
        for (int i = 0; i < MEASURED; i++) {
            records.add(ok(BASELINE, i, false, 300 + 10 * i, 70 + i, 200));
            if (i == 3) {
                records.add(failed(SLOW, i, Outcome.HTTP_429, 429, "Rate limit exceeded"));
            } else if (i == 7) {
                records.add(failed(SLOW, i, Outcome.TIMEOUT, 0, "no response within 60s"));
            } else {
                records.add(ok(SLOW, i, false, 800 + 150 * i, 2 + 1.5 * i, 200));
            }
            records.add(thirdFails
                    ? failed(thirdName, i, Outcome.HTTP_5XX, 503, "upstream <error> & \"overloaded\"")
                    : ok(thirdName, i, false, 5_000 + 2_000 * i, 40, 200));
        }
        return records;
    }

    /** A run at {@code dir}, started at {@code start}: as {@link #run}, relocated. */
    public static RunResult at(RunResult run, Path dir, Instant start) {
        return RunResult.builder()
                .runId(run.runId() + "-" + dir.getFileName())
                .plan(run.plan())
                .runDir(dir)
                .startedAt(start)
                .endedAt(start.plusSeconds(42))
                .status(run.status())
                .wallSeconds(run.wallSeconds())
                .clientCpuSeconds(run.clientCpuSeconds())
                .targets(run.targets())
                .build();
    }

    /** Writes run.json and, with {@code withRequests}, requests.jsonl of {@link #run}'s records into {@code dir}. */
    public static void writeRunDirectory(RunResult run, List<RequestRecord> records, boolean withRequests)
            throws java.io.IOException {
        java.nio.file.Files.createDirectories(run.runDir());
        dev.tokenbench.run.RunJson.write(run.runDir().resolve("run.json"),
                dev.tokenbench.run.RunJson.toJson(run, "test"));
        if (withRequests) {
            try (var g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(
                    java.nio.file.Files.newBufferedWriter(run.runDir().resolve("requests.jsonl")))) {
                g.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
                for (RequestRecord r : records) {
                    dev.tokenbench.run.RequestRecordJson.write(g, r);
                }
                g.writeRaw('\n');
            }
        }
    }

    public static RunResult standard() {
        return run(HOSTILE, true);
    }

    static TargetSpec spec(String name, Map<String, String> labels) {
        return TargetSpec.builder()
                .name(name)
                .api("openai-chat")
                .baseUrl("sim://fast/v1")
                .model("gpt-4.1-mini")
                .deployment(null)
                .apiVersion(null)
                .apiKey(null)
                .pricing(new Pricing(0.40, 1.60))
                .labels(labels)
                .params(Map.of())
                .maxOutputTokens(null)
                .maxTokensField("max_completion_tokens")
                .tokenizer("o200k_base")
                .access(dev.tokenbench.config.ProviderAccess.NONE)
                .build();
    }

    /** A successful request with these figures; the timestamps are made to agree with them. */
    public static RequestRecord ok(String target, int index, boolean warmup, double ttftMs, double streamTps,
            long outputTokens) {
        long sent = 1_000_000_000L + (index + 1) * 100_000_000_000L;
        long firstToken = sent + (long) (ttftMs * 1e6);
        long end = firstToken + (long) (outputTokens / streamTps * 1e9);
        double e2eMs = (end - sent) / 1e6;
        double e2eTps = outputTokens / (e2eMs / 1000);
        double tpotMs = (end - firstToken) / 1e6 / (outputTokens - 1);
        long inputTokens = 50;
        double cost = new Pricing(0.40, 1.60).costUsd(inputTokens, outputTokens);
        return RequestRecord.builder().requestId("req-" + target + "-" + index).target(target).warmup(warmup)
                .promptId("p1").outcome(Outcome.OK).httpStatus(200).intendedStartNanos(sent).sentNanos(sent)
                .headersNanos(sent + (long) (ttftMs * 0.8e6)).firstOutputNanos(firstToken).firstTokenNanos(firstToken)
                .endNanos(end).ttfbMs(ttftMs * 0.8).ttftMs(ttftMs).timeToFirstOutputMs(ttftMs).e2eLatencyMs(e2eMs)
                .streamTokensPerSecond(streamTps).visibleTokensPerSecond(streamTps).e2eTokensPerSecond(e2eTps)
                .tpotMs(tpotMs).maxStallMs(2.5 * tpotMs).contentEvents((int) outputTokens).outputTokens(outputTokens)
                .inputTokens(inputTokens).estimatedOutputTokens(outputTokens).costUsd(cost).connectionReused(index > 0)
                .connectMs(12.0).httpVersion("HTTP/1.1").build();
    }

    public static RequestRecord failed(String target, int index, Outcome outcome, int httpStatus, String error) {
        long sent = 1_000_000_000L + (index + 1) * 100_000_000_000L;
        return RequestRecord.builder().requestId("req-" + target + "-" + index).target(target).promptId("p1")
                .outcome(outcome).httpStatus(httpStatus).intendedStartNanos(sent).sentNanos(sent)
                .endNanos(sent + 500_000_000L).inputTokens(50).estimatedOutputTokens(0).costUsd(0).error(error)
                .connectionReused(Boolean.FALSE).httpVersion("HTTP/1.1").build();
    }

    /** The lines of a report from the one that contains {@code start} up to (not including) the next blank one. */
    static List<String> block(String text, String start) {
        List<String> lines = new ArrayList<>();
        boolean in = false;
        for (String line : text.split("\n", -1)) {
            if (!in && line.contains(start)) {
                in = true;
            }
            if (in) {
                if (line.isBlank()) {
                    break;
                }
                lines.add(line);
            }
        }
        return lines;
    }
}
