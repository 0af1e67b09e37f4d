package dev.tokenbench.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.tokenbench.config.ConfigFixtures.assertError;
import static dev.tokenbench.config.ConfigFixtures.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The loader knows no api by name: everything api-specific comes from the catalog it is given. Two made-up apis
 * show it (no provider/ class involved): their names, keys, defaults, hints and checks reach the messages.
 */
class ApiCatalogTest {
    /** Reads {@code region}, derives its base URL from it, and needs a region or a base-url. */
    private static final TargetKind REGIONAL = new TargetKind() {
        @Override
        public String name() {
            return "regional-chat";
        }

        @Override
        public List<String> keys() {
            return List.of("region");
        }

        @Override
        public boolean derivesBaseUrl() {
            return true;
        }

        @Override
        public String baseUrlFor(ProviderAccess access) {
            return access.region() == null ? null : "https://" + access.region() + ".regional.example";
        }

        @Override
        public String defaultApiVersion() {
            return "v7";
        }

        @Override
        public void checkAccess(TargetFields target, ProviderAccess access) {
            if (!target.hasBaseUrl() && access.region() == null) {
                target.problem("region", "region is required for api " + name());
            }
        }
    };
    /** Has a default base URL, an alias, a reserved param, and refuses a model written as "forbidden". */
    private static final TargetKind PLAIN = new TargetKind() {
        @Override
        public String name() {
            return "plain-chat";
        }

        @Override
        public String defaultBaseUrl() {
            return "https://plain.example/v1";
        }

        @Override
        public String hint(String lowerCaseName) {
            return "plain".equals(lowerCaseName) ? " (did you mean 'plain-chat'?)" : null;
        }

        @Override
        public String reservedParam(String key) {
            return "seed".equals(key) ? "tokenbench sets it" : null;
        }

        @Override
        public void checkModel(TargetFields target) {
            TargetKind.super.checkModel(target);
            if ("forbidden".equals(target.model())) {
                target.problem("model", "forbidden is not a model of " + name());
            }
        }
    };
    private static final ApiCatalog CATALOG = () -> List.of(REGIONAL, PLAIN);

    @TempDir
    Path dir;

    private RunPlan load(String targets) throws ConfigException {
        String yaml = "name: catalog\ntargets:\n" + targets
                + "prompts: {synthetic: {input-tokens: 8, output-tokens: 4, count: 1}}\n";
        return new BenchmarkLoader(name -> null, dir, CATALOG).load("catalog.yaml", yaml, dir);
    }

    @Test
    void defaultsComeFromTheTargetsApi() throws ConfigException {
        RunPlan plan = load("""
                  - {name: r, api: regional-chat, model: m, region: north}
                  - {name: p, api: plain-chat, model: m}
                """);
        TargetSpec regional = plan.targets().get(0);
        assertEquals("https://north.regional.example", regional.baseUrl());
        assertEquals("v7", regional.apiVersion());
        assertEquals("north", regional.access().region());
        assertEquals("https://plain.example/v1", plan.targets().get(1).baseUrl());
        assertNull(plan.targets().get(1).apiVersion());
    }

    @Test
    void everyProblemIsReportedWithTheCatalogsNamesAndTheApisOwnChecks() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("""
                  - {name: a, api: plain}
                  - {name: b, api: plain-chat, model: forbidden, region: south, params: {seed: 1}}
                  - {name: c, api: regional-chat, model: m}
                  - {name: d, api: nonesuch, model: m}
                """));
        assertError(e, "catalog.yaml", "targets[0].api", "unknown api 'plain' (did you mean 'plain-chat'?); "
                + "use one of regional-chat, plain-chat");
        assertError(e, "catalog.yaml", "targets[1].model", "forbidden is not a model of plain-chat");
        assertError(e, "catalog.yaml", "targets[1].region", "region is used by regional-chat only; remove it");
        assertError(e, "catalog.yaml", "targets[1].params.seed", "params.seed cannot be set: tokenbench sets it");
        assertError(e, "catalog.yaml", "targets[2].region", "region is required for api regional-chat");
        assertError(e, "catalog.yaml", "targets[3].api", "unknown api 'nonesuch'", "use one of regional-chat, "
                + "plain-chat");
        assertEquals(6, e.errors().size(), render(e));
    }
}
