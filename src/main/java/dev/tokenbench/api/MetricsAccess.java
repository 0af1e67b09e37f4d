package dev.tokenbench.api;

import dev.tokenbench.serve.ServeConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * With tokenbench.serve.read-requires-token, {@code /q/metrics} needs the bearer token as the read endpoints do:
 * its labels name every target, model and region. {@code /q/health} stays open for the platform's probes.
 */
@ApplicationScoped
public class MetricsAccess {
    static final String METRICS_PATH = "/q/metrics";
    /** Before the routes, after nothing else of ours. */
    private static final int PRIORITY = 100;

    private final ServeConfig config;
    private final ApiAuth auth;

    public MetricsAccess(ServeConfig config, ApiAuth auth) {
        this.config = config;
        this.auth = auth;
    }

    void register(@Observes Filters filters) {
        if (!config.serve().readRequiresToken()) {
            return;
        }
        filters.register(rc -> {
            String path = rc.normalizedPath();
            if ((path.equals(METRICS_PATH) || path.startsWith(METRICS_PATH + "/"))
                    && !auth.allows(rc.request().getHeader(HttpHeaders.AUTHORIZATION))) {
                rc.response().setStatusCode(401).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader("WWW-Authenticate", "Bearer")
                        .end("{\"error\":\"" + METRICS_PATH + " needs a bearer token "
                                + "(tokenbench.serve.read-requires-token is on): send Authorization: Bearer <token>; "
                                + "Prometheus: authorization.credentials_file\"}");
                return;
            }
            rc.next();
        }, PRIORITY);
    }
}
