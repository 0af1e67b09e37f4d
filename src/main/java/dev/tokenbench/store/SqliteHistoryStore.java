package dev.tokenbench.store;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded default: one SQLite file under the data directory, so history accumulates with no server to run.
 * SQLite rather than H2 because H2's embedded engine is not supported in a GraalVM native executable, while
 * sqlite-jdbc ships its native library for each platform together with its own native-image configuration
 * (META-INF/native-image in the jar), so the same store works in the container's native executable. A plain
 * index file beside the run directories was the other choice; SQLite gives the same queries as PostgreSQL (one
 * schema, one set of migrations) and atomic writes for free.
 */
public final class SqliteHistoryStore extends JdbcHistoryStore {
    public static final String FILE_NAME = "history.db";
    private final Object writeLock = new Object();
    private final Path file;

    private SqliteHistoryStore(SQLiteDataSource dataSource, Path file) {
        super(dataSource);
        this.file = file;
    }

    /** Opens (creating when needed) dataDir/history.db and brings its schema up to date. */
    public static SqliteHistoryStore open(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the history data directory " + dataDir + ": "
                    + e.getMessage(), e);
        }
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        SQLiteConfig config = new SQLiteConfig();
        // WAL: readers (the dashboard) never wait for the writer; a busy writer is waited for, not an error.
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        SqliteHistoryStore store = new SqliteHistoryStore(dataSource, file);
        store.migrate();
        return store;
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
