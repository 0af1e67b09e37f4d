package dev.tokenbench.store;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The configured store, opened on first use (a CLI command that does not touch history opens nothing):
 * {@code tokenbench.store.kind=embedded} (default) or {@code postgresql}, which also needs
 * {@code quarkus.datasource.history.active=true} and its JDBC URL and credentials.
 */
@ApplicationScoped
public class HistoryStores {
    private final StoreSettings settings;
    private final InjectableInstance<AgroalDataSource> postgres;
    private HistoryStore store;

    public HistoryStores(StoreSettings settings, @DataSource("history") InjectableInstance<AgroalDataSource> postgres) {
        this.settings = settings;
        this.postgres = postgres;
    }

    /**
     * The store, opened on first use; a store that failed to open (a corrupted file, PostgreSQL down) is tried
     * again on the next use, so that the service recovers by itself once it answers.
     *
     * @throws StoreException naming the store and why it cannot be opened
     */
    public synchronized HistoryStore store() {
        if (store == null) {
            store = open();
        }
        return store;
    }

    private HistoryStore open() {
        String kind = settings.kind();
        switch (kind) {
            case "embedded":
                return SqliteHistoryStore.open(settings.dataDir(), settings.busyTimeout());
            case "postgresql":
                AgroalDataSource dataSource;
                try {
                    dataSource = postgres.get();
                } catch (RuntimeException inactive) {
                    throw new IllegalStateException("tokenbench.store.kind=postgresql needs the datasource "
                            + "'history': set quarkus.datasource.history.active=true and its jdbc.url, username "
                            + "and password (e.g. QUARKUS_DATASOURCE_HISTORY_JDBC_URL)", inactive);
                }
                return PostgresHistoryStore.open(dataSource, "datasource history");
            default:
                throw new IllegalStateException("tokenbench.store.kind must be embedded or postgresql, found '"
                        + kind + "'");
        }
    }

    @PreDestroy
    synchronized void close() {
        if (store != null) {
            store.close();
        }
    }
}
