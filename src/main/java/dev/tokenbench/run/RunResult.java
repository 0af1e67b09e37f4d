package dev.tokenbench.run;

import dev.tokenbench.config.RunPlan;
import dev.tokenbench.measure.ClientHealth;
import dev.tokenbench.measure.TargetSummary;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A finished (or stopped) run: what run.json and the reports are written from.
 *
 * @param status           done | failed (no measured request of any target succeeded) | interrupted
 * @param clientCpuSeconds CPU time this process used during the run (includes an in-process simulator)
 * @param targets          in plan order
 * @param steps            a sweep's or search's per-target steps, in plan order; empty for a single phase
 * @param client           how healthy the client was while it measured; null for a run saved without it
 * @param sharding         which shard of a sharded run this was, or the shards it was merged from; null otherwise
 */
public record RunResult(String runId, RunPlan plan, Path runDir, Instant startedAt, Instant endedAt,
        String status, double wallSeconds, double clientCpuSeconds, List<TargetSummary> targets,
        List<TargetSteps> steps, ClientHealth client, Sharding sharding) {

    public RunResult(String runId, RunPlan plan, Path runDir, Instant startedAt, Instant endedAt, String status,
            double wallSeconds, double clientCpuSeconds, List<TargetSummary> targets, List<TargetSteps> steps,
            ClientHealth client) {
        this(runId, plan, runDir, startedAt, endedAt, status, wallSeconds, clientCpuSeconds, targets, steps, client,
                null);
    }

    /** The same run, as a shard of a sharded run or merged from shards. */
    public RunResult withSharding(Sharding facts) {
        return new RunResult(runId, plan, runDir, startedAt, endedAt, status, wallSeconds, clientCpuSeconds, targets,
                steps, client, facts);
    }

    public RunResult(String runId, RunPlan plan, Path runDir, Instant startedAt, Instant endedAt, String status,
            double wallSeconds, double clientCpuSeconds, List<TargetSummary> targets, List<TargetSteps> steps) {
        this(runId, plan, runDir, startedAt, endedAt, status, wallSeconds, clientCpuSeconds, targets, steps, null);
    }

    public RunResult(String runId, RunPlan plan, Path runDir, Instant startedAt, Instant endedAt, String status,
            double wallSeconds, double clientCpuSeconds, List<TargetSummary> targets) {
        this(runId, plan, runDir, startedAt, endedAt, status, wallSeconds, clientCpuSeconds, targets, List.of());
    }

    public static final String DONE = "done";
    public static final String FAILED = "failed";
    public static final String INTERRUPTED = "interrupted";
}
