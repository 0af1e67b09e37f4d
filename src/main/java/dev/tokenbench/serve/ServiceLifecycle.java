package dev.tokenbench.serve;

import dev.tokenbench.store.HistoryStores;
import dev.tokenbench.store.StoreException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * What {@code serve} starts besides the HTTP server: the store (opened at once; one that cannot be opened, such as a
 * corrupted SQLite file or PostgreSQL down, is said in one line and the service starts degraded: readiness DOWN, API
 * 503, until the store answers, since it is tried again on each use), the runs left out of history earlier, and
 * the schedules. Also started when the application boots with tokenbench.serve.enabled=true (the tests'
 * profile), never for the other commands.
 */
@ApplicationScoped
public class ServiceLifecycle {
    private static final Logger LOG = Logger.getLogger(ServiceLifecycle.class);
    private final HistoryStores stores;
    private final RunService runs;
    private final Schedules schedules;
    private final boolean enabledAtBoot;
    private boolean started;

    public ServiceLifecycle(HistoryStores stores, RunService runs, Schedules schedules, ServeConfig config) {
        this.stores = stores;
        this.runs = runs;
        this.schedules = schedules;
        this.enabledAtBoot = config.serve().enabled();
    }

    void onStart(@Observes StartupEvent event) {
        if (enabledAtBoot) {
            start();
        }
    }

    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        try {
            LOG.infof("history store: %s", stores.store().describe());
            runs.storeLeftOutRuns();
        } catch (StoreException e) {
            LOG.errorf("history store unavailable: %s. Serving degraded (readiness DOWN, the API answers 503) until "
                    + "it answers; finished runs wait in their directories", e.getMessage());
        }
        schedules.start();
    }
}
