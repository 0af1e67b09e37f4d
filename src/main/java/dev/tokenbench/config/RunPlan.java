package dev.tokenbench.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.sim.SimConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable, validated benchmark: everything a run needs, secrets resolved. Built only by
 * {@link BenchmarkLoader}; a plan that exists is runnable.
 *
 * @param sourceFile      the benchmark file as the user named it ({@code (bundled demo)} for the demo)
 * @param targets         in file order, names unique
 * @param maxOutputTokens the file's max-output-tokens (a target may override), or null for the provider's default
 * @param baseline        name of the baseline target (defaults to the first target)
 * @param simulator       scenarios for targets whose base-url is {@code sim://<scenario>/…}, or null when none is used
 * @param redactedConfig  the file's content as parsed, with every secret and secret reference shown as ***
 * @param metrics         the file's push-gateway and probe ({@link MetricsSpec#NONE} when it sets neither)
 * @param secrets         every secret value of the plan: what each output shows as *** (see {@link SecretValues})
 */
public record RunPlan(
        String name,
        String sourceFile,
        List<TargetSpec> targets,
        PromptSet prompts,
        LoadSpec load,
        Integer maxOutputTokens,
        SloSpec slo,
        String baseline,
        SimConfig simulator,
        ObjectNode redactedConfig,
        MetricsSpec metrics,
        SecretValues secrets) {

    /** A plan built in code: its secrets are its targets' credentials. */
    public RunPlan(String name, String sourceFile, List<TargetSpec> targets, PromptSet prompts, LoadSpec load,
            Integer maxOutputTokens, SloSpec slo, String baseline, SimConfig simulator, ObjectNode redactedConfig,
            MetricsSpec metrics) {
        this(name, sourceFile, targets, prompts, load, maxOutputTokens, slo, baseline, simulator, redactedConfig,
                metrics, SecretValues.of(credentials(targets)));
    }

    /** A plan whose file sets no push-gateway or probe. */
    public RunPlan(String name, String sourceFile, List<TargetSpec> targets, PromptSet prompts, LoadSpec load,
            Integer maxOutputTokens, SloSpec slo, String baseline, SimConfig simulator, ObjectNode redactedConfig) {
        this(name, sourceFile, targets, prompts, load, maxOutputTokens, slo, baseline, simulator, redactedConfig,
                MetricsSpec.NONE);
    }

    /** The credential values the targets carry. */
    public static List<String> credentials(List<TargetSpec> targets) {
        List<String> values = new ArrayList<>();
        for (TargetSpec t : targets) {
            if (t.apiKey() != null) {
                values.add(t.apiKey().reveal());
            }
            if (t.access() != null && t.access().accessToken() != null) {
                values.add(t.access().accessToken().reveal());
            }
        }
        return values;
    }

    /** A copy with another load (the engine's self-warm runs the plan's targets this way). */
    public RunPlan withLoad(LoadSpec otherLoad) {
        return new RunPlan(name, sourceFile, targets, prompts, otherLoad, maxOutputTokens, slo, baseline, simulator,
                redactedConfig, metrics, secrets);
    }

    public int maxOutputTokensFor(TargetSpec target) {
        Integer cap = target.maxOutputTokens() != null ? target.maxOutputTokens() : maxOutputTokens;
        return cap == null ? 0 : cap;
    }
}
