package dev.tokenbench.store;

import org.jboss.logging.Logger;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The embedded default: one SQLite file under the data directory, so history accumulates with no server to run.
 * SQLite rather than H2 because H2's embedded engine is not supported in a GraalVM native executable, while
 * sqlite-jdbc ships its native library for each platform together with its own native-image configuration
 * (META-INF/native-image in the jar), so the same store works in the container's native executable. A plain
 * index file beside the run directories was the other choice; SQLite gives the same queries as PostgreSQL (one
 * schema, one set of migrations) and atomic writes for free.
 */
public final class SqliteHistoryStore extends JdbcHistoryStore {
    private static final Logger LOG = Logger.getLogger(SqliteHistoryStore.class);
    public static final String FILE_NAME = "history.db";
    /** tokenbench.store.busy-timeout's default: how long a write waits in all for another connection's lock. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(10);
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_NOTADB = 26;
    private final Object writeLock = new Object();
    private final Path file;
    private final Duration busyTimeout;

    private SqliteHistoryStore(SQLiteDataSource dataSource, Path file, Duration busyTimeout) {
        super(dataSource);
        this.file = file;
        this.busyTimeout = busyTimeout;
    }

    /** {@link #open(Path, Duration)} with the default busy timeout. */
    public static SqliteHistoryStore open(Path dataDir) {
        return open(dataDir, DEFAULT_BUSY_TIMEOUT);
    }

    /**
     * Opens (creating when needed) dataDir/history.db and brings its schema up to date.
     *
     * @param busyTimeout how long a write waits in all while another connection holds the lock
     * @throws StoreException in one line, naming the file: the directory cannot be made, or the file is not a SQLite
     *                        database (with the fix: move it away)
     */
    public static SqliteHistoryStore open(Path dataDir, Duration busyTimeout) {
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        SQLiteConfig config = new SQLiteConfig();
        // WAL: readers (the dashboard) never wait for the writer; a busy writer is waited for, not an error.
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        SqliteHistoryStore store = new SqliteHistoryStore(dataSource, file, busyTimeout);
        store.create();
        return store;
    }

    /** Makes the directory, refuses a file that is not a database, and brings the schema up to date. */
    private void create() {
        createDirectory();
        if (Files.notExists(file)) {
            migrate();
            return;
        }
        // A file that is not a database fails here in one line, before Flyway reports it in many.
        try (Connection c = connection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA schema_version")) {
            rs.next();
        } catch (SQLException e) {
            throw new StoreException(corrupt(e)
                    ? "the history store file " + file + " is not a SQLite database (" + oneLine(e.getMessage())
                            + "): move it away; tokenbench creates a new one"
                    : describe() + ": cannot open it: " + oneLine(e.getMessage()), e);
        }
        migrate();
    }

    private void createDirectory() {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new StoreException(describe() + ": cannot create its directory " + file.getParent() + ": "
                    + oneLine(e.getMessage()), e);
        }
    }

    private static boolean corrupt(SQLException e) {
        int code = primaryCode(e);
        return code == SQLITE_NOTADB || code == SQLITE_CORRUPT;
    }

    private static int primaryCode(SQLException e) {
        int code = e instanceof SQLiteException sqlite ? sqlite.getResultCode().code : e.getErrorCode();
        return code & 0xff;
    }

    /**
     * The file was deleted while the service runs (by hand, a clean-up job): made again, empty, on the next use,
     * so that the service recovers by itself. A stale -wal or -shm file beside it belongs to the deleted database
     * and would be replayed into the new one: it goes too.
     */
    @Override
    protected void beforeUse() {
        if (Files.exists(file)) {
            return;
        }
        synchronized (writeLock) {
            if (Files.exists(file)) {
                return;
            }
            LOG.warnf("history store: %s is gone; creating it again (the runs it held are not in history any more; "
                    + "their run directories still have them)", file);
            try {
                Files.deleteIfExists(Path.of(file + "-wal"));
                Files.deleteIfExists(Path.of(file + "-shm"));
            } catch (IOException e) {
                throw new StoreException(describe() + ": cannot remove the deleted database's journal: "
                        + oneLine(e.getMessage()), e);
            }
            createDirectory();
            migrate();
        }
    }

    @Override
    protected boolean transientFault(SQLException e) {
        int code = primaryCode(e);
        return code == SQLITE_BUSY || code == SQLITE_LOCKED;
    }

    @Override
    protected void waitForLocksAtMost(Connection c, long millis) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = " + millis);
        }
    }

    @Override
    protected Duration writeBound() {
        return busyTimeout;
    }

    @Override
    protected Object writeLock() {
        return writeLock;
    }

    @Override
    public String describe() {
        return "embedded (SQLite " + file + ")";
    }

    @Override
    public void close() {
        // A connection per operation: nothing held open.
    }
}
