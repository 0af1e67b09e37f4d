package dev.tokenbench.store;

import dev.tokenbench.core.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The SQL both stores share: the schema is one set of Flyway migrations (classpath:db/history) written in the
 * subset of SQL that SQLite and PostgreSQL both accept, so the queries are the same too.
 */
abstract class JdbcHistoryStore implements HistoryStore {
    static final String MIGRATIONS = "classpath:db/history";
    private static final String[] CHILD_TABLES = {"request_records", "target_metrics", "run_targets"};
    private static final int BATCH = 500;
    private static final ObjectMapper RECORDS = Json.MAPPER;

    private final DataSource dataSource;

    JdbcHistoryStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Brings the schema up to date; runs when the store opens (and when a deleted SQLite file is made again). A
     * failure is one line naming the store and the cause, never Flyway's multi-line report.
     */
    final void migrate() {
        try {
            Flyway.configure(getClass().getClassLoader()).dataSource(dataSource).locations(MIGRATIONS)
                    .table("tokenbench_schema_history").load().migrate();
        } catch (FlywayException e) {
            throw new StoreException(describe() + ": cannot bring its schema up to date: " + rootCause(e), e);
        }
    }

    /** SQLite has one writer at a time: its store serialises writes; PostgreSQL needs no such thing. */
    protected abstract Object writeLock();

    /** Called before every use of the store: SQLite makes a deleted file again here. */
    protected void beforeUse() {
    }

    /**
     * Whether the fault passes by itself in a moment (SQLite busy or locked: another connection holds the write
     * lock), so that {@link #save} waits and tries again within {@link #writeBound}.
     */
    protected boolean transientFault(SQLException e) {
        return false;
    }

    /** Makes the connection wait at most this long for a lock held by another connection (SQLite: busy_timeout). */
    protected void waitForLocksAtMost(Connection c, long millis) throws SQLException {
    }

    /** How long a write waits in all for a store that is busy before it fails. */
    protected abstract Duration writeBound();

    final Connection connection() throws SQLException {
        beforeUse();
        return dataSource.getConnection();
    }

    /**
     * Stores the run in one transaction. A transient fault (the store busy or locked) is waited for and the write
     * tried again with a growing pause, until {@link #writeBound} is used up in all; then, as for any other fault, a
     * {@link StoreException} naming the store and the cause.
     */
    @Override
    public void save(StoredRun run) {
        write("cannot store run " + run.id(), c -> {
            refuseAnotherRunUnderTheSameId(c, run);
            delete(c, List.of(run.id()));
            insert(c, run);
        });
    }

    interface Work {
        void run(Connection c) throws SQLException;
    }

    private void write(String what, Work work) {
        long deadline = System.nanoTime() + writeBound().toNanos();
        long pauseMillis = 50;
        synchronized (writeLock()) {
            while (true) {
                try (Connection c = connection()) {
                    waitForLocksAtMost(c, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                    c.setAutoCommit(false);
                    try {
                        work.run(c);
                        c.commit();
                        return;
                    } catch (SQLException | RuntimeException e) {
                        rollback(c, e);
                        throw e;
                    }
                } catch (SQLException e) {
                    long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (!transientFault(e)) {
                        throw new StoreException(describe() + ": " + what + ": " + oneLine(e.getMessage()), e);
                    }
                    if (leftMillis <= 0) {
                        throw new StoreException(describe() + ": " + what + ": still busy after "
                                + writeBound().toMillis() + " ms (tokenbench.store.busy-timeout): "
                                + oneLine(e.getMessage()), e);
                    }
                    pause(Math.min(pauseMillis, leftMillis), what);
                    pauseMillis = Math.min(pauseMillis * 2, 1000);
                }
            }
        }
    }

    private static void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private void pause(long millis, String what) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(describe() + ": " + what + ": interrupted while the store was busy", e);
        }
    }

    static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return oneLine(root.getMessage());
    }

    static String oneLine(String message) {
        return String.valueOf(message).strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /**
     * The same run stored again (a publish retried: same name, same start) replaces itself; a different run under
     * an id already stored is refused, so that neither is lost without a word. The first statement writes (it
     * removes the same run's row, if that is what is stored), so that on SQLite the write lock is taken, waiting
     * for another writer, before anything is read: a read first would pin a snapshot that a concurrent writer
     * makes stale, and the write after it would fail busy at once.
     */
    private static void refuseAnotherRunUnderTheSameId(Connection c, StoredRun run) throws SQLException {
        try (PreparedStatement sameRun = c.prepareStatement(
                "DELETE FROM runs WHERE id = ? AND name = ? AND started_at = ?")) {
            sameRun.setString(1, run.id());
            sameRun.setString(2, run.name());
            sameRun.setLong(3, run.startedAt().toEpochMilli());
            sameRun.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT name, started_at FROM runs WHERE id = ?")) {
            ps.setString(1, run.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new RunIdTakenException("cannot store run " + run.id() + ": that id is already stored "
                            + "for another run (" + rs.getString(1) + ", started " + Instant.ofEpochMilli(rs.getLong(2))
                            + "); the stored run is kept; store this one under an id of its own");
                }
            }
        }
    }

    private static void insert(Connection c, StoredRun run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs (id, name, status, probe, region, "
                + "started_at, ended_at, wall_seconds, measured, failed, cost_usd, tokenbench_version, config, "
                + "run_json, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, run.id());
            ps.setString(2, run.name());
            ps.setString(3, run.status());
            ps.setString(4, run.probe());
            ps.setString(5, run.region());
            ps.setLong(6, run.startedAt().toEpochMilli());
            ps.setLong(7, run.endedAt().toEpochMilli());
            setDouble(ps, 8, run.wallSeconds());
            ps.setInt(9, run.measured());
            ps.setInt(10, run.failed());
            ps.setDouble(11, run.costUsd());
            ps.setString(12, run.version());
            ps.setString(13, run.configJson());
            ps.setString(14, run.runJson());
            ps.setLong(15, System.currentTimeMillis());
            ps.executeUpdate();
        }
        try (PreparedStatement targets = c.prepareStatement("INSERT INTO run_targets (run_id, position, target, "
                + "api, model, measured, ok, failed, cost_usd, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement metrics = c.prepareStatement("INSERT INTO target_metrics (run_id, target, "
                        + "metric, count, mean, p50, p90, p99, worst10, histogram) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                        + "?, ?)")) {
            int position = 0;
            for (StoredRun.Target t : run.targets()) {
                targets.setString(1, run.id());
                targets.setInt(2, position++);
                targets.setString(3, t.name());
                targets.setString(4, t.api());
                targets.setString(5, t.model());
                targets.setInt(6, t.measured());
                targets.setInt(7, t.ok());
                targets.setInt(8, t.failed());
                targets.setDouble(9, t.costUsd());
                targets.setString(10, t.summaryJson());
                targets.addBatch();
                for (StoredRun.MetricRow m : t.metrics()) {
                    metrics.setString(1, run.id());
                    metrics.setString(2, t.name());
                    metrics.setString(3, m.metric());
                    metrics.setLong(4, m.count());
                    setDouble(metrics, 5, m.mean());
                    setDouble(metrics, 6, m.p50());
                    setDouble(metrics, 7, m.p90());
                    setDouble(metrics, 8, m.p99());
                    setDouble(metrics, 9, m.worst10());
                    metrics.setString(10, m.histogram());
                    metrics.addBatch();
                }
            }
            targets.executeBatch();
            metrics.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO request_records (run_id, seq, target, record) VALUES (?, ?, ?, ?)")) {
            int seq = 0;
            for (String line : run.records()) {
                ps.setString(1, run.id());
                ps.setInt(2, seq++);
                ps.setString(3, targetOf(line));
                ps.setString(4, line);
                ps.addBatch();
                if (seq % BATCH == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /** The record's target; "" for a line that is not a JSON object (kept as it came). */
    private static String targetOf(String line) {
        try {
            return RECORDS.readTree(line).path("target").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    private static void delete(Connection c, List<String> ids) throws SQLException {
        for (String id : ids) {
            for (String table : CHILD_TABLES) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE run_id = ?")) {
                    ps.setString(1, id);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM runs WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
        }
    }

    @Override
    public List<RunInfo> list(RunFilter filter) {
        StringBuilder sql = new StringBuilder("SELECT id, name, status, probe, region, started_at, ended_at, "
                + "measured, failed, cost_usd FROM runs WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (filter.benchmark() != null) {
            sql.append(" AND name = ?");
            args.add(filter.benchmark());
        }
        if (filter.probe() != null) {
            sql.append(" AND probe = ?");
            args.add(filter.probe());
        }
        if (filter.target() != null) {
            sql.append(" AND id IN (SELECT run_id FROM run_targets WHERE target = ?)");
            args.add(filter.target());
        }
        if (filter.since() != null) {
            sql.append(" AND started_at >= ?");
            args.add(filter.since().toEpochMilli());
        }
        sql.append(" ORDER BY started_at DESC, id DESC LIMIT ").append(filter.limit());
        return query(sql.toString(), args, rs -> {
            List<RunInfo> runs = new ArrayList<>();
            while (rs.next()) {
                runs.add(info(rs));
            }
            return runs;
        }, runs -> withTargets(runs));
    }

    private RunInfo info(ResultSet rs) throws SQLException {
        return RunInfo.builder()
                .id(rs.getString(1))
                .name(rs.getString(2))
                .status(rs.getString(3))
                .probe(rs.getString(4))
                .region(rs.getString(5))
                .startedAt(Instant.ofEpochMilli(rs.getLong(6)))
                .endedAt(Instant.ofEpochMilli(rs.getLong(7)))
                .measured(rs.getInt(8))
                .failed(rs.getInt(9))
                .costUsd(rs.getDouble(10))
                .targets(List.of())
                .build();
    }

    private List<RunInfo> withTargets(List<RunInfo> runs) {
        List<RunInfo> full = new ArrayList<>(runs.size());
        for (RunInfo r : runs) {
            List<String> targets = query("SELECT target FROM run_targets WHERE run_id = ? ORDER BY position",
                    List.of(r.id()), rs -> {
                        List<String> names = new ArrayList<>();
                        while (rs.next()) {
                            names.add(rs.getString(1));
                        }
                        return names;
                    }, x -> x);
            full.add(RunInfo.builder()
                    .id(r.id())
                    .name(r.name())
                    .status(r.status())
                    .probe(r.probe())
                    .region(r.region())
                    .startedAt(r.startedAt())
                    .endedAt(r.endedAt())
                    .measured(r.measured())
                    .failed(r.failed())
                    .costUsd(r.costUsd())
                    .targets(List.copyOf(targets))
                    .build());
        }
        return full;
    }

    @Override
    public Optional<RunInfo> info(String id) {
        List<RunInfo> one = query("SELECT id, name, status, probe, region, started_at, ended_at, measured, failed, "
                + "cost_usd FROM runs WHERE id = ?", List.of(id), rs -> {
                    List<RunInfo> runs = new ArrayList<>();
                    while (rs.next()) {
                        runs.add(info(rs));
                    }
                    return runs;
                }, this::withTargets);
        return one.stream().findFirst();
    }

    @Override
    public Optional<String> runJson(String id) {
        return Optional.ofNullable(query("SELECT run_json FROM runs WHERE id = ?", List.of(id),
                rs -> rs.next() ? rs.getString(1) : null, x -> x));
    }

    @Override
    public boolean records(String id, Consumer<String> line) {
        if (info(id).isEmpty()) {
            return false;
        }
        query("SELECT record FROM request_records WHERE run_id = ? ORDER BY seq", List.of(id), rs -> {
            while (rs.next()) {
                line.accept(rs.getString(1));
            }
            return null;
        }, x -> x);
        return true;
    }

    @Override
    public List<HistoryPoint> history(String benchmark, String target, String metric, String aggregation,
            Instant from, Instant to) {
        if (!AGGREGATIONS.contains(aggregation)) {
            throw new IllegalArgumentException("aggregation must be one of " + AGGREGATIONS + ", found '"
                    + aggregation + "'");
        }
        // aggregation is one of the column names above, never caller text.
        return query("SELECT r.id, r.probe, r.region, r.started_at, m." + aggregation + ", m.count FROM "
                + "target_metrics m JOIN runs r ON r.id = m.run_id WHERE m.target = ? AND m.metric = ? AND "
                + "r.started_at >= ? AND r.started_at < ?" + ofBenchmark(benchmark) + " ORDER BY r.started_at, r.id",
                seriesParameters(benchmark, target, metric, from, to), rs -> {
                    List<HistoryPoint> points = new ArrayList<>();
                    while (rs.next()) {
                        double value = rs.getDouble(5);
                        if (rs.wasNull()) {
                            value = Double.NaN;
                        }
                        points.add(new HistoryPoint(rs.getString(1), rs.getString(2), rs.getString(3),
                                Instant.ofEpochMilli(rs.getLong(4)), value, rs.getLong(6)));
                    }
                    return points;
                }, x -> x);
    }

    @Override
    public List<String> histograms(String benchmark, String target, String metric, Instant from, Instant to) {
        return query("SELECT m.histogram FROM target_metrics m JOIN runs r ON r.id = m.run_id WHERE m.target = ? "
                + "AND m.metric = ? AND r.started_at >= ? AND r.started_at < ?" + ofBenchmark(benchmark)
                + " AND m.histogram IS NOT NULL ORDER BY r.started_at",
                seriesParameters(benchmark, target, metric, from, to), rs -> {
                    List<String> list = new ArrayList<>();
                    while (rs.next()) {
                        list.add(rs.getString(1));
                    }
                    return list;
                }, x -> x);
    }

    /** The condition on the benchmark's name, a parameter; none for every benchmark. */
    private static String ofBenchmark(String benchmark) {
        return benchmark == null ? "" : " AND r.name = ?";
    }

    private static List<Object> seriesParameters(String benchmark, String target, String metric, Instant from,
            Instant to) {
        List<Object> parameters = new ArrayList<>(List.of(target, metric, from.toEpochMilli(), to.toEpochMilli()));
        if (benchmark != null) {
            parameters.add(benchmark);
        }
        return parameters;
    }

    @Override
    public int prune(Instant olderThan, int keepNewest) {
        synchronized (writeLock()) {
            List<String> ids = query("SELECT id, started_at FROM runs ORDER BY started_at DESC, id DESC", List.of(),
                    rs -> {
                        List<String> doomed = new ArrayList<>();
                        int rank = 0;
                        while (rs.next()) {
                            rank++;
                            boolean tooOld = olderThan != null && rs.getLong(2) < olderThan.toEpochMilli();
                            boolean tooMany = keepNewest > 0 && rank > keepNewest;
                            if (tooOld || tooMany) {
                                doomed.add(rs.getString(1));
                            }
                        }
                        return doomed;
                    }, x -> x);
            if (ids.isEmpty()) {
                return 0;
            }
            write("cannot delete old runs", c -> delete(c, ids));
            return ids.size();
        }
    }

    @Override
    public boolean ping() {
        try {
            check();
            return true;
        } catch (StoreException e) {
            return false;
        }
    }

    @Override
    public void check() {
        try (Connection c = connection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM runs")) {
            rs.next();
        } catch (SQLException e) {
            throw new StoreException(describe() + ": " + oneLine(e.getMessage()), e);
        }
    }

    interface Rows<T> {
        T read(ResultSet rs) throws SQLException;
    }

    interface Then<T, R> {
        R apply(T t);
    }

    private <T, R> R query(String sql, List<?> args, Rows<T> rows, Then<T, R> then) {
        T result;
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                Object a = args.get(i);
                if (a instanceof Long l) {
                    ps.setLong(i + 1, l);
                } else {
                    ps.setString(i + 1, (String) a);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                result = rows.read(rs);
            }
        } catch (SQLException e) {
            throw new StoreException(describe() + ": a query failed: " + oneLine(e.getMessage()), e);
        }
        return then.apply(result);
    }

    private static void setDouble(PreparedStatement ps, int index, double value) throws SQLException {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            ps.setNull(index, Types.DOUBLE);
        } else {
            ps.setDouble(index, value);
        }
    }
}
