package dev.tokenbench.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The bounds of a benchmark file: what one tokenbench process on one machine can run without running out of
 * memory, file-name length or patience. A file past one fails {@code validate} and {@code run} (exit 2) naming the
 * field, the value, the bound and why; docs/benchmark-file.md has the same table. Each bound sits
 * well above what the bundled seeds, tests and bench scripts use (1,000 streams, 3,000 requests).
 */
public final class Limits {
    /**
     * Streams open at once in one process (each holds a connection, its buffers and its in-flight state): a target's
     * concurrency (or a sweep's level, or an open loop's in-flight cap), and all targets' together.
     */
    public static final int MAX_OPEN_STREAMS = 20_000;
    /** Targets in one run: each has its own connection pool, recorders and prepared requests. */
    public static final int MAX_TARGETS = 100;
    /**
     * Measured requests in one run, every target and step together: each keeps about 250 bytes of per-request
     * values (for percentiles, the significance test and the timeline) until the run ends.
     */
    public static final long MAX_MEASURED_REQUESTS = 2_000_000;
    /** Starts an open-loop phase plans (rate × duration) per target: the arrival schedule is computed up front. */
    public static final long MAX_PLANNED_STARTS = 1_000_000;
    /** Warm-up requests per target. */
    public static final int MAX_WARMUP = 100_000;
    /** Retries of one request (each one a new attempt against the same endpoint). */
    public static final int MAX_RETRIES = 10;
    /** Steps of a sweep (its levels) or a search (max-steps). */
    public static final int MAX_STEPS = 100;
    /** Prompts in a prompt set: each is prepared as a request body per target before the run starts. */
    public static final int MAX_PROMPTS = 100_000;
    /**
     * A run name's length in UTF-8 bytes: it names the run directory between a timestamp and a random suffix (25
     * characters together, RunIds), and a file name holds at most 255 bytes; this leaves room for both and for
     * tools that add an extension.
     */
    public static final int MAX_RUN_NAME_BYTES = 200;
    /** A target's name: it is part of every request id, metric label and report row. */
    public static final int MAX_TARGET_NAME_CHARACTERS = 100;
    /** A label's value: it becomes a Prometheus label value on every series of the target. */
    public static final int MAX_LABEL_VALUE_CHARACTERS = 256;

    private Limits() {
    }

    static void runName(String name, Problems problems) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_RUN_NAME_BYTES) {
            problems.add("name", "is " + bytes + " bytes long; at most " + MAX_RUN_NAME_BYTES + " bytes (UTF-8), since "
                    + "it names the run directory with a timestamp before it and a suffix after it, and a file name "
                    + "holds 255 bytes; shorten it");
        }
    }

    static void targetCount(int targets, Problems problems) {
        if (targets > MAX_TARGETS) {
            problems.add("targets", "has " + targets + " targets; at most " + MAX_TARGETS + " in one run (each holds "
                    + "its own connection pool, recorders and prepared requests); split them over several benchmark "
                    + "files or probes");
        }
    }

    static void target(TargetSpec target, String path, Problems problems) {
        if (target.name().length() > MAX_TARGET_NAME_CHARACTERS) {
            problems.add(path + ".name", "is " + target.name().length() + " characters long; at most "
                    + MAX_TARGET_NAME_CHARACTERS + " (it is part of every request id, metric label and report row); "
                    + "shorten it");
        }
        target.labels().forEach((key, value) -> {
            if (value.length() > MAX_LABEL_VALUE_CHARACTERS) {
                problems.add(path + ".labels." + key, "is " + value.length() + " characters long; at most "
                        + MAX_LABEL_VALUE_CHARACTERS + " (it becomes a Prometheus label value on every series of the "
                        + "target); shorten it");
            }
        });
    }

    static void promptCount(PromptSet prompts, Problems problems) {
        if (prompts != null && prompts.prompts().size() > MAX_PROMPTS) {
            problems.add("prompts", "has " + prompts.prompts().size() + " prompts; at most " + MAX_PROMPTS
                    + " (each is prepared as a request per target before the run starts); use a sample of them");
        }
    }

    /**
     * The load block's bounds, given the number of targets written.
     *
     * @param concurrencyWritten whether the file set load.concurrency (an open loop's default cap is 1,000)
     */
    static void load(LoadSpec load, int targets, boolean concurrencyWritten, Problems problems) {
        boolean concurrencyStepped = load.steps() != null
                && LoadSpec.Steps.CONCURRENCY.equals(load.steps().dimension());
        int streams = concurrencyStepped ? (int) load.steps().highest() : load.concurrency();
        String concurrencyField = "load.concurrency";
        if (streams > MAX_OPEN_STREAMS) {
            problems.add(concurrencyField, "is " + streams + "; at most " + MAX_OPEN_STREAMS + " streams at once on "
                    + "one process (each open stream holds a connection and buffers); split the load over shards "
                    + "(probes) or lower it");
        } else if ((long) streams * targets > MAX_OPEN_STREAMS) {
            problems.add(concurrencyField, (concurrencyWritten || concurrencyStepped ? "is " + streams
                    : "is not set, so an open loop caps in-flight requests at " + streams) + " per target, "
                    + (long) streams * targets + " streams for " + targets + " targets; at most " + MAX_OPEN_STREAMS
                    + " streams at once on one process (each open stream holds a connection and buffers); lower it, "
                    + "or split the targets over several benchmark files or probes");
        }
        if (load.warmup() > MAX_WARMUP) {
            problems.add("load.warmup", "is " + load.warmup() + "; at most " + MAX_WARMUP + " warm-up requests per "
                    + "target; a warm-up only has to warm the connections and the endpoint: lower it");
        }
        if (load.retries().max() > MAX_RETRIES) {
            problems.add("load.retries.max", "is " + load.retries().max() + "; at most " + MAX_RETRIES + " retries of "
                    + "one request (each retry is another attempt at an endpoint that is failing); lower it");
        }
        int steps = load.steps() == null ? 1 : load.steps().isSearch() ? load.steps().maxSteps()
                : load.steps().levels().size();
        if (steps > MAX_STEPS) {
            String field = load.steps().isSearch() ? "load.max-steps" : "load." + load.steps().dimension();
            problems.add(field, "has " + steps + " steps; at most " + MAX_STEPS + " steps in one run; use fewer levels");
        }

        long perPhase = requestsPerPhase(load, problems);
        if (perPhase > 0 && steps <= MAX_STEPS) {
            long total = perPhase * steps * Math.max(1, targets);
            if (total > MAX_MEASURED_REQUESTS) {
                problems.add(load.requests() != LoadSpec.UNBOUNDED ? "load.requests" : "load.duration",
                        "plans " + total + " measured requests (" + perPhase + " per target and step, " + steps
                                + (steps == 1 ? " step, " : " steps, ") + targets + (targets == 1 ? " target)" : " targets)")
                                + "; at most " + MAX_MEASURED_REQUESTS + " in one run (each keeps about 250 bytes "
                                + "until the run ends, for percentiles, significance and the timeline); lower it, or "
                                + "split the run");
            }
        }
    }

    /**
     * Measured requests one phase of one target plans: requests, or rate × duration in an open loop; 0 when the
     * phase is bounded by its duration only (a closed loop runs as many as the endpoint answers).
     */
    private static long requestsPerPhase(LoadSpec load, Problems problems) {
        if (load.requests() != LoadSpec.UNBOUNDED) {
            return load.requests();
        }
        if (load.open() == null || load.duration() == null) {
            return 0;
        }
        double rate = load.steps() != null && LoadSpec.Steps.RATE.equals(load.steps().dimension())
                ? load.steps().highest() : load.open().ratePerSecond();
        double planned = Math.ceil(rate * seconds(load.duration()));
        if (planned > MAX_PLANNED_STARTS) {
            problems.add("load.duration", "plans " + Fields.plain(planned) + " request starts per target (rate "
                    + Fields.plain(rate) + "/s × " + Durations.format(load.duration()) + "); at most "
                    + MAX_PLANNED_STARTS + " per target and phase (the arrival schedule is computed up front); "
                    + "shorten the duration or lower the rate");
            return 0;
        }
        return (long) planned;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
