package dev.tokenbench.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Every finished run, kept: metadata, redacted config, per-target summaries with encoded histograms, request
 * records. Two implementations share one schema (Flyway migrations under db/history): {@link SqliteHistoryStore},
 * the embedded default, and {@link PostgresHistoryStore} for teams and for several probes writing to one place.
 * Thread-safe.
 */
public interface HistoryStore extends AutoCloseable {
    /** The figures {@link #history} draws: mean and the worst-10 % cut, and the percentiles. */
    List<String> AGGREGATIONS = List.of("mean", "worst10", "p50", "p90", "p99");

    /**
     * Stores a run; the same run stored again (same id, name and start: a publish retried) replaces the earlier
     * copy. A store that is busy (SQLite: another connection holds the write lock) is waited for, at most
     * tokenbench.store.busy-timeout in all.
     *
     * @throws RunIdTakenException when the id is already stored for another run
     * @throws StoreException       naming the store and the cause when it still cannot be written
     */
    void save(StoredRun run);

    /** Newest first. */
    List<RunInfo> list(RunFilter filter);

    Optional<RunInfo> info(String id);

    /** The run's run.json as stored. */
    Optional<String> runJson(String id);

    /** The run's request records in the order they were written; false when there is no such run. */
    boolean records(String id, Consumer<String> line);

    /**
     * A target's figure over time, oldest first: one point per run in [from, to).
     *
     * @param benchmark   only runs of this benchmark, or null for runs of any benchmark with this target name
     * @param aggregation one of {@link #AGGREGATIONS}
     */
    List<HistoryPoint> history(String benchmark, String target, String metric, String aggregation, Instant from,
            Instant to);

    /**
     * The encoded histograms of a target's metric over [from, to), for exact merged percentiles; benchmark as in
     * {@link #history}.
     */
    List<String> histograms(String benchmark, String target, String metric, Instant from, Instant to);

    /**
     * Retention: deletes the runs started before olderThan (null: none by age) and all but the newest keepNewest
     * (0: none by count).
     *
     * @return how many runs it deleted
     */
    int prune(Instant olderThan, int keepNewest);

    /** Whether the store answers a trivial query now (readiness). */
    boolean ping();

    /**
     * Runs the same trivial query as {@link #ping}, for readiness's reason.
     *
     * @throws StoreException naming the store and why it does not answer
     */
    void check();

    /** Which store this is, for health and logs: never holds a credential. */
    String describe();

    @Override
    void close();
}
