package dev.tokenbench.serve;

import dev.tokenbench.store.HistoryStores;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * What {@code serve} starts besides the HTTP server: the store (opened at once, so a bad store fails the start)
 * and the schedules. Also started when the application boots with tokenbench.serve.enabled=true (the tests'
 * profile), never for the other commands.
 */
@ApplicationScoped
public class ServiceLifecycle {
    private static final Logger LOG = Logger.getLogger(ServiceLifecycle.class);
    private final HistoryStores stores;
    private final Schedules schedules;
    private final boolean enabledAtBoot;
    private boolean started;

    public ServiceLifecycle(HistoryStores stores, Schedules schedules,
            ServeConfig config) {
        this.stores = stores;
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
        LOG.infof("history store: %s", stores.store().describe());
        schedules.start();
    }
}
