package dev.tokenbench.api;

import dev.tokenbench.store.HistoryStore;
import dev.tokenbench.store.HistoryStores;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the history store answers: a service that cannot store its runs should get no traffic. DOWN carries one
 * line naming the store and the cause; liveness does not depend on the store (the service recovers by itself).
 */
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
            HistoryStore store = stores.store();
            store.check();
            return HealthCheckResponse.named("history-store").up().withData("store", store.describe()).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("history-store").down().withData("reason", String.valueOf(e.getMessage()))
                    .build();
        }
    }
}
