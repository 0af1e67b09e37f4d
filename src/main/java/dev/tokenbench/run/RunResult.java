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

    /** The same run, as a shard of a sharded run or merged from shards. */
    public RunResult withSharding(Sharding facts) {
        return toBuilder().sharding(facts).build();
    }

    /** A builder holding this run's fields, for a copy that changes some. */
    public Builder toBuilder() {
        return builder().runId(runId).plan(plan).runDir(runDir).startedAt(startedAt).endedAt(endedAt).status(status)
                .wallSeconds(wallSeconds).clientCpuSeconds(clientCpuSeconds).targets(targets).steps(steps)
                .client(client).sharding(sharding);
    }

    public static final String DONE = "done";
    public static final String FAILED = "failed";
    public static final String INTERRUPTED = "interrupted";

    /** RunResult's fields by name, instead of one long positional call. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link RunResult} field by field. Unset fields: steps List.of(); the rest (sharding too) null, 0 or false. */
    public static final class Builder {
        private String runId;
        private RunPlan plan;
        private Path runDir;
        private Instant startedAt;
        private Instant endedAt;
        private String status;
        private double wallSeconds;
        private double clientCpuSeconds;
        private List<TargetSummary> targets;
        private List<TargetSteps> steps = List.of();
        private ClientHealth client;
        private Sharding sharding;

        private Builder() {
        }

        public Builder runId(String runId) {
            this.runId = runId;
            return this;
        }

        public Builder plan(RunPlan plan) {
            this.plan = plan;
            return this;
        }

        public Builder runDir(Path runDir) {
            this.runDir = runDir;
            return this;
        }

        public Builder startedAt(Instant startedAt) {
            this.startedAt = startedAt;
            return this;
        }

        public Builder endedAt(Instant endedAt) {
            this.endedAt = endedAt;
            return this;
        }

        public Builder status(String status) {
            this.status = status;
            return this;
        }

        public Builder wallSeconds(double wallSeconds) {
            this.wallSeconds = wallSeconds;
            return this;
        }

        public Builder clientCpuSeconds(double clientCpuSeconds) {
            this.clientCpuSeconds = clientCpuSeconds;
            return this;
        }

        public Builder targets(List<TargetSummary> targets) {
            this.targets = targets;
            return this;
        }

        public Builder steps(List<TargetSteps> steps) {
            this.steps = steps;
            return this;
        }

        public Builder client(ClientHealth client) {
            this.client = client;
            return this;
        }

        public Builder sharding(Sharding sharding) {
            this.sharding = sharding;
            return this;
        }

        /** The one place the canonical constructor is called. */
        public RunResult build() {
            return new RunResult(runId, plan, runDir, startedAt, endedAt, status, wallSeconds, clientCpuSeconds,
                    targets, steps, client, sharding);
        }
    }
}
