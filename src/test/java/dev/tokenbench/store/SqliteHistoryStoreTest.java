package dev.tokenbench.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store suite on the embedded store: a fresh SQLite file per test. */
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
}
