package dev.tokenbench.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.sim.SimScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.tokenbench.config.ConfigFixtures.SUPPORTED;
import static dev.tokenbench.config.ConfigFixtures.dir;
import static dev.tokenbench.config.ConfigFixtures.loader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchmarkLoaderTest {
    private static final Map<String, String> ENV = Map.of(
            "OPENAI_API_KEY", "sk-test-openai-secret",
            "VLLM_HOST", "gpu-box.internal:8000");

    @Test
    void fullFileBecomesThePlanItDescribes() throws Exception {
        RunPlan plan = loader(ENV).load(Path.of("valid-full.yaml"));

        assertEquals("full-example", plan.name());
        assertEquals("valid-full.yaml", plan.sourceFile());
        assertEquals(List.of("openai", "vllm-local", "sim-fast"), plan.targets().stream().map(TargetSpec::name).toList());

        TargetSpec openai = plan.targets().get(0);
        assertEquals("openai-chat", openai.api());
        assertEquals("https://api.openai.com/v1", openai.baseUrl(), "one trailing slash stripped");
        assertEquals("gpt-4.1-mini", openai.model());
        assertNull(openai.deployment());
        assertNull(openai.apiVersion());
        assertEquals("sk-test-openai-secret", openai.apiKey().reveal());
        assertEquals("env:OPENAI_API_KEY", openai.apiKey().source());
        assertEquals(new Pricing(0.40, 1.60), openai.pricing());
        assertEquals(Map.of("cloud", "openai", "region", "us-east", "tier", "2"), openai.labels());
        assertEquals(List.of("cloud", "region", "tier"), List.copyOf(openai.labels().keySet()), "file order kept");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("team", "perf");
        metadata.put("tags", List.of("a", "b"));
        metadata.put("retry", true);
        metadata.put("note", null);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("temperature", 0);
        params.put("reasoning_effort", "low");
        params.put("top_p", 0.9);
        params.put("stop", List.of("\n\n", "END"));
        params.put("metadata", metadata);
        assertEquals(params, openai.params());
        assertEquals(List.copyOf(params.keySet()), List.copyOf(openai.params().keySet()), "file order kept");
        assertEquals(300, openai.maxOutputTokens());
        assertEquals("max_tokens", openai.maxTokensField());
        assertEquals("cl100k_base", openai.tokenizer());
        assertEquals(300, plan.maxOutputTokensFor(openai));

        TargetSpec vllm = plan.targets().get(1);
        assertEquals("http://gpu-box.internal:8000/v1", vllm.baseUrl(), "embedded reference resolved");
        assertEquals("vllm-file-secret-value", vllm.apiKey().reveal(), "file read, trailing newline stripped");
        assertEquals("file:secrets/vllm-key.txt", vllm.apiKey().source());
        assertEquals(Pricing.NONE, vllm.pricing());
        assertEquals(Map.of(), vllm.labels());
        assertEquals(Map.of(), vllm.params());
        assertNull(vllm.maxOutputTokens());
        assertEquals(500, plan.maxOutputTokensFor(vllm), "file-wide cap applies");
        assertEquals("max_completion_tokens", vllm.maxTokensField());
        assertEquals("o200k_base", vllm.tokenizer());

        TargetSpec sim = plan.targets().get(2);
        assertEquals("sim://fast/v1", sim.baseUrl());
        assertEquals("literal-key-123", sim.apiKey().reveal());
        assertEquals("inline", sim.apiKey().source());

        PromptSet prompts = plan.prompts();
        assertEquals("full-prompts", prompts.name());
        assertEquals("prompts/full-prompts.yaml", prompts.source());
        assertEquals(List.of(
                new Prompt("hello", "You are terse.", "Say hello.", 5),
                new Prompt("poem", "You are a poet.", "Write a poem about ${HOME} directories.", null),
                new Prompt("plain", null, "Answer without a system prompt.", null)), prompts.prompts(),
                "prompt text is sent as written: no reference resolution in prompt files");

        assertEquals(new LoadSpec("closed", 4, 12, 1, Duration.ofMillis(1500), Duration.ofMillis(500)), plan.load());
        assertEquals(500, plan.maxOutputTokens());
        assertEquals(new SloSpec(Duration.ofSeconds(2), 25.5), plan.slo());
        assertEquals("vllm-local", plan.baseline());

        assertEquals(List.of("fast", "idle"), List.copyOf(plan.simulator().scenarios().keySet()));
        assertEquals(SimScenario.builder()
                .name("fast")
                .headersDelay(Duration.ofMillis(5))
                .ttft(Duration.ofMillis(100))
                .tokensPerSecond(200)
                .jitter(0.1)
                .tokensPerChunk(2)
                .outputTokens(64)
                .includeUsage(false)
                .slowShare(0.05)
                .slowTtft(Duration.ofMinutes(2))
                .slowTokensPerSecond(1.5)
                .seed(42)
                .build(), plan.simulator().scenarios().get("fast"));
        assertEquals(SimScenario.defaults("idle"), plan.simulator().scenarios().get("idle"));
    }

    @Test
    void redactedConfigHidesKeysAndEveryReferencedValue() throws Exception {
        RunPlan plan = loader(ENV).load(Path.of("valid-full.yaml"));
        ObjectNode redacted = plan.redactedConfig();

        assertEquals("***", redacted.at("/targets/0/api-key").asText());
        assertEquals("***", redacted.at("/targets/1/api-key").asText());
        assertEquals("***", redacted.at("/targets/2/api-key").asText(), "a literal key is redacted too");
        assertEquals("***", redacted.at("/targets/1/base-url").asText(), "a value holding a reference");
        assertEquals("https://api.openai.com/v1/", redacted.at("/targets/0/base-url").asText(), "as written");
        assertEquals("gpt-4.1-mini", redacted.at("/targets/0/model").asText());
        assertEquals("1.5s", redacted.at("/load/timeout").asText());

        String everything = redacted.toString() + plan;
        for (String secret : List.of("sk-test-openai-secret", "vllm-file-secret-value", "literal-key-123")) {
            assertFalse(everything.contains(secret), "leaked " + secret);
        }
        assertFalse(redacted.toString().contains("gpu-box.internal"), "a referenced value, even in a URL");
    }

    @Test
    void minimalFileGetsTheDocumentedDefaults() throws Exception {
        RunPlan plan = loader(Map.of()).load(Path.of("minimal.yaml"));

        assertEquals("minimal", plan.name(), "file name without extension");
        TargetSpec only = plan.targets().get(0);
        assertEquals("https://api.openai.com/v1", only.baseUrl());
        assertNull(only.apiKey());
        assertEquals(Pricing.NONE, only.pricing());
        assertEquals("max_completion_tokens", only.maxTokensField());
        assertEquals("o200k_base", only.tokenizer());
        assertEquals(new LoadSpec("closed", 1, 10, 0, Duration.ofSeconds(60), Duration.ofSeconds(15)), plan.load());
        assertNull(plan.maxOutputTokens());
        assertEquals(0, plan.maxOutputTokensFor(only));
        assertSame(SloSpec.DEFAULT, plan.slo());
        assertEquals("only", plan.baseline(), "first target");
        assertNull(plan.simulator(), "no sim:// target and no simulator block");

        assertEquals("synthetic(input-tokens=20, output-tokens=10, count=8, seed=1)", plan.prompts().source());
        assertEquals(8, plan.prompts().prompts().size());
        assertEquals("synthetic-1", plan.prompts().prompts().get(0).id());
        assertEquals(10, plan.prompts().prompts().get(7).expectedOutputTokens());
    }

    @Test
    void sweepsSearchesRetriesBudgetAndPromptOrderBecomeTheLoadTheyDescribe() throws Exception {
        String head = """
                targets: [{name: t, api: openai-chat, model: m}]
                prompts: {synthetic: {input-tokens: 5, output-tokens: 5}}
                """;
        LoadSpec sweep = loader(Map.of()).load("s.yaml", head + """
                load: {mode: sweep, concurrency: [1, 4, 16], duration: 30s}
                """, null).load();
        assertEquals(LoadSpec.Steps.sweep("concurrency", List.of(1.0, 4.0, 16.0)), sweep.steps());
        assertEquals(Duration.ofSeconds(30), sweep.duration());
        assertEquals(LoadSpec.UNBOUNDED, sweep.requests(), "duration alone bounds each step");
        assertEquals(16, sweep.maxInFlight());

        LoadSpec rates = loader(Map.of()).load("r.yaml", head + """
                load: {mode: sweep, rate: [0.5, 2], arrival: poisson, seed: 9, concurrency: 50, requests: 20}
                """, null).load();
        assertEquals(LoadSpec.Steps.sweep("rate", List.of(0.5, 2.0)), rates.steps());
        assertEquals(new LoadSpec.OpenLoop(1, "poisson", 9), rates.open(), "arrival and seed; the rate is stepped");
        assertEquals(50, rates.maxInFlight());

        LoadSpec search = loader(Map.of()).load("q.yaml", head + """
                load:
                  mode: search
                  concurrency: {min: 1, max: 64}
                  goodput: 0.9
                  requests: 12
                  retries: {max: 2, backoff: 200ms, max-backoff: 2s, retry-after: false}
                  budget: 2.5
                  prompt-order: sample
                  prompt-seed: 7
                  random-prefix: true
                """, null).load();
        assertEquals(LoadSpec.Steps.search("concurrency", 1, 64, 0.9, 12, 0.1), search.steps());
        assertEquals(new LoadSpec.Retries(2, Duration.ofMillis(200), Duration.ofSeconds(2), false), search.retries());
        assertEquals(2.5, search.budgetUsd());
        assertEquals(new LoadSpec.PromptOrder("sample", 7, true), search.prompts());
        assertEquals(64, search.maxInFlight());
    }

    @Test
    void dropLaggedIsADurationAndAbsentMeansNone() throws Exception {
        String head = """
                targets: [{name: t, api: openai-chat, model: m}]
                prompts: {synthetic: {input-tokens: 5, output-tokens: 5}}
                """;
        assertEquals(Duration.ofMillis(20), loader(Map.of()).load("d.yaml", head + """
                load: {concurrency: 2, drop-lagged: 20ms}
                """, null).load().dropLagged());
        assertEquals(Duration.ofNanos(1_500_000_000L), loader(Map.of()).load("d.yaml", head + """
                load: {mode: sweep, concurrency: [1, 2], drop-lagged: 1.5s}
                """, null).load().dropLagged(), "any load mode");
        assertEquals(Duration.ZERO, loader(Map.of()).load("d.yaml", head + """
                load: {drop-lagged: 0s}
                """, null).load().dropLagged(), "0s: keep every request, as --drop-lagged 0");
        assertNull(loader(Map.of()).load("d.yaml", head + "load: {concurrency: 2}\n", null).load().dropLagged());
    }

    @Test
    void simTargetsWithoutASimulatorBlockGetDefaultScenarios() throws Exception {
        String yaml = """
                targets:
                  - {name: a, api: openai-chat, model: m, base-url: sim://alpha/v1}
                  - {name: b, api: openai-chat, model: m, base-url: "sim://beta/v1/"}
                prompts: {synthetic: {input-tokens: 5, output-tokens: 5, count: 2}}
                """;
        RunPlan plan = loader(Map.of()).load("inline.yaml", yaml, null);
        assertEquals(Map.of("alpha", SimScenario.defaults("alpha"), "beta", SimScenario.defaults("beta")),
                plan.simulator().scenarios());
        assertEquals("sim://beta/v1", plan.targets().get(1).baseUrl());
    }

    @Test
    void numbersDurationsAndUrlsMayComeFromTheEnvironment() throws Exception {
        String yaml = """
                targets:
                  - {name: t, api: openai-chat, model: "${env:MODEL}", base-url: "https://${env:HOST}/v1/"}
                prompts: {synthetic: {input-tokens: 5, output-tokens: 5, count: "${env:COUNT}"}}
                load: {concurrency: "${env:CONCURRENCY}", timeout: "${env:TIMEOUT}"}
                """;
        Map<String, String> env = Map.of("MODEL", "gpt-4o", "HOST", "proxy.example", "COUNT", "3",
                "CONCURRENCY", "16", "TIMEOUT", "90s");
        RunPlan plan = loader(env).load("inline.yaml", yaml, null);
        assertEquals("gpt-4o", plan.targets().get(0).model());
        assertEquals("https://proxy.example/v1", plan.targets().get(0).baseUrl());
        assertEquals(3, plan.prompts().prompts().size());
        assertEquals(16, plan.load().concurrency());
        assertEquals(Duration.ofSeconds(90), plan.load().timeout());
        assertEquals("***", plan.redactedConfig().at("/targets/0/model").asText());
        assertEquals("***", plan.redactedConfig().at("/load/concurrency").asText());
    }

    @Test
    void bundledDemoLoadsWithItsPromptFileFromTheWorkingDirectory() throws Exception {
        Path projectRoot = Path.of("").toAbsolutePath();
        assertTrue(Files.isRegularFile(projectRoot.resolve("seeds/demo-prompts.yaml")), "run from the project root");
        RunPlan plan = new BenchmarkLoader(name -> null, projectRoot, ProviderRegistry.defaults()).load(Path.of("seeds/demo.yaml"));

        assertEquals("seeds/demo-prompts.yaml", plan.prompts().source());
        assertDemo(plan);
    }

    @Test
    void bundledDemoLoadsWithItsPromptFileFromTheClasspath(@TempDir Path emptyWorkingDir) throws Exception {
        RunPlan plan = new BenchmarkLoader(name -> null, emptyWorkingDir, ProviderRegistry.defaults()).loadBundledDemo();

        assertEquals(BenchmarkLoader.DEMO_DISPLAY_NAME, plan.sourceFile());
        assertEquals("seeds/demo-prompts.yaml (bundled)", plan.prompts().source());
        assertDemo(plan);
    }

    private static void assertDemo(RunPlan plan) {
        assertEquals("demo", plan.name());
        assertEquals(List.of("openai-direct", "azure-degraded", "bedrock-middle"),
                plan.targets().stream().map(TargetSpec::name).toList());
        assertEquals(List.of("sim://direct/v1", "sim://azure-degraded", "sim://bedrock"),
                plan.targets().stream().map(TargetSpec::baseUrl).toList());
        assertEquals(List.of("openai-chat", "azure-openai", "bedrock-converse"),
                plan.targets().stream().map(TargetSpec::api).toList());
        assertEquals("gpt-4.1-mini", plan.targets().get(1).deployment());
        assertEquals("openai.gpt-oss-120b-1:0", plan.targets().get(2).model());
        assertEquals(List.of("openai", "azure", "aws"),
                plan.targets().stream().map(t -> t.labels().get("cloud")).toList());
        for (TargetSpec target : plan.targets()) {
            assertEquals(new Pricing(0.40, 1.60), target.pricing());
            assertTrue(target.labels().containsKey("region"));
            assertNull(target.apiKey());
        }
        assertEquals(4, plan.prompts().prompts().size());
        assertEquals(new LoadSpec("closed", 4, 20, 2, Duration.ofSeconds(60), Duration.ofSeconds(30)), plan.load());
        assertEquals("gpt-4.1-mini", plan.targets().get(0).model());
        assertEquals(24, plan.maxOutputTokens());
        assertEquals(new SloSpec(Duration.ofSeconds(10), 20), plan.slo());
        assertEquals("openai-direct", plan.baseline());

        SimScenario direct = plan.simulator().scenarios().get("direct");
        assertEquals(Duration.ofMillis(350), direct.ttft());
        assertEquals(75, direct.tokensPerSecond());
        assertEquals(0.2, direct.jitter());
        SimScenario azure = plan.simulator().scenarios().get("azure-degraded");
        assertEquals(Duration.ofMillis(1200), azure.ttft());
        assertEquals(30, azure.tokensPerSecond());
        assertEquals(0.1, azure.slowShare());
        assertEquals(Duration.ofSeconds(4), azure.slowTtft());
        assertEquals(1.2, azure.slowTokensPerSecond());
        SimScenario bedrock = plan.simulator().scenarios().get("bedrock");
        assertEquals(Duration.ofMillis(600), bedrock.ttft());
        assertEquals(45, bedrock.tokensPerSecond());
    }

    @Test
    void bundledAzureBenchPromptSetIsValid() throws Exception {
        String yaml = """
                targets: [{name: t, api: openai-chat, model: m}]
                prompts: seeds/azure-bench.yaml
                """;
        RunPlan plan = new BenchmarkLoader(name -> null, Path.of("").toAbsolutePath(), SUPPORTED)
                .load("inline.yaml", yaml, null);
        List<Prompt> prompts = plan.prompts().prompts();
        assertEquals("azure-bench", plan.prompts().name());
        assertTrue(prompts.size() >= 8);
        assertTrue(prompts.stream().allMatch(p -> p.system() != null && p.expectedOutputTokens() != null));
        int[] lengths = prompts.stream().mapToInt(p -> p.user().length()).sorted().toArray();
        assertTrue(lengths[lengths.length - 1] > 5 * lengths[0], "varied lengths: " + Arrays.toString(lengths));
    }

    @Test
    void restBodiesResolveRelativePathsAgainstTheWorkingDirectory() throws Exception {
        String yaml = """
                targets: [{name: t, api: openai-chat, model: m, api-key: "${file:secrets/vllm-key.txt}"}]
                prompts: prompts/full-prompts.yaml
                """;
        RunPlan plan = loader(Map.of()).load("(request body)", yaml, null);
        assertEquals("prompts/full-prompts.yaml", plan.prompts().source());
        assertEquals("vllm-file-secret-value", plan.targets().get(0).apiKey().reveal());
        assertEquals("(request body)", plan.name());
    }

    @Test
    void relativePathsStartAtTheBenchmarkFilesDirectory(@TempDir Path elsewhere) throws Exception {
        // The working directory holds nothing: the prompt file and the secret are found next to the benchmark.
        BenchmarkLoader loader = new BenchmarkLoader(ENV::get, elsewhere, SUPPORTED);
        RunPlan plan = loader.load(dir().resolve("valid-full.yaml").toAbsolutePath());
        assertEquals(dir().resolve("prompts/full-prompts.yaml").toString(), plan.prompts().source());
    }
}
