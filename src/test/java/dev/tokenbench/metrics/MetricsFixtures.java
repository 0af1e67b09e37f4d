package dev.tokenbench.metrics;

import dev.tokenbench.config.Pricing;
import dev.tokenbench.config.ProviderAccess;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestRecord;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.PromptSet;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.SloSpec;
import dev.tokenbench.measure.TargetAggregate;
import dev.tokenbench.run.RunResult;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Targets and records as the engine makes them, for the meter tests. */
final class MetricsFixtures {
    private MetricsFixtures() {
    }

    static TargetSpec target(String name, String api, String baseUrl, Map<String, String> labels,
            ProviderAccess access) {
        return TargetSpec.builder()
                .name(name)
                .api(api)
                .baseUrl(baseUrl)
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
                .access(access)
                .build();
    }

    /** An ok request: TTFT, stream TPS and output tokens as given; the rest follows from them. */
    static RequestRecord ok(String target, double ttftMs, double streamTps, long outputTokens, long reasoningTokens,
            boolean warmup) {
        long sent = 1_000_000_000L;
        long firstToken = sent + (long) (ttftMs * 1e6);
        long end = firstToken + (long) (outputTokens / streamTps * 1e9);
        double e2eMs = (end - sent) / 1e6;
        double tpotMs = (end - firstToken) / 1e6 / (outputTokens - 1);
        double visibleTps = (outputTokens - reasoningTokens) / ((end - firstToken) / 1e9);
        return RequestRecord.builder().requestId("req").target(target).warmup(warmup).promptId("p1")
                .outcome(Outcome.OK).httpStatus(200).intendedStartNanos(sent).sentNanos(sent).headersNanos(sent)
                .firstOutputNanos(firstToken).firstTokenNanos(firstToken).endNanos(end).ttfbMs(ttftMs).ttftMs(ttftMs)
                .timeToFirstOutputMs(ttftMs).e2eLatencyMs(e2eMs).streamTokensPerSecond(streamTps)
                .visibleTokensPerSecond(visibleTps).e2eTokensPerSecond(outputTokens / (e2eMs / 1000)).tpotMs(tpotMs)
                .maxStallMs(3 * tpotMs).contentEvents((int) outputTokens).outputTokens(outputTokens).inputTokens(50)
                .reasoningTokens(reasoningTokens).estimatedOutputTokens(outputTokens)
                .costUsd(new Pricing(0.40, 1.60).costUsd(50, outputTokens)).connectionReused(Boolean.TRUE)
                .connectMs(1.0).httpVersion("HTTP/1.1").build();
    }

    static RequestRecord failed(String target, Outcome outcome, boolean retried) {
        return RequestRecord.builder().requestId("req").target(target).promptId("p1").outcome(outcome)
                .httpStatus(503).intendedStartNanos(1).sentNanos(1).endNanos(2).inputTokens(50)
                .estimatedOutputTokens(0).costUsd(0).error("boom").connectionReused(Boolean.FALSE)
                .httpVersion("HTTP/1.1").retried(retried).build();
    }

    /** A finished run of {@code spec} made of {@code records}, ending at {@code end}. */
    static RunResult run(TargetSpec spec, Instant end, RequestRecord... records) {
        TargetAggregate aggregate = new TargetAggregate(spec.name(), SloSpec.DEFAULT);
        for (RequestRecord r : records) {
            aggregate.add(r);
        }
        RunPlan plan = RunPlan.builder()
                .name("m")
                .sourceFile("(test)")
                .targets(List.of(spec))
                .prompts(new PromptSet("p", "(test)", List.of(new Prompt("p1", null, "hi", 10))))
                .load(new LoadSpec(LoadSpec.CLOSED, 1, records.length, 0, Duration.ofSeconds(60),
                        Duration.ofSeconds(15)))
                .maxOutputTokens(100)
                .slo(SloSpec.DEFAULT)
                .baseline(spec.name())
                .simulator(null)
                .redactedConfig(JsonNodeFactory.instance.objectNode())
                .build();
        return RunResult.builder()
                .runId("r")
                .plan(plan)
                .runDir(Path.of("runs/r"))
                .startedAt(end.minusSeconds(10))
                .endedAt(end)
                .status(RunResult.DONE)
                .wallSeconds(10)
                .clientCpuSeconds(1)
                .targets(List.of(aggregate.summarize()))
                .build();
    }
}
