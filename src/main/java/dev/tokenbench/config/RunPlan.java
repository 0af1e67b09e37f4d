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
        return toBuilder()
                .load(otherLoad)
                .build();
    }

    public int maxOutputTokensFor(TargetSpec target) {
        Integer cap = target.maxOutputTokens() != null ? target.maxOutputTokens() : maxOutputTokens;
        return cap == null ? 0 : cap;
    }

    /** RunPlan's fields by name, instead of one long positional call. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this RunPlan's fields. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds a {@link RunPlan} field by field. Unset fields: metrics MetricsSpec.NONE; the rest null, 0 or false. */
    public static final class Builder {
        private String name;
        private String sourceFile;
        private List<TargetSpec> targets;
        private PromptSet prompts;
        private LoadSpec load;
        private Integer maxOutputTokens;
        private SloSpec slo;
        private String baseline;
        private SimConfig simulator;
        private ObjectNode redactedConfig;
        private MetricsSpec metrics = MetricsSpec.NONE;
        private SecretValues secrets;

        private Builder() {
        }

        private Builder(RunPlan from) {
            name = from.name;
            sourceFile = from.sourceFile;
            targets = from.targets;
            prompts = from.prompts;
            load = from.load;
            maxOutputTokens = from.maxOutputTokens;
            slo = from.slo;
            baseline = from.baseline;
            simulator = from.simulator;
            redactedConfig = from.redactedConfig;
            metrics = from.metrics;
            secrets = from.secrets;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder sourceFile(String sourceFile) {
            this.sourceFile = sourceFile;
            return this;
        }

        public Builder targets(List<TargetSpec> targets) {
            this.targets = targets;
            return this;
        }

        public Builder prompts(PromptSet prompts) {
            this.prompts = prompts;
            return this;
        }

        public Builder load(LoadSpec load) {
            this.load = load;
            return this;
        }

        public Builder maxOutputTokens(Integer maxOutputTokens) {
            this.maxOutputTokens = maxOutputTokens;
            return this;
        }

        public Builder slo(SloSpec slo) {
            this.slo = slo;
            return this;
        }

        public Builder baseline(String baseline) {
            this.baseline = baseline;
            return this;
        }

        public Builder simulator(SimConfig simulator) {
            this.simulator = simulator;
            return this;
        }

        public Builder redactedConfig(ObjectNode redactedConfig) {
            this.redactedConfig = redactedConfig;
            return this;
        }

        public Builder metrics(MetricsSpec metrics) {
            this.metrics = metrics;
            return this;
        }

        public Builder secrets(SecretValues secrets) {
            this.secrets = secrets;
            return this;
        }

        /** The one place the canonical constructor is called. */
        public RunPlan build() {
            return new RunPlan(name, sourceFile, targets, prompts, load, maxOutputTokens, slo, baseline, simulator,
                    redactedConfig, metrics, secrets != null ? secrets : SecretValues.of(credentials(targets)));
        }
    }
}
