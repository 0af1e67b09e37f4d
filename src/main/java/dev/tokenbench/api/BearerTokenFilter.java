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
    static final String REFUSAL = "a bearer token is required: Authorization: Bearer <token> (one of "
            + "tokenbench.api.tokens, TOKENBENCH_API_TOKEN or tokenbench.api.token-file)";

    private final ApiAuth auth;

    public BearerTokenFilter(ApiAuth auth) {
        this.auth = auth;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!auth.admits(request.getMethod(), request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            request.abortWith(Response.status(Response.Status.UNAUTHORIZED)
                    .entity(RunsResource.errorJson(REFUSAL))
                    .type(MediaType.APPLICATION_JSON).header("WWW-Authenticate", "Bearer").build());
        }
    }
}
