package dev.tokenbench.api;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With tokenbench.serve.read-requires-token every endpoint of every REST resource refuses a request without the
 * bearer token, with the same 401. The endpoints are found from the sources, so a new resource or method that
 * forgets the rule fails here instead of answering the world.
 */
@QuarkusTest
@TestProfile(BearerTokenTest.ReadsNeedTheToken.class)
class BearerTokenTest {
    static final String MISSING = "a bearer token is required: Authorization: Bearer <token> (one of "
            + "tokenbench.api.tokens, TOKENBENCH_API_TOKEN or tokenbench.api.token-file)";
    static final String REJECTED = "the bearer token was not accepted: it matches none of the tokens this service is "
            + "configured with (tokenbench.api.tokens, TOKENBENCH_API_TOKEN, tokenbench.api.token-file); check the "
            + "token, or ask its operator for one";
    /** What a path parameter is set to: no run has this id, so an admitted request gets a 404, never a 401. */
    static final String NO_SUCH_RUN = "no-such-run";

    public static class ReadsNeedTheToken extends ServiceTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("tokenbench.serve.read-requires-token", "true");
            return config;
        }
    }

    /** One HTTP method on one path of a resource class, path parameters filled in. */
    record Endpoint(String method, String path, Class<?> resource) {
        boolean read() {
            return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
        }

        HttpResponse<String> send(ServiceClient client, String token) throws IOException, InterruptedException {
            return switch (method) {
                case HttpMethod.GET -> client.get(path, token);
                case HttpMethod.POST -> client.post(path, token, "application/json", "{}");
                default -> throw new AssertionError("no request for " + method + " " + path + " yet: add one here");
            };
        }

        @Override
        public String toString() {
            return method + " " + path + " (" + resource.getSimpleName() + ")";
        }
    }

    @TestHTTPResource("/")
    URI base;

    /** Every resource method of every class under src/main/java that has a JAX-RS @Path (interfaces are clients). */
    static List<Endpoint> endpoints() throws Exception {
        List<Endpoint> endpoints = new ArrayList<>();
        java.nio.file.Path sources = java.nio.file.Path.of("src/main/java");
        List<java.nio.file.Path> files;
        try (Stream<java.nio.file.Path> walk = Files.walk(sources)) {
            files = walk.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        for (java.nio.file.Path file : files) {
            if (!Files.readString(file).contains("@Path(")) {
                continue;
            }
            String name = sources.relativize(file).toString().replace('/', '.').replaceAll("\\.java$", "");
            Class<?> type = Class.forName(name);
            if (type.isInterface() || !type.isAnnotationPresent(Path.class)) {
                continue;
            }
            String root = type.getAnnotation(Path.class).value();
            for (Method m : type.getDeclaredMethods()) {
                String httpMethod = httpMethodOf(m);
                if (httpMethod == null) {
                    continue;
                }
                assertTrue(Modifier.isPublic(m.getModifiers()), m + " is an endpoint");
                Path sub = m.getAnnotation(Path.class);
                String path = join(root, sub == null ? "" : sub.value()).replaceAll("\\{[^}]+}", NO_SUCH_RUN);
                endpoints.add(new Endpoint(httpMethod, path, type));
            }
        }
        return endpoints;
    }

    private static String httpMethodOf(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod h = a.annotationType().getAnnotation(HttpMethod.class);
            if (h != null) {
                return h.value();
            }
        }
        return null;
    }

    private static String join(String root, String sub) {
        String path = ("/" + root + "/" + sub).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** A 401 that tells a missing token (no token, or an empty one) from a wrong one, as RFC 6750 does. */
    static void assertRefused(HttpResponse<String> r, String token, String what) throws IOException {
        boolean missing = token == null || token.isBlank();
        assertEquals(401, r.statusCode(), what + ": " + r.body());
        assertEquals(missing ? "Bearer" : "Bearer error=\"invalid_token\"",
                r.headers().firstValue("WWW-Authenticate").orElse(null), what);
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null), what);
        assertEquals(missing ? MISSING : REJECTED, ServiceClient.json(r).path("error").asText(), what);
        assertEquals(1, ServiceClient.json(r).size(), what + ": " + r.body());
    }

    @Test
    void theSourcesHoldTheEndpointsThisTestKnows() throws Exception {
        List<String> found = endpoints().stream().map(e -> e.method() + " " + e.path()).toList();
        for (String known : new String[] {"GET /", "POST /api/runs", "POST /api/runs/import", "GET /api/runs",
                "GET /api/runs/" + NO_SUCH_RUN + "/report.md", "GET /api/history", "GET /api/schedules"}) {
            assertTrue(found.contains(known), known + " in " + found);
        }
        for (Endpoint e : endpoints()) {
            assertTrue(e.resource().isAnnotationPresent(BearerToken.class), e.resource().getName() + " has no "
                    + "@BearerToken: " + e + " would answer without the token check");
        }
    }

    @Test
    void everyEndpointRefusesARequestWithoutTheRightToken() throws Exception {
        ServiceClient client = new ServiceClient(base);
        for (Endpoint e : endpoints()) {
            for (String token : new String[] {null, "", "wrong-token", ServiceTestProfile.TOKEN + "x",
                    ServiceTestProfile.TOKEN.substring(1)}) {
                HttpResponse<String> r = e.send(client, token);
                assertRefused(r, token, e + " with token " + token);
                assertFalse(r.body().contains(ServiceTestProfile.TOKEN.substring(1)), "no token echoed: " + r.body());
            }
        }
    }

    @Test
    void theTokenOpensEveryRead() throws Exception {
        ServiceClient client = new ServiceClient(base);
        for (Endpoint e : endpoints()) {
            if (e.read()) {
                HttpResponse<String> r = e.send(client, ServiceTestProfile.TOKEN);
                assertNotEquals(401, r.statusCode(), e + ": " + r.body());
            }
        }
    }

    @Test
    void metricsNeedTheTokenAndHealthStaysOpen() throws Exception {
        ServiceClient client = new ServiceClient(base);
        for (String token : new String[] {null, "wrong-token"}) {
            HttpResponse<String> r = client.get("/q/metrics", token);
            assertEquals(401, r.statusCode(), r.body());
            if (token == null) {
                assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(null));
                assertEquals("/q/metrics needs a bearer token (tokenbench.serve.read-requires-token is on): send "
                        + "Authorization: Bearer <token>; Prometheus: authorization.credentials_file",
                        ServiceClient.json(r).path("error").asText(), r.body());
            } else {
                assertEquals("Bearer error=\"invalid_token\"", r.headers().firstValue("WWW-Authenticate").orElse(null));
                assertEquals(REJECTED, ServiceClient.json(r).path("error").asText(), r.body());
                assertFalse(r.body().contains(token), "no token echoed: " + r.body());
            }
        }
        assertEquals(200, client.get("/q/metrics", ServiceTestProfile.TOKEN).statusCode());
        assertEquals(200, client.get("/q/health/live", null).statusCode());
    }
}
