package dev.tokenbench.config;

import dev.tokenbench.provider.ProviderRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fields only some APIs use: required where needed, refused where meaningless, defaults derived. */
class ProviderAccessConfigTest {
    private static final Map<String, String> ENV = Map.of("AZ_TOKEN", "entra-canary-1234", "BR_KEY", "bedrock-key");

    @TempDir
    Path dir;

    private RunPlan load(String target) throws ConfigException {
        String yaml = "name: access\ntargets:\n" + target
                + "prompts: {synthetic: {input-tokens: 8, output-tokens: 4, count: 1}}\n";
        return new BenchmarkLoader(ENV::get, dir, ProviderRegistry.defaults()).load("access.yaml", yaml, dir);
    }

    private String problems(String target) {
        return assertThrows(ConfigException.class, () -> load(target)).getMessage();
    }

    @Test
    void azureWithEntraTokenAndDefaultApiVersion() throws ConfigException {
        TargetSpec t = load("""
                  - {name: az, api: azure-openai, base-url: https://r.openai.azure.com, deployment: gpt-4o,
                     auth: entra, access-token: '${env:AZ_TOKEN}'}
                """).targets().get(0);
        assertEquals("entra", t.access().auth());
        assertEquals("entra-canary-1234", t.access().accessToken().reveal());
        assertEquals("2024-10-21", t.apiVersion());
    }

    @Test
    void azureEntraWithoutTokenIsAnErrorThatSaysWhatToWrite() {
        String message = problems("""
                  - {name: az, api: azure-openai, base-url: https://r.openai.azure.com, deployment: d, auth: entra}
                """);
        assertTrue(message.contains("targets[0].access-token") && message.contains("Entra"), message);
    }

    @Test
    void bedrockBaseUrlComesFromTheRegionAndSigv4IsTheDefaultWithoutAKey() throws ConfigException {
        TargetSpec t = load("""
                  - {name: br, api: bedrock-converse, region: eu-west-1, model: anthropic.claude-sonnet-4}
                """).targets().get(0);
        assertEquals("https://bedrock-runtime.eu-west-1.amazonaws.com", t.baseUrl());
        assertEquals("sigv4", t.access().auth());
        TargetSpec keyed = load("""
                  - {name: br, api: bedrock-converse, region: us-east-1, model: m, api-key: '${env:BR_KEY}'}
                """).targets().get(0);
        assertEquals("api-key", keyed.access().auth());
    }

    @Test
    void bedrockWithoutRegionOrBaseUrl() {
        String message = problems("  - {name: br, api: bedrock-converse, model: m}\n");
        assertTrue(message.contains("targets[0].region"), message);
    }

    @Test
    void vertexNeedsProjectLocationAndATokenSource() throws ConfigException {
        String message = problems("  - {name: vx, api: vertex-gemini, model: gemini-2.5-flash}\n");
        assertTrue(message.contains("project and location are required"), message);
        assertTrue(message.contains("token-command"), message);
        TargetSpec t = load("""
                  - {name: vx, api: vertex-gemini, model: gemini-2.5-flash, project: p1, location: global,
                     token-command: gcloud auth print-access-token}
                """).targets().get(0);
        assertEquals("https://aiplatform.googleapis.com", t.baseUrl());
        assertEquals(java.util.List.of("gcloud", "auth", "print-access-token"), t.access().tokenCommand());
        assertEquals("bearer", t.access().auth());
    }

    @Test
    void fieldsOfOtherApisAreRefused() {
        String message = problems("""
                  - {name: oa, api: openai-chat, model: m, region: us-east-1, auth: entra, project: p}
                """);
        assertTrue(message.contains("targets[0].region"), message);
        assertTrue(message.contains("targets[0].auth"), message);
        assertTrue(message.contains("targets[0].project"), message);
    }

    @Test
    void anthropicGetsItsVersionHeaderValue() throws ConfigException {
        TargetSpec t = load("  - {name: an, api: anthropic, model: claude-sonnet-4-5}\n").targets().get(0);
        assertEquals("2023-06-01", t.apiVersion());
        assertEquals("https://api.anthropic.com", t.baseUrl());
        assertNull(t.access().auth());
    }

    @Test
    void simulatedTargetsNeedNoCredentials() throws ConfigException {
        TargetSpec t = load("""
                  - {name: vx, api: vertex-gemini, model: g, project: p, location: us-central1, base-url: 'sim://v/x'}
                """).targets().get(0);
        assertEquals("sim://v/x", t.baseUrl());
    }
}
