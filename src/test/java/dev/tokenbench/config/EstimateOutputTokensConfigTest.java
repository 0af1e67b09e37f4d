package dev.tokenbench.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.tokenbench.config.ConfigFixtures.loader;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code estimate-output-tokens}: both counts by default, the tokenizer only without usage when asked. */
class EstimateOutputTokensConfigTest {

    @Test
    void defaultKeepsBothCountsAndWithoutUsageIsAChoice() throws Exception {
        RunPlan plan = loader(Map.of()).load("x.yaml", """
                targets:
                  - {name: both, api: openai-chat, model: m}
                  - {name: fast, api: openai-chat, model: m, estimate-output-tokens: without-usage}
                  - {name: explicit, api: openai-chat, model: m, estimate-output-tokens: always}
                prompts: {synthetic: {input-tokens: 5, output-tokens: 5}}
                """, null);
        assertTrue(plan.targets().get(0).estimateAlongsideUsage());
        assertFalse(plan.targets().get(1).estimateAlongsideUsage());
        assertTrue(plan.targets().get(2).estimateAlongsideUsage());
    }

    @Test
    void anUnknownChoiceNamesTheFieldAndTheChoices() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader(Map.of()).load("x.yaml", """
                targets: [{name: t, api: openai-chat, model: m, estimate-output-tokens: never}]
                prompts: {synthetic: {input-tokens: 5, output-tokens: 5}}
                """, null));
        String text = e.errors().toString();
        assertTrue(text.contains("targets[0].estimate-output-tokens") && text.contains("always, without-usage"),
                text);
    }
}
