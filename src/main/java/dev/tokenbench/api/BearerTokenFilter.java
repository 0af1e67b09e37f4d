package dev.tokenbench.api;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * The one bearer-token check of the REST resources marked {@link BearerToken}: runs after the request is matched to
 * a method and before the method, its body or its parameters are read. A refused request gets a 401 that names
 * where tokens come from and never echoes the one presented.
 */
@Provider
@BearerToken
@Priority(Priorities.AUTHENTICATION)
public class BearerTokenFilter implements ContainerRequestFilter {
    private final ApiAuth auth;

    public BearerTokenFilter(ApiAuth auth) {
        this.auth = auth;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        ApiAuth.Verdict verdict = auth.admits(request.getMethod(),
                request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (!verdict.admitted()) {
            request.abortWith(Response.status(Response.Status.UNAUTHORIZED)
                    .entity(RunsResource.errorJson(verdict.message()))
                    .type(MediaType.APPLICATION_JSON).header("WWW-Authenticate", verdict.challenge()).build());
        }
    }
}
