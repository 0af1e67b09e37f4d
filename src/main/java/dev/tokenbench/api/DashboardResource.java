package dev.tokenbench.api;

import dev.tokenbench.store.HistoryStores;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.time.Instant;

/** The dashboard page; its state is the query string (metric, agg, range, from, to, baseline). */
@Path("/")
public class DashboardResource {
    private final HistoryStores stores;
    private final ApiAuth auth;

    public DashboardResource(HistoryStores stores, ApiAuth auth) {
        this.stores = stores;
        this.auth = auth;
    }

    @GET
    @Produces("text/html")
    public Response page(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("metric") String metric, @QueryParam("agg") String agg, @QueryParam("range") String range,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("baseline") String baseline) {
        if (!auth.allowsRead(authorization)) {
            return RunsResource.unauthorized();
        }
        Dashboard.View view = Dashboard.view(metric, agg, range, from, to, baseline, Instant.now());
        return Response.ok(Dashboard.render(stores.store(), view), "text/html; charset=utf-8").build();
    }
}
