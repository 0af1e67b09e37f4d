package dev.tokenbench.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store suite on the embedded store: a fresh SQLite file per test; and the embedded store's own faults: another
 * connection holding the write lock (briefly, then past the bound), the file deleted or made unreadable under it,
 * and a file that is not a database.
 */
class SqliteHistoryStoreTest extends HistoryStoreContract {
    @TempDir
    Path dir;

    @Override
    HistoryStore emptyStore() {
        return SqliteHistoryStore.open(dir.resolve("data"));
    }

    @Test
    void reopeningKeepsTheHistoryAndTheSchemaIsMigratedOnce() throws Exception {
        SqliteHistoryStore first = SqliteHistoryStore.open(dir.resolve("data"));
        first.save(StoreFixtures.variant("kept", "bench", T0, 10, "local"));
        first.close();
        SqliteHistoryStore again = SqliteHistoryStore.open(dir.resolve("data"));
        assertEquals(1, again.list(RunFilter.all()).size());
        assertTrue(Files.exists(dir.resolve("data").resolve(SqliteHistoryStore.FILE_NAME)));
    }

    @Test
    void aWriteWaitsForAnotherConnectionsLockAndSucceedsWhenItIsReleased() throws Exception {
        SqliteHistoryStore store = SqliteHistoryStore.open(dir.resolve("data"), Duration.ofSeconds(30));
        StoredRun run = StoreFixtures.variant("waited", "bench", T0, 10, "local");
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (Connection holder = lockExclusively()) {
            Future<?> save = writer.submit(() -> store.save(run));
            Thread.sleep(500);
            assertFalse(save.isDone(), "the write cannot finish while another connection holds the lock");
            holder.createStatement().execute("COMMIT");
            save.get(30, TimeUnit.SECONDS);
        } finally {
            writer.shutdownNow();
        }
        assertEquals(List.of("waited"), store.list(RunFilter.all()).stream().map(RunInfo::id).toList());
    }

    @Test
    void aLockHeldPastTheBoundIsAOneLineStoreErrorAndTheNextWriteSucceeds() throws Exception {
        SqliteHistoryStore store = SqliteHistoryStore.open(dir.resolve("data"), Duration.ofMillis(300));
        StoreException busy;
        try (Connection holder = lockExclusively()) {
            busy = assertThrows(StoreException.class,
                    () -> store.save(StoreFixtures.variant("late", "bench", T0, 10, "local")));
            holder.createStatement().execute("ROLLBACK");
        }
        assertTrue(busy.getMessage().contains(file().toString()) && busy.getMessage().contains("still busy after 300 ms")
                && busy.getMessage().contains("tokenbench.store.busy-timeout"), busy.getMessage());
        assertFalse(busy.getMessage().contains("\n"), busy.getMessage());
        store.save(StoreFixtures.variant("late", "bench", T0, 10, "local"));
        assertEquals(1, store.list(RunFilter.all()).size());
    }

    @Test
    void aDeletedFileIsMadeAgainOnTheNextUse() throws Exception {
        SqliteHistoryStore store = SqliteHistoryStore.open(dir.resolve("data"));
        store.save(StoreFixtures.variant("before", "bench", T0, 10, "local"));
        Files.delete(file());

        assertEquals(List.of(), store.list(RunFilter.all()), "a new, empty store: the deleted one's runs are gone");
        assertTrue(store.ping());
        store.save(StoreFixtures.variant("after", "bench", T0, 10, "local"));
        assertEquals(List.of("after"), store.list(RunFilter.all()).stream().map(RunInfo::id).toList());
    }

    @Test
    void aFileThatCannotBeOpenedIsAStoreErrorNamingItUntilItIsGone() throws Exception {
        SqliteHistoryStore store = SqliteHistoryStore.open(dir.resolve("data"));
        Files.delete(file());
        Files.createDirectory(file());

        StoreException down = assertThrows(StoreException.class, () -> store.list(RunFilter.all()));
        assertTrue(down.getMessage().contains(file().toString()), down.getMessage());
        assertFalse(store.ping());
        assertThrows(StoreException.class, () -> store.save(StoreFixtures.variant("x", "bench", T0, 10, "local")));

        Files.delete(file());
        store.save(StoreFixtures.variant("back", "bench", T0, 10, "local"));
        assertEquals(1, store.list(RunFilter.all()).size());
    }

    @Test
    void aCorruptedFileFailsTheOpenInOneLineNamingTheFileAndTheFix() throws Exception {
        Files.createDirectories(file().getParent());
        byte[] garbage = new byte[8192];
        new Random(15).nextBytes(garbage);
        Files.write(file(), garbage);

        StoreException corrupt = assertThrows(StoreException.class, () -> SqliteHistoryStore.open(dir.resolve("data")));
        assertTrue(corrupt.getMessage().startsWith("the history store file " + file() + " is not a SQLite database"),
                corrupt.getMessage());
        assertTrue(corrupt.getMessage().endsWith("move it away; tokenbench creates a new one"), corrupt.getMessage());
        assertFalse(corrupt.getMessage().contains("\n"), corrupt.getMessage());

        Files.move(file(), dir.resolve("history.db.corrupt"));
        assertEquals(0, SqliteHistoryStore.open(dir.resolve("data")).list(RunFilter.all()).size());
    }

    private Path file() {
        return dir.resolve("data").resolve(SqliteHistoryStore.FILE_NAME).toAbsolutePath();
    }

    /** Another connection (another process would do the same) takes SQLite's write lock and holds it. */
    private Connection lockExclusively() throws Exception {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        c.createStatement().execute("BEGIN EXCLUSIVE");
        return c;
    }
}
