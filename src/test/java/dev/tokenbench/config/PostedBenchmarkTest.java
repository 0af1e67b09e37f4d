package dev.tokenbench.config;

import dev.tokenbench.provider.ProviderRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.tokenbench.config.ConfigFixtures.assertError;
import static dev.tokenbench.config.ConfigFixtures.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A benchmark posted to the service is untrusted data: it runs no command, reads no environment variable or file
 * of the host, opens prompt files only inside the service's directory, and reaches the service's credentials only
 * by name, for their hosts. Each case is the hostile input an API token holder could send.
 */
class PostedBenchmarkTest {
    private static final String SERVER_SECRET = "tbservercanary0123456789abcdef";

    private static PostedPolicy policy(Path dir, List<String> allowedHosts) {
        return new PostedPolicy(Map.of(
                "openai", new PostedPolicy.NamedCredential("sk-named-credential-0123456789", List.of("127.0.0.1")),
                "any", new PostedPolicy.NamedCredential("any-host-credential-0123456789", List.of())),
                dir, allowedHosts);
    }

    private static RunPlan load(Path dir, String yaml) throws ConfigException {
        return BenchmarkLoader.forPosted(policy(dir, List.of()), ProviderRegistry.defaults())
                .load("request body", yaml, dir);
    }

    private static ConfigException refused(Path dir, String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(dir, yaml));
        assertFalse(render(e).contains(SERVER_SECRET), render(e));
        return e;
    }

    private static String target(String fields) {
        return "name: posted\ntargets:\n  - {name: t, api: openai-chat, " + fields + "}\n"
                + "prompts: {synthetic: {input-tokens: 10, output-tokens: 5}}\n";
    }

    @Test
    void aTokenCommandIsRefused(@TempDir Path dir) {
        ConfigException e = refused(dir, """
                name: posted
                targets:
                  - {name: v, api: vertex-gemini, model: m, project: p, location: us-central1,
                     token-command: [sh, -c, "id > marker; echo tok"]}
                prompts: {synthetic: {input-tokens: 10, output-tokens: 5}}
                """);
        assertError(e, "request body", "targets[0].token-command", "runs no command", "${credential:NAME}");
    }

    @Test
    void environmentAndFileReferencesAreRefusedInEveryField(@TempDir Path dir) throws Exception {
        Path secretFile = dir.resolve("server-secret");
        Files.writeString(secretFile, SERVER_SECRET);
        ConfigException e = refused(dir, target("model: 'm-${env:TOKENBENCH_API_TOKEN}', "
                + "api-key: '${file:" + secretFile + "}', base-url: 'http://127.0.0.1:9/v1', "
                + "labels: {k: '${env:HOME}'}"));
        assertError(e, "request body", "targets[0].model", "cannot be used in a benchmark posted to the service");
        assertError(e, "request body", "targets[0].api-key", "${credential:NAME}");
        assertError(e, "request body", "targets[0].labels.k", "environment or files");
    }

    @Test
    void aNamedCredentialFillsAnApiKeyAndCountsAsSecret(@TempDir Path dir) throws Exception {
        RunPlan plan = load(dir, target("model: m, api-key: '${credential:openai}', base-url: 'http://127.0.0.1:9/v1'"));
        assertEquals("sk-named-credential-0123456789", plan.targets().get(0).apiKey().reveal());
        assertEquals("credential:openai", plan.targets().get(0).apiKey().source());
        assertEquals("error: ***", plan.secrets().scrub("error: sk-named-credential-0123456789"));
        assertEquals("***", plan.redactedConfig().path("targets").path(0).path("api-key").asText());
    }

    @Test
    void aNamedCredentialGoesOnlyToItsHostsAndOnlyIntoCredentialFields(@TempDir Path dir) {
        ConfigException e = refused(dir, target("model: '${credential:any}', api-key: '${credential:openai}', "
                + "base-url: 'https://collector.example/v1'"));
        assertError(e, "request body", "targets[0].api-key", "is for 127.0.0.1 only, not collector.example");
        assertError(e, "request body", "targets[0].model", "only be used as api-key or access-token");
        ConfigException unknown = refused(dir, target("model: m, api-key: '${credential:nope}', "
                + "base-url: 'http://127.0.0.1:9/v1'"));
        assertError(unknown, "request body", "targets[0].api-key", "no credential named 'nope'", "any, openai");
    }

    @Test
    void promptFilesComeOnlyFromTheServicesDirectory(@TempDir Path dir) throws Exception {
        Path inside = Files.createDirectories(dir.resolve("benchmarks"));
        Files.writeString(inside.resolve("mine.yaml"), "prompts:\n  - {id: a, text: hello}\n");
        Files.writeString(dir.resolve("outside.yaml"), "prompts:\n  - {id: b, text: " + SERVER_SECRET + "}\n");
        Files.createSymbolicLink(inside.resolve("link.yaml"), dir.resolve("outside.yaml"));
        String body = "name: p\ntargets: [{name: t, api: openai-chat, model: m, base-url: 'sim://s/v1'}]\n"
                + "simulator: {scenarios: {s: {ttft: 10ms}}}\nprompts: ";
        RunPlan ok = load(inside, body + "mine.yaml\n");
        assertEquals("hello", ok.prompts().prompts().get(0).user());
        RunPlan bundled = load(inside, body + "seeds/azure-bench.yaml\n");
        assertFalse(bundled.prompts().prompts().isEmpty());
        for (String hostile : List.of("/etc/passwd", "../outside.yaml", "link.yaml", dir.resolve("outside.yaml")
                .toString(), "seeds/../../outside.yaml")) {
            ConfigException e = refused(inside, body + "'" + hostile + "'\n");
            assertError(e, "request body", "prompts", "is not in the service's prompt directory");
            assertFalse(render(e).contains("root:"), render(e));
            assertFalse(render(e).contains(dir.toString()) && !hostile.contains(dir.toString()), render(e));
        }
    }

    @Test
    void metadataAddressesInAnySpellingAreNeverATarget(@TempDir Path dir) {
        for (String host : List.of("169.254.169.254", "2852039166", "0xA9FEA9FE", "0251.0376.0251.0376",
                "metadata.google.internal", "[fe80::1]", "[::ffff:169.254.169.254]")) {
            ConfigException e = refused(dir, target("model: m, base-url: 'http://" + host + "/v1'"));
            assertError(e, "request body", "targets[0].base-url", "metadata");
        }
    }

    @Test
    void allowedHostsLimitWherePostedTargetsGo(@TempDir Path dir) throws Exception {
        BenchmarkLoader loader = BenchmarkLoader.forPosted(policy(dir, List.of("api.openai.com", "*.openai.azure.com")),
                ProviderRegistry.defaults());
        loader.load("b", target("model: m"), dir); // the default base-url, api.openai.com
        loader.load("b", target("model: m, base-url: 'https://eastus.openai.azure.com/v1'"), dir);
        loader.load("b", "name: s\ntargets: [{name: t, api: openai-chat, model: m, base-url: 'sim://s/v1'}]\n"
                + "simulator: {scenarios: {s: {ttft: 10ms}}}\nprompts: {synthetic: {input-tokens: 10, "
                + "output-tokens: 5}}\n", dir);
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load("b",
                target("model: m, base-url: 'https://openai.azure.com.evil.example/v1'"), dir));
        assertError(e, "b", "targets[0].base-url", "not among the service's allowed hosts");
    }

    @Test
    void sigv4AndPushGatewayAreRefused(@TempDir Path dir) {
        ConfigException e = refused(dir, """
                name: p
                push-gateway: http://127.0.0.1:9091
                targets: [{name: b, api: bedrock-converse, model: m, region: us-east-1}]
                prompts: {synthetic: {input-tokens: 10, output-tokens: 5}}
                """);
        assertError(e, "request body", "targets[0].auth", "AWS credentials");
        assertError(e, "request body", "push-gateway", "/q/metrics");
    }

    @Test
    void theCliRefusesNamedCredentialsAndNamesFromReferences(@TempDir Path dir) {
        BenchmarkLoader cli = new BenchmarkLoader(Map.of("N", "x")::get, dir, ProviderRegistry.defaults());
        ConfigException e = assertThrows(ConfigException.class, () -> cli.load("f.yaml",
                "name: '${env:N}'\n" + target("model: m, api-key: '${credential:openai}'")
                        .substring("name: posted\n".length()), dir));
        assertError(e, "f.yaml", "name", "cannot come from");
        assertError(e, "f.yaml", "targets[0].api-key", "in a benchmark file write ${env:NAME}");
    }

    @Test
    void aMultiLineOrControlCharacterSecretIsAConfigErrorThatNeverShowsIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("key"), SERVER_SECRET + "\nsecond-line-" + SERVER_SECRET + "\n");
        BenchmarkLoader cli = new BenchmarkLoader(Map.of("K", "ab\u0007" + SERVER_SECRET)::get, dir,
                ProviderRegistry.defaults());
        ConfigException e = assertThrows(ConfigException.class, () -> cli.load("f.yaml", target(
                "model: m, api-key: '${file:key}'"), dir));
        assertError(e, "f.yaml", "targets[0].api-key", "a line break", "from file:key", "one header line");
        ConfigException bell = assertThrows(ConfigException.class, () -> cli.load("f.yaml", """
                name: p
                targets: [{name: a, api: azure-openai, deployment: d, base-url: 'https://x.openai.azure.com',
                           auth: entra, access-token: '${env:K}'}]
                prompts: {synthetic: {input-tokens: 10, output-tokens: 5}}
                """, dir));
        assertError(bell, "f.yaml", "targets[0].access-token", "a control character", "from env:K");
        assertFalse(render(e).contains(SERVER_SECRET) || render(bell).contains(SERVER_SECRET));
    }

    @Test
    void aPasswordInTheBaseUrlIsRefusedWithoutQuotingIt(@TempDir Path dir) {
        BenchmarkLoader cli = new BenchmarkLoader(n -> null, dir, ProviderRegistry.defaults());
        ConfigException e = assertThrows(ConfigException.class, () -> cli.load("f.yaml",
                target("model: m, base-url: 'http://user:" + SERVER_SECRET + "@127.0.0.1:9/v1'"), dir));
        assertError(e, "f.yaml", "targets[0].base-url", "user name or password");
        assertFalse(render(e).contains(SERVER_SECRET), render(e));
        ConfigException bad = assertThrows(ConfigException.class, () -> cli.load("f.yaml",
                target("model: m, base-url: 'http://user:" + SERVER_SECRET + "@127.0.0.1:9/v 1'"), dir));
        assertFalse(render(bad).contains(SERVER_SECRET), render(bad));
    }

    @Test
    void everyValueFromAReferenceIsSecretInEveryOutput(@TempDir Path dir) throws Exception {
        String modelCanary = "tbmodelcanary0123456789";
        BenchmarkLoader cli = new BenchmarkLoader(Map.of("M", modelCanary, "R", "eu")::get, dir,
                ProviderRegistry.defaults());
        RunPlan plan = cli.load("f.yaml", target("model: '${env:M}', base-url: 'http://127.0.0.1:9/v1', "
                + "labels: {region: '${env:R}', cloud: vllm}"), dir);
        assertEquals(modelCanary, plan.targets().get(0).model(), "sent as the file says");
        TargetSpec shown = plan.secrets().displayed(plan.targets().get(0));
        assertEquals("***", shown.model());
        assertEquals("***", shown.labels().get("region"), "a short value is replaced where it is the whole field");
        assertEquals("vllm", shown.labels().get("cloud"));
        assertEquals("model &quot;***&quot; said: a \\\"***\\\" %2F***",
                plan.secrets().scrub("model &quot;" + modelCanary + "&quot; said: a \\\"" + modelCanary + "\\\" %2F"
                        + modelCanary));
        assertTrue(plan.secrets().scrub("the region is europe").contains("europe"), "short values: whole only");
    }
}
