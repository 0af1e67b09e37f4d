package dev.tokenbench.publish;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * A tokenbench service's API, relative to its API URL (https://central.example/api): the import endpoint probes
 * publish to, and the reads {@code compare --server} makes. Bodies are JSON text built and read by hand (no
 * reflection). A null Authorization is not sent.
 */
public interface CentralApi {
    /** Sends a run bundle; answers {"id", "status"}. */
    @POST
    @Path("/runs/import")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    String importRun(@HeaderParam("Authorization") String authorization, String bundle);

    /** {"runs": [{"id", "benchmark", "status", "probe", "region", …}]}, newest first; null filters are not sent. */
    @GET
    @Path("/runs")
    @Produces(MediaType.APPLICATION_JSON)
    String listRuns(@HeaderParam("Authorization") String authorization, @QueryParam("benchmark") String benchmark,
            @QueryParam("target") String target, @QueryParam("probe") String probe,
            @QueryParam("since") String since, @QueryParam("limit") Integer limit);

    /** The stored run.json. */
    @GET
    @Path("/runs/{id}/run.json")
    @Produces(MediaType.APPLICATION_JSON)
    String runJson(@HeaderParam("Authorization") String authorization, @PathParam("id") String id);

    /** The stored request records, one JSON line each. */
    @GET
    @Path("/runs/{id}/requests")
    @Produces("application/x-ndjson")
    String records(@HeaderParam("Authorization") String authorization, @PathParam("id") String id);

    /** The service's wall clock: microseconds since the epoch, as text (what a shard's clock check reads). */
    @GET
    @Path("/clock")
    @Produces(MediaType.TEXT_PLAIN)
    String clock(@HeaderParam("Authorization") String authorization);
}
