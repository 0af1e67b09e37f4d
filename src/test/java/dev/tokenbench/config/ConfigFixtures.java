package dev.tokenbench.config;

import dev.tokenbench.provider.ProviderRegistry;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Fixture files under src/test/resources/config and assertions on the errors they produce. */
final class ConfigFixtures {
    static final ApiCatalog SUPPORTED = ProviderRegistry.defaults();

    private ConfigFixtures() {
    }

    static Path dir() {
        try {
            return Path.of(ConfigFixtures.class.getResource("/config").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A loader whose working directory is the fixtures directory, with exactly {@code env} set. */
    static BenchmarkLoader loader(Map<String, String> env) {
        return new BenchmarkLoader(env::get, dir(), SUPPORTED);
    }

    static ConfigException failsToLoad(String fixture, Map<String, String> env) {
        return assertThrows(ConfigException.class, () -> loader(env).load(Path.of(fixture)));
    }

    static ConfigException failsToLoad(String fixture) {
        return failsToLoad(fixture, Map.of());
    }

    /** The one error at {@code field} of {@code file}; its fix must contain every fragment. */
    static ConfigError assertError(ConfigException e, String file, String field, String... fixFragments) {
        ConfigError match = e.errors().stream()
                .filter(error -> error.file().equals(file) && error.field().equals(field))
                .findFirst()
                .orElseGet(() -> fail("no error at " + file + ": " + field + " among\n" + render(e)));
        for (String fragment : fixFragments) {
            assertTrue(match.fix().contains(fragment),
                    "error at " + field + " should contain \"" + fragment + "\" but was: " + match.fix());
        }
        return match;
    }

    static String render(ConfigException e) {
        return e.errors().stream().map(ConfigError::toString).collect(Collectors.joining("\n"));
    }
}
