package dev.tokenbench.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The history store's settings, under {@code tokenbench.store.} (TOKENBENCH_STORE_KIND, …): the store's own type, so
 * that the store needs nothing of the service's settings.
 */
@ConfigMapping(prefix = "tokenbench.store")
public interface StoreSettings {
    /** embedded (SQLite under data-dir) or postgresql (the datasource "history", activated by config). */
    @WithDefault("embedded")
    String kind();

    /** The embedded store's directory; also where the service keeps its run directories. */
    @WithDefault("data")
    Path dataDir();

    /**
     * How long storing a run waits in all while the embedded store is busy (another connection holds SQLite's
     * write lock), retrying, before the run is left in its directory to be stored later.
     */
    @WithDefault("10s")
    Duration busyTimeout();
}
