package dev.tokenbench.api;

import dev.tokenbench.store.HistoryStores;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the history store answers: a service that cannot store its runs should get no traffic. */
@Readiness
@ApplicationScoped
public class StoreHealthCheck implements HealthCheck {
    private final HistoryStores stores;

    public StoreHealthCheck(HistoryStores stores) {
        this.stores = stores;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            boolean up = stores.store().ping();
            return HealthCheckResponse.named("history-store").status(up)
                    .withData("store", stores.store().describe()).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("history-store").down().withData("error", String.valueOf(e.getMessage()))
                    .build();
        }
    }
}
