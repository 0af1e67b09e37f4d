package dev.tokenbench.config;

import java.util.function.Function;

/**
 * Shard {@code index} of {@code count}: one process's share of a run that several processes (a Kubernetes Indexed
 * Job's pods) drive together. The index is 0-based, as {@code JOB_COMPLETION_INDEX} is.
 *
 * <p>The split rule, the same for every count the load names (requests, concurrency, a sweep step's concurrency):
 * shard {@code i} of {@code N} gets {@code floor(total / N) + (i < total mod N ? 1 : 0)}, so the shares differ by at
 * most one and add up to the total. It is exactly the number of global indices {@code j < total} with
 * {@code j mod N == i}: shard {@code i} sends the requests {@code i, i + N, i + 2N, …} of the unsharded run, and an
 * open loop's shard takes those arrivals of the one precomputed schedule ({@link #globalIndex}).
 *
 * @param group what the shards of one run share, so that {@code merge} and the central service put them together;
 *              null when none was given or derived
 */
public record ShardSpec(int index, int count, String group) {
    /** The whole run in one process. */
    public static final ShardSpec WHOLE = new ShardSpec(0, 1, null);
    /** Set by a Kubernetes Indexed Job in each pod: the pod's 0-based index. */
    public static final String INDEX_ENV = "JOB_COMPLETION_INDEX";
    /** The number of shards, for an Indexed Job's pods (the Job's completions). */
    public static final String COUNT_ENV = "TOKENBENCH_SHARDS";
    /** The group id the shards share (default: derived from the benchmark's name and --start-at). */
    public static final String GROUP_ENV = "TOKENBENCH_SHARD_GROUP";
    /** The most shards a run may have: each shard is a process, usually a pod. */
    public static final int MAX_COUNT = 10_000;

    public ShardSpec {
        if (count < 1 || count > MAX_COUNT || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + " is out of range: the index is "
                    + "0-based and below the count (0/3, 1/3, 2/3), the count 1 to " + MAX_COUNT);
        }
    }

    public boolean sharded() {
        return count > 1;
    }

    /** This shard's share of {@code total}: floor(total / count), one more for the first total mod count shards. */
    public int share(int total) {
        if (total == LoadSpec.UNBOUNDED) {
            return total; // a duration ends the phase in every shard
        }
        return total / count + (index < total % count ? 1 : 0);
    }

    /** The index in the unsharded run of this shard's {@code local}-th request (or arrival): index + local × count. */
    public long globalIndex(long local) {
        return index + local * count;
    }

    /** The suffix the shard's run id gets, e.g. {@code -s1of3}; empty for a whole run. */
    public String runIdSuffix() {
        return sharded() ? "-s" + index + "of" + count : "";
    }

    public ShardSpec withGroup(String otherGroup) {
        return new ShardSpec(index, count, otherGroup);
    }

    /**
     * {@code --shard I/N} as the user wrote it, or when absent the Indexed Job's environment: the index from
     * {@value #INDEX_ENV}, the count from {@value #COUNT_ENV} (both or neither); {@link #WHOLE} when none is set.
     *
     * @throws IllegalArgumentException with a message that names the option or variable and the fix
     */
    public static ShardSpec parse(String option, Function<String, String> env) {
        if (option != null) {
            return parseText(option.strip(), "--shard");
        }
        String index = env.apply(INDEX_ENV);
        String count = env.apply(COUNT_ENV);
        if (index == null && count == null) {
            return WHOLE;
        }
        if (count == null) {
            // A Job that is not sharded (an index but no count) runs whole in every pod; say so rather than guess.
            throw new IllegalArgumentException(INDEX_ENV + " is set (" + index + ") but " + COUNT_ENV + " is not: set "
                    + COUNT_ENV + " to the Job's completions, or pass --shard I/N");
        }
        if (index == null) {
            throw new IllegalArgumentException(COUNT_ENV + " is set (" + count + ") but " + INDEX_ENV + " is not: run "
                    + "in an Indexed Job (completionMode: Indexed), or pass --shard I/N");
        }
        return parseText(index.strip() + "/" + count.strip(), INDEX_ENV + "/" + COUNT_ENV);
    }

    private static ShardSpec parseText(String text, String source) {
        int slash = text.indexOf('/');
        String usage = source + " must be I/N with a 0-based index I below the count N, e.g. 0/3, 1/3 or 2/3; found '"
                + text + "'";
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException(usage);
        }
        int index;
        int count;
        try {
            index = Integer.parseInt(text.substring(0, slash).strip());
            count = Integer.parseInt(text.substring(slash + 1).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(usage);
        }
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException(source + ": the count must be 1 to " + MAX_COUNT + ", found '" + text
                    + "'");
        }
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException(source + ": the index is 0-based and must be below the count ("
                    + (count - 1) + " is the last of " + count + "), found '" + text + "'");
        }
        return new ShardSpec(index, count, null);
    }
}
