package dev.tokenbench.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.core.Json;
import dev.tokenbench.run.RunJson;
import dev.tokenbench.run.RunJsonReader;
import dev.tokenbench.run.RunRebuild;
import dev.tokenbench.run.ShardMerge;
import dev.tokenbench.run.Sharding;
import dev.tokenbench.store.StoredRun;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Shards published with one shard group id are one run: each is held here until the last of its group arrives,
 * then the group is merged ({@link ShardMerge}, as {@code merge DIR…} does) and stored once, so that a distributed
 * run appears once in history, on the {@code /} page and in {@code compare}. Held in memory: a restart of the service
 * loses the shards that arrived (republish them with {@code publish DIR}); a group incomplete after {@link #KEEP} is
 * dropped. Thread-safe.
 */
public final class ShardGroups {
    /** How long the shards of an incomplete group are held. */
    public static final Duration KEEP = Duration.ofHours(6);
    /** The most groups held at once: a bound on what posts can make the service keep. */
    public static final int MAX_GROUPS = 64;

    /** What became of a published run. */
    public record Outcome(Optional<StoredRun> toStore, String status, int arrived, int count) {
    }

    private record Pending(Instant firstSeen, int count, Map<Integer, StoredRun> shards) {
    }

    private final Map<String, Pending> pending = new HashMap<>();

    /**
     * @param warnings told about what the merge found odd (a tokenbench version that differs)
     * @return the run to store now: the run itself when it is no shard of a group, the merged run when it completes
     *         its group; none while shards of its group are missing
     * @throws IllegalArgumentException when it does not fit the shards already held (another plan, a shard count
     *                                  that differs): the message says why
     */
    public synchronized Outcome offer(StoredRun run, Consumer<String> warnings) throws IOException {
        JsonNode runJson = Json.MAPPER.readTree(run.runJson());
        Sharding sharding = RunJsonReader.of(runJson, "run " + run.id() + "'s run.json").sharding();
        if (sharding == null || sharding.group() == null || sharding.count() < 2 || sharding.shards().size() != 1) {
            return new Outcome(Optional.of(run), run.status(), 1, 1);
        }
        Instant now = Instant.now();
        pending.values().removeIf(p -> p.firstSeen().plus(KEEP).isBefore(now));
        Pending group = pending.get(sharding.group());
        if (group == null) {
            if (pending.size() >= MAX_GROUPS) {
                throw new IllegalArgumentException("already " + MAX_GROUPS + " shard groups wait for their other "
                        + "shards; publish them, or wait until groups older than " + KEEP.toHours() + " h expire");
            }
            group = new Pending(now, sharding.count(), new TreeMap<>());
            pending.put(sharding.group(), group);
        }
        if (group.count() != sharding.count()) {
            throw new IllegalArgumentException("run " + run.id() + " is a shard of " + sharding.count() + " but group "
                    + sharding.group() + " has " + group.count());
        }
        group.shards().put(sharding.shards().get(0).index(), run); // a shard published again replaces itself
        if (group.shards().size() < group.count()) {
            return new Outcome(Optional.empty(), "waiting for shards", group.shards().size(), group.count());
        }
        StoredRun merged;
        try {
            merged = merge(new ArrayList<>(group.shards().values()), warnings);
        } catch (IllegalArgumentException e) {
            // The shard that does not fit goes; the group waits for the right one.
            group.shards().remove(sharding.shards().get(0).index());
            throw e;
        }
        pending.remove(sharding.group());
        return new Outcome(Optional.of(merged), merged.status(), group.count(), group.count());
    }

    private static StoredRun merge(List<StoredRun> shards, Consumer<String> warnings) throws IOException {
        List<ShardMerge.Part> parts = new ArrayList<>();
        for (StoredRun s : shards) {
            JsonNode runJson = Json.MAPPER.readTree(s.runJson());
            parts.add(new ShardMerge.Part("run " + s.id(), runJson, runJson));
        }
        ShardMerge.Merged merged = ShardMerge.merge(parts, warnings);
        List<String> records = new ArrayList<>();
        for (int i = 0; i < merged.parts().size(); i++) {
            String name = merged.parts().get(i).name();
            StoredRun shard = shards.stream().filter(s -> name.equals("run " + s.id())).findFirst().orElseThrow();
            for (String line : shard.records()) {
                String record = merged.record(i, line);
                if (record != null) {
                    records.add(record);
                }
            }
        }
        Iterator<String> lines = records.iterator();
        RunRebuild.Rebuilt rebuilt = RunRebuild.rebuild(null, merged.plan(), merged.run(), lines,
                "the shards' records", warnings);
        StoredRun first = shards.get(0);
        return StoredRun.fromRunJson(RunJson.toJson(rebuilt.result(), rebuilt.version()), records,
                first.probe() + "-" + merged.runId(), first.probe(), first.region());
    }
}
