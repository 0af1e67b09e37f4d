package dev.tokenbench.api;

import dev.tokenbench.store.HistoryStores;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import java.time.Instant;

/** The dashboard page; its state is the query string (benchmark, metric, agg, range, from, to, baseline). */
@Path("/")
@BearerToken
public class DashboardResource {
    private final HistoryStores stores;

    public DashboardResource(HistoryStores stores) {
        this.stores = stores;
    }

    @GET
    @Produces("text/html")
    public Response page(@QueryParam("benchmark") String benchmark, @QueryParam("metric") String metric,
            @QueryParam("agg") String agg, @QueryParam("range") String range, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("baseline") String baseline) {
        Dashboard.View view = Dashboard.view(benchmark, metric, agg, range, from, to, baseline, Instant.now());
        return Response.ok(Dashboard.render(stores.store(), view), "text/html; charset=utf-8").build();
    }
}
