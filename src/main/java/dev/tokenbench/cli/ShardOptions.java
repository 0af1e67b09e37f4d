package dev.tokenbench.cli;

import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.ShardSpec;
import dev.tokenbench.config.StartInstant;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.function.Function;

/** {@code run}'s options for a sharded run: which shard, when to start, which group. */
public class ShardOptions {
    @Option(names = "--shard", paramLabel = "I/N", description = {"Run shard I of N (I 0-based: 0/3, 1/3, 2/3) of the "
            + "file's load: counts split as floor(n/N), plus one for the first n mod N shards; an open loop's shard "
            + "keeps arrivals I, I+N, I+2N, … of the one schedule. The run id ends in -sIofN.",
            "Default: $" + ShardSpec.INDEX_ENV + " (a Kubernetes Indexed Job) with $" + ShardSpec.COUNT_ENV
                    + ", else the whole run. `merge` puts the shards' directories together."})
    String shard;

    @Option(names = "--start-at", paramLabel = "TIME", description = "Start the first measured request at this "
            + "instant (RFC 3339, e.g. 2026-12-06T18:00:00Z, or epoch milliseconds), after the self-warm and the "
            + "warm-up, so that shards on several machines start together; a late start is counted as late starts.")
    String startAt;

    @Option(names = "--shard-group", paramLabel = "ID", description = "What the shards of one run share, so that "
            + "the central service stores them as one run (default: $" + ShardSpec.GROUP_ENV + ", else the "
            + "benchmark's name and the --start-at instant).")
    String group;

    /** The shard and start instant of this run. */
    public record Resolved(ShardSpec shard, Instant startAt) {
    }

    /**
     * @throws IllegalArgumentException naming the option or variable and the fix (exit 2)
     */
    Resolved resolve(RunPlan plan, Function<String, String> env, Instant now) {
        ShardSpec spec = ShardSpec.parse(shard, env);
        Instant instant = startAt == null ? null : StartInstant.parse(startAt, now);
        LoadSpec.Steps steps = plan.load().steps();
        if (spec.sharded() && steps != null && steps.isSearch()) {
            throw new IllegalArgumentException("--shard: a search chooses each step from the last step's goodput, "
                    + "which no shard knows alone; shard a sweep over the levels instead (load: {mode: sweep, …})");
        }
        String id = group != null ? group.strip() : env.apply(ShardSpec.GROUP_ENV);
        if (id == null && spec.sharded() && instant != null) {
            id = plan.name() + "-" + instant.toEpochMilli();
        }
        if (id != null && !id.matches("[A-Za-z0-9._-]{1,128}")) {
            throw new IllegalArgumentException((group != null ? "--shard-group" : ShardSpec.GROUP_ENV) + " must be 1 "
                    + "to 128 letters, digits, '.', '_' or '-', found '" + id + "'");
        }
        return new Resolved(spec.withGroup(id), instant);
    }
}
