package dev.tokenbench.api;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.nio.file.Path;
import java.util.Map;

/**
 * The service as {@code serve} runs it: HTTP on (a random port), a token, a fresh data directory. Without its
 * warm-up before each run (up to 2 s each, the rest of the service's behaviour unchanged): the tests of this profile
 * post many runs. {@link ServiceSelfWarmTest} runs the service with it, as deployed.
 */
public class ServiceTestProfile implements QuarkusTestProfile {
    public static final String TOKEN = "test-token-0123456789";

    @Override
    public Map<String, String> getConfigOverrides() {
        Path data = Path.of("target", "service-test-" + getClass().getSimpleName() + "-" + System.nanoTime());
        return Map.of("quarkus.http.host-enabled", "true",
                "tokenbench.serve.enabled", "true",
                "tokenbench.api.tokens", TOKEN,
                "tokenbench.store.data-dir", data.toString(),
                "tokenbench.serve.benchmarks-dir", "src/test/resources/serve/benchmarks",
                "tokenbench.probe.name", "central",
                "tokenbench.probe.region", "eu-test",
                "tokenbench.serve.self-warm", "0s");
    }
}
