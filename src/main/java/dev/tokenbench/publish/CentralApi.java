package dev.tokenbench.publish;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A central tokenbench service's import endpoint, relative to its API URL (https://central.example/api). */
public interface CentralApi {
    /** Sends a run bundle; answers {"id", "status"}. Bodies are JSON text built by hand (no reflection). */
    @POST
    @Path("/runs/import")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    String importRun(@HeaderParam("Authorization") String authorization, String bundle);
}
