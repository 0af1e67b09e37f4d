package dev.tokenbench.publish;

import dev.tokenbench.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.ws.rs.WebApplicationException;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/** What both callers of {@link CentralApi} (publishing, {@code compare --server}) share: client and errors. */
final class CentralCalls {
    private static final ObjectMapper JSON = Json.MAPPER;

    private CentralCalls() {
    }

    /** Connecting gives up after 5 s, a call after 60 s. */
    private static final long CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final long READ_TIMEOUT_MILLIS = 60_000;

    /** The typed client for the service at {@code apiUrl}, with the timeouts above. */
    static CentralApi client(URI apiUrl) {
        return QuarkusRestClientBuilder.newBuilder().baseUri(apiUrl)
                .connectTimeout(CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .readTimeout(READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .build(CentralApi.class);
    }

    /** ": the service's error text" from an error answer's JSON body, or "" when it has none. */
    static String errorOf(WebApplicationException e) {
        try {
            JsonNode json = JSON.readTree(e.getResponse().readEntity(String.class));
            return json.path("error").isTextual() ? ": " + json.path("error").asText() : "";
        } catch (RuntimeException | IOException ignored) {
            return "";
        }
    }

    /** The root cause of a transport failure, named with its message (never a header: the token stays out). */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
