package dev.tokenbench.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.tokenbench.config.ConfigFixtures.assertError;
import static dev.tokenbench.config.ConfigFixtures.failsToLoad;
import static dev.tokenbench.config.ConfigFixtures.loader;
import static dev.tokenbench.config.ConfigFixtures.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One bad input per test: the error names the file and the field, and says what to do. */
class BenchmarkLoaderErrorsTest {

    @Test
    void unknownApiSuggestsTheClosestAndListsAll() {
        ConfigException e = failsToLoad("bad-unknown-api.yaml");
        assertError(e, "bad-unknown-api.yaml", "targets[1].api", "unknown api 'opnai-chat'",
                "did you mean 'openai-chat'?", "use one of openai-chat, openai-responses, azure-openai");
        assertEquals(1, e.errors().size(), render(e));
    }

    @Test
    void missingModel() {
        ConfigException e = failsToLoad("bad-missing-model.yaml");
        assertError(e, "bad-missing-model.yaml", "targets[0].model", "model is required for api openai-chat",
                "gpt-4.1-mini");
    }

    @Test
    void unparseableDurations() {
        ConfigException e = failsToLoad("bad-duration.yaml");
        assertError(e, "bad-duration.yaml", "load.timeout",
                "cannot parse '10 sec' as a duration; write it like 500ms, 60s or 2m");
        assertError(e, "bad-duration.yaml", "load.stall-timeout", "cannot parse '15' as a duration (it has no unit)");
    }

    @Test
    void dropLaggedMustBeADuration() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader(Map.of()).load("x.yaml", """
                targets: [{name: t, api: openai-chat, model: m}]
                prompts: {synthetic: {input-tokens: 5, output-tokens: 5}}
                load: {concurrency: 2, drop-lagged: 20}
                """, null));
        assertError(e, "x.yaml", "load.drop-lagged", "cannot parse '20' as a duration (it has no unit)",
                "write it like 500ms, 60s or 2m");
        assertEquals(1, e.errors().size(), render(e));
        ConfigException negative = assertThrows(ConfigException.class, () -> loader(Map.of()).load("x.yaml", """
                targets: [{name: t, api: openai-chat, model: m}]
                prompts: {synthetic: {input-tokens: 5, output-tokens: 5}}
                load: {drop-lagged: -5ms}
                """, null));
        assertError(negative, "x.yaml", "load.drop-lagged", "cannot parse '-5ms' as a duration (it is negative)");
        ConfigException misspelt = assertThrows(ConfigException.class, () -> loader(Map.of()).load("x.yaml", """
                targets: [{name: t, api: openai-chat, model: m}]
                prompts: {synthetic: {input-tokens: 5, output-tokens: 5}}
                load: {drop_lagged: 20ms}
                """, null));
        assertError(misspelt, "x.yaml", "load.drop_lagged", "did you mean 'drop-lagged'?");
    }

    @Test
    void zeroConcurrency() {
        ConfigException e = failsToLoad("bad-concurrency-zero.yaml");
        assertError(e, "bad-concurrency-zero.yaml", "load.concurrency", "is 0 (zero)", "1 or more");
    }

    @Test
    void negativeConcurrency() {
        ConfigException e = failsToLoad("bad-concurrency-negative.yaml");
        assertError(e, "bad-concurrency-negative.yaml", "load.concurrency", "is -3 (negative)", "1 or more");
    }

    @Test
    void unsetEnvironmentVariableIsNamedWithItsField() {
        ConfigException e = failsToLoad("bad-env.yaml");
        ConfigError error = assertError(e, "bad-env.yaml", "targets[0].api-key");
        assertEquals("environment variable OPENAI_API_KEY is not set; export it or use ${file:PATH}", error.fix());
    }

    @Test
    void resolvedSecretsNeverAppearInMessages() {
        Map<String, String> env = Map.of(
                "OPENAI_API_KEY", "sk-live-VERY-SECRET",
                "SECRET_HOST", "secret-host.example",
                "API_NAME", "opnai-chat-secret",
                "CONCURRENCY", "-777");
        ConfigException e = failsToLoad("bad-secret-leak.yaml", env);
        assertError(e, "bad-secret-leak.yaml", "targets[0].api", "unknown api '${env:API_NAME}'");
        assertError(e, "bad-secret-leak.yaml", "targets[0].base-url", "scheme 'ftp'", "ftp://${env:SECRET_HOST}/v1");
        assertError(e, "bad-secret-leak.yaml", "load.timeout", "cannot parse '${env:OPENAI_API_KEY}' as a duration");
        assertError(e, "bad-secret-leak.yaml", "load.concurrency", "'${env:CONCURRENCY}' is negative");
        assertEquals(4, e.errors().size(), render(e));
        // No "did you mean 'openai-chat'?" either: a near-match would give the value away.
        for (String secret : List.of("sk-live-VERY-SECRET", "secret-host.example", "opnai-chat", "openai-chat'?",
                "-777", "vllm-file-secret-value")) {
            assertFalse(e.getMessage().contains(secret), "leaked " + secret + " in\n" + e.getMessage());
        }
    }

    @Test
    void yamlSyntaxErrorGivesItsLine() {
        ConfigException e = failsToLoad("bad-syntax.yaml");
        assertEquals(1, e.errors().size(), render(e));
        ConfigError error = e.errors().get(0);
        assertEquals("bad-syntax.yaml", error.file());
        assertTrue(error.field().startsWith("(line 5, column "), error.field());
        assertTrue(error.fix().startsWith("invalid YAML: "), error.fix());
        assertFalse(error.fix().contains("\n"), "short, one line: " + error.fix());
    }

    @Test
    void duplicateKeyIsASyntaxError() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader(Map.of()).load("dup.yaml",
                "name: a\nname: b\n", null));
        assertError(e, "dup.yaml", "(line 2, column 5)", "duplicate field 'name'");
    }

    @Test
    void missingFile() {
        ConfigException e = failsToLoad("no-such-benchmark.yaml");
        assertError(e, "no-such-benchmark.yaml", "(file)", "file not found; check the path");
    }

    @Test
    void emptyFile() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader(Map.of()).load("empty.yaml", "# x\n",
                null));
        assertError(e, "empty.yaml", "(file)", "the file is empty");
    }

    @Test
    void missingPromptFile() {
        ConfigException e = failsToLoad("bad-prompt-file-missing.yaml");
        assertError(e, "bad-prompt-file-missing.yaml", "prompts",
                "prompt file 'prompts/does-not-exist.yaml' not found", "check the path");
    }

    @Test
    void badPromptSetEntriesNameThePromptFile() {
        ConfigException e = failsToLoad("bad-prompt-set.yaml");
        String file = "prompts/bad-prompts.yaml";
        assertError(e, file, "prompts[1].text", "text is required");
        assertError(e, file, "prompts[1].expected-output-tokens", "is 0 (zero)");
        assertError(e, file, "prompts[2].id", "'one' is used by an earlier prompt");
        assertError(e, file, "prompts[3]", "must be a mapping of id, text");
        assertError(e, file, "prompts[4].txt", "unknown field 'txt'; did you mean 'text'?");
        assertError(e, file, "prompts[4].text", "text is required");
        assertEquals(6, e.errors().size(), render(e));
    }

    @Test
    void unknownKeysSuggestTheRightOne() {
        ConfigException e = failsToLoad("bad-unknown-key.yaml");
        assertError(e, "bad-unknown-key.yaml", "load.concurency",
                "unknown field 'concurency'; did you mean 'concurrency'?");
        assertError(e, "bad-unknown-key.yaml", "targets[0].max_output_tokens",
                "did you mean 'max-output-tokens'?");
    }

    @Test
    void unknownKeyWithNoCloseMatchListsTheKnownOnes() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader(Map.of()).load("x.yaml", """
                targets: [{name: t, api: openai-chat, model: m}]
                prompts: {synthetic: {input-tokens: 5, output-tokens: 5}}
                slo: {availability: 0.99}
                """, null));
        assertError(e, "x.yaml", "slo.availability", "unknown field 'availability'; known fields here: ttft, stream-tps");
    }

    @Test
    void baselineMustNameATarget() {
        ConfigException e = failsToLoad("bad-baseline.yaml");
        assertError(e, "bad-baseline.yaml", "baseline", "baseline 'opeani' names no target",
                "did you mean 'openai'?", "use one of openai, azure");
    }

    @Test
    void simUrlMustNameADefinedScenario() {
        ConfigException e = failsToLoad("bad-sim-scenario.yaml");
        assertError(e, "bad-sim-scenario.yaml", "targets[1].base-url", "simulator scenario 'slwo' is not defined",
                "did you mean 'slow'?", "define it under simulator.scenarios");
        assertEquals(1, e.errors().size(), render(e));
    }

    @Test
    void everyProblemOfAFileIsReportedAtOnce() {
        ConfigException e = failsToLoad("bad-many.yaml");
        String file = "bad-many.yaml";
        assertError(e, file, "targets[0].api", "unknown api 'opnai-chat'");
        assertError(e, file, "targets[1].model", "model is required");
        assertError(e, file, "load.concurency", "did you mean 'concurrency'?");
        assertError(e, file, "load.requests", "is 0 (zero)");
        assertError(e, file, "load.timeout", "cannot parse 'soon' as a duration");
        assertError(e, file, "slo.stream-tps", "must be greater than 0");
        assertError(e, file, "baseline", "'nobody' names no target");
        assertEquals(7, e.errors().size(), render(e));
        assertTrue(e.getMessage().startsWith("7 problems"), e.getMessage());
    }

    @Test
    void promptsAreRequired() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader(Map.of()).load("x.yaml",
                "targets: [{name: t, api: openai-chat, model: m}]\n", null));
        assertError(e, "x.yaml", "prompts", "prompts is required: a prompt-set file such as seeds/azure-bench.yaml");
    }

    @Test
    void sweepAndSearchNameWhatTheyNeed() {
        ConfigException sweep = assertThrows(ConfigException.class, () -> loader(Map.of()).load("x.yaml", """
                targets: [{name: t, api: openai-chat, model: m}]
                prompts: {synthetic: {input-tokens: 5, output-tokens: 5}}
                load: {mode: sweep, concurrency: [1, 0, 2.5, x], goodput: 0.9}
                """, null));
        assertError(sweep, "x.yaml", "load.concurrency[1]", "is 0", "whole number of 1 or more");
        assertError(sweep, "x.yaml", "load.concurrency[2]", "is 2.5");
        assertError(sweep, "x.yaml", "load.concurrency[3]", "must be a whole number");
        assertError(sweep, "x.yaml", "load.goodput", "is for mode search");

        ConfigException search = assertThrows(ConfigException.class, () -> loader(Map.of()).load("x.yaml", """
                targets: [{name: t, api: openai-chat, model: m}]
                prompts: {synthetic: {input-tokens: 5, output-tokens: 5}}
                load: {mode: search, concurrency: {min: 8, max: 4}, goodput: 1.5, retries: {backoff: 5s, max-backoff: 1s}}
                """, null));
        assertError(search, "x.yaml", "load.concurrency.max", "not above min 8");
        assertError(search, "x.yaml", "load.goodput", "is 1.5");
        assertError(search, "x.yaml", "load.retries.max-backoff", "shorter than backoff 5s");

        ConfigException missing = assertThrows(ConfigException.class, () -> loader(Map.of()).load("x.yaml", """
                targets: [{name: t, api: openai-chat, model: m}]
                prompts: {synthetic: {input-tokens: 5, output-tokens: 5}}
                load: {mode: serch, prompt-order: shuffle}
                """, null));
        assertError(missing, "x.yaml", "load.mode", "unknown load mode 'serch'", "search");
        assertError(missing, "x.yaml", "load.prompt-order", "shuffle");
    }

    @Test
    void openLoopNeedsARateAndClosedLoopRefusesOne() {
        ConfigException open = assertThrows(ConfigException.class, () -> loader(Map.of()).load("x.yaml", """
                targets: [{name: t, api: openai-chat, model: m}]
                prompts: {synthetic: {input-tokens: 5, output-tokens: 5}}
                load: {mode: open, arrival: bursty}
                """, null));
        assertError(open, "x.yaml", "load.rate", "rate is required for mode open");
        assertError(open, "x.yaml", "load.arrival", "bursty");
        ConfigException closed = assertThrows(ConfigException.class, () -> loader(Map.of()).load("x.yaml", """
                targets: [{name: t, api: openai-chat, model: m}]
                prompts: {synthetic: {input-tokens: 5, output-tokens: 5}}
                load: {mode: closed, rate: 5}
                """, null));
        assertError(closed, "x.yaml", "load.rate", "is for mode open");
    }

    @Test
    void targetLevelMistakes() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader(Map.of()).load("x.yaml", """
                targets:
                  - {name: a b, api: openai-chat, model: m, base-url: api.openai.com/v1, tokenizer: o200k-base}
                  - {name: dup, api: openai-chat, model: m, deployment: d, params: {stream: false}}
                  - {name: dup, api: openai-chat, model: m, labels: {cloud-name: x}, pricing: {input-per-1m: -1}}
                  - {name: b, api: openai-chat, model: m, api-key: "${OPENAI_API_KEY}", max-tokens-field: max_token}
                  - just-a-name
                prompts: {synthetic: {input-tokens: 5, output-tokens: 5}}
                """, null));
        assertError(e, "x.yaml", "targets[0].name", "may hold only letters, digits", "'a-b'");
        assertError(e, "x.yaml", "targets[0].base-url", "not an absolute URL");
        assertError(e, "x.yaml", "targets[0].tokenizer", "did you mean 'o200k_base'?");
        assertError(e, "x.yaml", "targets[1].deployment", "only used by the azure-openai apis");
        assertError(e, "x.yaml", "targets[1].params.stream", "tokenbench always streams");
        assertError(e, "x.yaml", "targets[2].name", "'dup' is already used by an earlier target");
        assertError(e, "x.yaml", "targets[2].labels.cloud-name", "Prometheus label", "'cloud_name'");
        assertError(e, "x.yaml", "targets[2].pricing.input-per-1m", "is -1; it must be at least 0");
        assertError(e, "x.yaml", "targets[2].pricing.output-per-1m", "output-per-1m is required");
        assertError(e, "x.yaml", "targets[3].api-key", "write ${env:OPENAI_API_KEY}");
        assertError(e, "x.yaml", "targets[3].max-tokens-field", "did you mean 'max_tokens'?");
        assertError(e, "x.yaml", "targets[4]", "must be a mapping");
        assertEquals(12, e.errors().size(), render(e));
    }

    @Test
    void missingSecretFileNamesWhereItLooked() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader(Map.of()).load("x.yaml", """
                targets: [{name: t, api: openai-chat, model: m, api-key: "${file:secrets/nope.txt}"}]
                prompts: {synthetic: {input-tokens: 5, output-tokens: 5}}
                """, null));
        assertError(e, "x.yaml", "targets[0].api-key", "file secrets/nope.txt not found", "use ${env:NAME}");
    }

    @Test
    void simulatorScenarioRanges() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader(Map.of()).load("x.yaml", """
                targets: [{name: t, api: openai-chat, model: m, base-url: sim://s/v1}]
                prompts: {synthetic: {input-tokens: 5, output-tokens: 5}}
                simulator:
                  scenarios:
                    s: {tokens-per-second: 0, jitter: 1.5, slow-share: -0.1, tokens-per-chunk: 0, headers-delay: 1s, ttft: 500ms}
                """, null));
        String s = "simulator.scenarios.s.";
        assertError(e, "x.yaml", s + "tokens-per-second", "must be greater than 0");
        assertError(e, "x.yaml", s + "jitter", "is 1.5; it must be at least 0 and at most 1");
        assertError(e, "x.yaml", s + "slow-share", "at least 0 and at most 1");
        assertError(e, "x.yaml", s + "tokens-per-chunk", "1 or more");
        assertError(e, "x.yaml", s + "ttft", "shorter than headers-delay");
        assertEquals(6, e.errors().size(), render(e));
    }

    @Test
    void syntheticPromptMistakes() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader(Map.of()).load("x.yaml", """
                targets: [{name: t, api: openai-chat, model: m}]
                prompts: {synthetic: {input-tokens: 0, count: 3, tokenizer: gpt2}}
                """, null));
        assertError(e, "x.yaml", "prompts.synthetic.input-tokens", "is 0 (zero)");
        assertError(e, "x.yaml", "prompts.synthetic.output-tokens", "output-tokens is required");
        assertError(e, "x.yaml", "prompts.synthetic.tokenizer", "unknown tokenizer 'gpt2'", "o200k_base");
    }

    @Test
    void aDirectoryIsNotABenchmarkFile() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader(Map.of()).load(Path.of("prompts")));
        assertError(e, "prompts", "(file)", "is a directory");
    }
}
