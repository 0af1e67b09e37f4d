package dev.tokenbench.api;

import dev.tokenbench.store.StoreException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A history store that does not answer (deleted, unwritable, corrupted, PostgreSQL down) is a 503 naming the store
 * and the cause: JSON {"error": …} for the API, a plain page for the dashboard; never an HTML 500 or a stack trace.
 * The next request tries the store again, so the service recovers by itself.
 */
public class StoreUnavailable {
    @ServerExceptionMapper
    public Response map(StoreException e, UriInfo uri) {
        String message = "the history store is unavailable: " + e.getMessage();
        if (uri.getPath().startsWith("/api")) {
            return RunsResource.error(Response.Status.SERVICE_UNAVAILABLE, message);
        }
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8"))
                .entity("tokenbench: " + message + "\nThe dashboard comes back by itself when the store answers; "
                        + "/q/health/ready says why it is down.\n").build();
    }
}
