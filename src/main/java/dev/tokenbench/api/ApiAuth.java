package dev.tokenbench.api;

import dev.tokenbench.serve.ServeConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.HttpMethod;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may do what, in one place. Bearer tokens come from tokenbench.api.tokens, TOKENBENCH_API_TOKEN and
 * tokenbench.api.token-file, and are compared in constant time: both sides are hashed (SHA-256, so lengths do not
 * show either) and compared with {@link MessageDigest#isEqual}, against every token, without stopping at a match.
 * The REST resources ask {@link #admits} through {@link BearerTokenFilter}; {@code /q/metrics}, which is no REST
 * resource, is guarded by a route filter registered here.
 */
@ApplicationScoped
public class ApiAuth {
    private static final String METRICS_PATH = "/q/metrics";
    private static final String BEARER = "Bearer ";
    /** Before the routes, after nothing else of ours. */
    private static final int METRICS_FILTER_PRIORITY = 100;
    private static final String METRICS_REFUSAL = ApiJson.write(new ApiJson.ErrorMessage(METRICS_PATH
            + " needs a bearer token (tokenbench.serve.read-requires-token is on): send Authorization: Bearer <token>; "
            + "Prometheus: authorization.credentials_file"));
    private final ServeConfig config;
    private List<byte[]> digests;

    public ApiAuth(ServeConfig config) {
        this.config = config;
    }

    private synchronized List<byte[]> digests() {
        if (digests == null) {
            List<byte[]> list = new ArrayList<>();
            config.api().tokens().ifPresent(tokens -> tokens.forEach(t -> addToken(list, t)));
            config.apiToken().ifPresent(t -> addToken(list, t));
            config.api().tokenFile().ifPresent(file -> {
                try {
                    Files.readAllLines(file, StandardCharsets.UTF_8).forEach(t -> addToken(list, t));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read tokenbench.api.token-file " + file + ": "
                            + e.getMessage(), e);
                }
            });
            digests = List.copyOf(list);
        }
        return digests;
    }

    private static void addToken(List<byte[]> list, String token) {
        if (token != null && !token.isBlank()) {
            list.add(sha256(token.strip()));
        }
    }

    /**
     * What the service makes of a request's Authorization header. A caller without a token and a caller with a wrong
     * one get different answers (RFC 6750: a missing token is a plain challenge, a wrong one is invalid_token); which
     * of the configured tokens came close is never told, and the presented token is never echoed.
     */
    public enum Verdict {
        ADMITTED(null, "Bearer"),
        MISSING("a bearer token is required: Authorization: Bearer <token> (one of tokenbench.api.tokens, "
                + "TOKENBENCH_API_TOKEN or tokenbench.api.token-file)", "Bearer"),
        REJECTED("the bearer token was not accepted: it matches none of the tokens this service is configured with "
                + "(tokenbench.api.tokens, TOKENBENCH_API_TOKEN, tokenbench.api.token-file); check the token, or ask "
                + "its operator for one", "Bearer error=\"invalid_token\""),
        NONE_CONFIGURED("this service has no API token configured, so it accepts no bearer token: its operator sets "
                + "one of tokenbench.api.tokens, TOKENBENCH_API_TOKEN or tokenbench.api.token-file", "Bearer");

        private final String message;
        private final String challenge;

        Verdict(String message, String challenge) {
            this.message = message;
            this.challenge = challenge;
        }

        public boolean admitted() {
            return this == ADMITTED;
        }

        /** The refusal's one-line reason; null when admitted. */
        public String message() {
            return message;
        }

        /** The WWW-Authenticate header of the refusal. */
        public String challenge() {
            return challenge;
        }
    }

    /** The verdict on an Authorization header: missing, rejected (no configured token matches) or admitted. */
    private Verdict judge(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || authorization.substring(BEARER.length()).isBlank()) {
            return Verdict.MISSING;
        }
        List<byte[]> accepted = digests();
        if (accepted.isEmpty()) {
            return Verdict.NONE_CONFIGURED;
        }
        byte[] presented = sha256(authorization.substring(BEARER.length()).strip());
        boolean match = false;
        for (byte[] digest : accepted) {
            match |= MessageDigest.isEqual(digest, presented);
        }
        return match ? Verdict.ADMITTED : Verdict.REJECTED;
    }

    /**
     * Whether a REST request with this HTTP method may reach its endpoint, and if not, why: a read (GET, HEAD) needs
     * the token only with tokenbench.serve.read-requires-token; anything else starts or stores a run (costs money,
     * writes history) and always needs it. OPTIONS only lists the methods a path has.
     */
    public Verdict admits(String httpMethod, String authorization) {
        return switch (httpMethod) {
            case HttpMethod.GET, HttpMethod.HEAD -> config.serve().readRequiresToken() ? judge(authorization)
                    : Verdict.ADMITTED;
            case HttpMethod.OPTIONS -> Verdict.ADMITTED;
            default -> judge(authorization);
        };
    }

    /**
     * With tokenbench.serve.read-requires-token, {@code /q/metrics} needs the bearer token as the read endpoints
     * do: its labels name every target, model and region. {@code /q/health} stays open for the platform's probes.
     */
    void guardMetrics(@Observes Filters filters) {
        if (!config.serve().readRequiresToken()) {
            return;
        }
        filters.register(rc -> {
            String path = rc.normalizedPath();
            if (path.equals(METRICS_PATH) || path.startsWith(METRICS_PATH + "/")) {
                Verdict verdict = judge(rc.request().getHeader(HttpHeaders.AUTHORIZATION));
                if (!verdict.admitted()) {
                    rc.response().setStatusCode(401).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                            .putHeader("WWW-Authenticate", verdict.challenge())
                            .end(verdict == Verdict.MISSING ? METRICS_REFUSAL
                                    : ApiJson.write(new ApiJson.ErrorMessage(verdict.message())));
                    return;
                }
            }
            rc.next();
        }, METRICS_FILTER_PRIORITY);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
