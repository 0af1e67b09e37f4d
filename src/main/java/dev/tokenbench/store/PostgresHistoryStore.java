package dev.tokenbench.store;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * PostgreSQL, for teams and for several probes writing to one place. The service gets its DataSource from the
 * named Quarkus datasource "history" (configuration activates it at run time); tests give it one directly.
 */
public final class PostgresHistoryStore extends JdbcHistoryStore {
    private final String description;

    private PostgresHistoryStore(DataSource dataSource, String description) {
        super(dataSource);
        this.description = description;
    }

    /** Brings the schema up to date and returns the store. description: where it is, with no credential. */
    public static PostgresHistoryStore open(DataSource dataSource, String description) {
        PostgresHistoryStore store = new PostgresHistoryStore(dataSource, description);
        store.migrate();
        return store;
    }

    @Override
    protected Object writeLock() {
        // Transactions do the isolating; a fresh object means no lock is shared.
        return new Object();
    }

    /** No fault is waited for here: the pool's own timeouts bound a write. */
    @Override
    protected Duration writeBound() {
        return Duration.ZERO;
    }

    @Override
    public String describe() {
        return "postgresql (" + description + ")";
    }

    @Override
    public void close() {
        // The datasource belongs to whoever gave it.
    }
}
