package dev.tokenbench.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.sim.SimConfig;
import dev.tokenbench.sim.SimScenario;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a benchmark file into a {@link RunPlan}, or into one {@link ConfigException} that lists every problem
 * of the file (and of its prompt set) with its field path and what to do about it. The YAML is walked by hand
 * rather than bound to the records: the messages stay ours, and nothing depends on reflection (native image).
 * Each block has its reader ({@link TargetBlock}, {@link LoadBlock}, {@link PromptsBlock}, {@link SloBlock},
 * {@link SimulatorBlock}); what only some apis have, the {@link ApiCatalog}'s {@link TargetKind}s check.
 */
public final class BenchmarkLoader {
    /** The demo that {@code run} with no file executes against the built-in simulator. */
    public static final String DEMO_RESOURCE = "seeds/demo.yaml";
    public static final String DEMO_DISPLAY_NAME = "(bundled demo)";

    private static final List<String> TOP_KEYS = List.of("name", "targets", "prompts", "load", "max-output-tokens",
            "slo", "baseline", "simulator", "push-gateway", "probe");

    private final Function<String, String> env;
    private final Path workingDir;
    private final ApiCatalog catalog;
    /** The service's rules when the benchmark was posted to it; null for a file the user runs. */
    private final PostedPolicy posted;

    /**
     * @param env        environment variables by name (System::getenv in production), for {@code ${env:…}}
     * @param workingDir where relative paths are tried after the benchmark file's directory
     * @param catalog    the apis a target may name (provider/ProviderRegistry.defaults() in production)
     */
    public BenchmarkLoader(Function<String, String> env, Path workingDir, ApiCatalog catalog) {
        this(env, workingDir, catalog, null);
    }

    private BenchmarkLoader(Function<String, String> env, Path workingDir, ApiCatalog catalog, PostedPolicy posted) {
        this.env = env;
        this.workingDir = workingDir.toAbsolutePath().normalize();
        this.catalog = catalog;
        this.posted = posted;
    }

    /**
     * A loader for benchmarks posted to the service ({@link #load(String, String, Path)}): untrusted data, which
     * reads no environment variable or file of the host and runs no command (see {@link PostedPolicy}).
     */
    public static BenchmarkLoader forPosted(PostedPolicy policy, ApiCatalog catalog) {
        Path dir = policy.promptsDir() != null ? policy.promptsDir() : Path.of("").toAbsolutePath();
        return new BenchmarkLoader(name -> null, dir, catalog, policy);
    }

    Function<String, String> env() {
        return env;
    }

    Path workingDir() {
        return workingDir;
    }

    ApiCatalog catalog() {
        return catalog;
    }

    PostedPolicy posted() {
        return posted;
    }

    /** @param file the benchmark file as the user named it; errors show it so, relative paths start at workingDir */
    public RunPlan load(Path file) throws ConfigException {
        String display = file.toString();
        Path actual = workingDir.resolve(file).normalize();
        List<ConfigError> errors = new ArrayList<>();
        String yaml = YamlFiles.read(actual, new Problems(display, errors));
        if (yaml == null) {
            throw new ConfigException(errors);
        }
        return new Build(new LoadState(this, display, actual.getParent(), file.getParent(), errors)).run(yaml);
    }

    /**
     * A benchmark that is not a file of its own: the bundled demo, a REST request body.
     *
     * @param baseDir where relative paths in it start (before workingDir), or null
     */
    public RunPlan load(String displayName, String yaml, Path baseDir) throws ConfigException {
        Path base = baseDir == null ? null : workingDir.resolve(baseDir).normalize();
        return new Build(new LoadState(this, displayName, base, baseDir, new ArrayList<>())).run(yaml);
    }

    /** The demo packaged in the executable: runs against the built-in simulator, needs no keys. */
    public RunPlan loadBundledDemo() throws ConfigException {
        String yaml = PromptSets.readResource(DEMO_RESOURCE);
        if (yaml == null) {
            throw new ConfigException(List.of(new ConfigError(DEMO_DISPLAY_NAME, "(file)",
                    DEMO_RESOURCE + " is missing from this build; rebuild it, or run a benchmark file")));
        }
        return load(DEMO_DISPLAY_NAME, yaml, null);
    }

    /** One load: the top level of the file, the blocks in order, and the checks across blocks. */
    private static final class Build {
        private final LoadState state;
        private final Problems problems;

        Build(LoadState state) {
            this.state = state;
            this.problems = state.problems;
        }

        RunPlan run(String yaml) throws ConfigException {
            JsonNode tree = YamlFiles.parse(yaml, problems);
            Fields top = tree == null ? null
                    : Fields.of(tree, "", "name, targets, prompts, load, …", problems, state.references);
            if (top == null) {
                throw new ConfigException(state.errors);
            }
            top.allowOnly(TOP_KEYS);
            String name = runName(top);
            List<TargetSpec> targets = new TargetBlock(state).read(top);
            // The load block first: a trace replay brings its own prompts.
            LoadSpec load = new LoadBlock(state).read(top);
            PromptSet prompts = LoadSpec.TRACE.equals(load.mode()) ? tracePrompts(top, load, targets)
                    : new PromptsBlock(state).read(top);
            Limits.promptCount(prompts, problems);
            ConversationsBlock.checkLoad(prompts, load, problems);
            Integer maxOutputTokens = top.integer("max-output-tokens", 1);
            SloSpec slo = SloBlock.read(top);
            String baseline = baseline(top, targets);
            SimConfig simulator = simulator(top);
            MetricsSpec metrics = metrics(top);
            if (!state.errors.isEmpty()) {
                throw new ConfigException(state.errors);
            }
            List<String> secrets = new ArrayList<>(RunPlan.credentials(targets));
            secrets.addAll(state.references.resolvedValues());
            return RunPlan.builder()
                    .name(name)
                    .sourceFile(state.display)
                    .targets(List.copyOf(targets))
                    .prompts(prompts)
                    .load(load)
                    .maxOutputTokens(maxOutputTokens)
                    .slo(slo)
                    .baseline(baseline)
                    .simulator(simulator)
                    .redactedConfig(SecretReferences.redact((ObjectNode) tree))
                    .metrics(metrics)
                    .secrets(SecretValues.of(secrets))
                    .build();
        }

        /**
         * A trace's rows are its prompts, each with its own output cap: a prompts block or a max-output-tokens (the
         * file's or a target's) would override what the trace says, so they are refused rather than half applied.
         */
        private PromptSet tracePrompts(Fields top, LoadSpec load, List<TargetSpec> targets) {
            String why = " is not used by mode trace: each row of the trace sets its request's ";
            if (top.has("prompts")) {
                problems.add("prompts", "prompts" + why + "prompt; remove it (a dataset of real prompts is replayed "
                        + "with mode open or closed and prompts: {dataset: FILE})");
            }
            if (top.has("max-output-tokens")) {
                problems.add("max-output-tokens", "max-output-tokens" + why + "output cap; remove it");
            }
            for (int i = 0; i < targets.size(); i++) {
                if (targets.get(i).maxOutputTokens() != null) {
                    problems.add("targets[" + i + "].max-output-tokens", "max-output-tokens" + why + "output cap; "
                            + "remove it");
                }
            }
            return load.trace() == null ? null : load.trace().prompts();
        }

        private String runName(Fields top) {
            Text name = top.text("name");
            if (name == null) {
                String fromFile = PromptSets.fileNameWithoutExtension(state.display);
                Limits.runName(fromFile, problems);
                return fromFile;
            }
            if (name.hasReference()) {
                problems.add("name", TargetBlock.NAME_REFERENCE);
                return PromptSets.fileNameWithoutExtension(state.display);
            }
            String value = name.value().strip();
            if (value.isEmpty() || value.chars().anyMatch(c -> c == '/' || c == '\\' || Character.isISOControl(c))) {
                problems.add("name", "name '" + name.asWritten() + "' must be non-empty, without '/', '\\' or "
                        + "control characters (it names the run directory); rename it");
            } else {
                Limits.runName(value, problems);
            }
            return value;
        }

        private MetricsSpec metrics(Fields top) {
            Text gateway = top.text("push-gateway");
            String url = null;
            if (gateway != null && state.posted != null) {
                problems.add("push-gateway", "push-gateway cannot be used in a benchmark posted to the service: the "
                        + "service's own metrics are at /q/metrics; remove it");
            } else if (gateway != null) {
                url = gateway.value().strip();
                String problem = MetricsSpec.pushGatewayProblem(url);
                if (problem != null) {
                    problems.add("push-gateway", problem);
                }
            }
            Text probeText = top.text("probe");
            String probe = null;
            if (probeText != null) {
                probe = probeText.value().strip();
                String problem = MetricsSpec.probeProblem(probe);
                if (problem != null) {
                    problems.add("probe", problem);
                }
            }
            return url == null && probe == null ? MetricsSpec.NONE : new MetricsSpec(url, probe);
        }

        private String baseline(Fields top, List<TargetSpec> targets) {
            Text baseline = top.text("baseline");
            if (baseline == null) {
                return targets.isEmpty() ? null : targets.get(0).name();
            }
            Set<String> targetNames = state.targetNames;
            if (!targetNames.isEmpty() && !targetNames.contains(baseline.value())) {
                problems.add("baseline", "baseline '" + baseline.asWritten() + "' names no target"
                        + Suggestions.didYouMean(baseline, targetNames) + "; use one of "
                        + String.join(", ", targetNames));
            }
            return baseline.value();
        }

        private SimConfig simulator(Fields top) {
            Map<String, SimScenario> scenarios;
            Set<String> written = new LinkedHashSet<>();
            if (top.has("simulator")) {
                Fields block = top.mapping("simulator", "scenarios: {<name>: {ttft, tokens-per-second, …}}");
                scenarios = block == null ? new LinkedHashMap<>() : SimulatorBlock.parse(block);
                // Names of invalid scenarios count as defined: their own errors are already recorded.
                if (block != null && block.raw("scenarios") instanceof ObjectNode byName) {
                    byName.fieldNames().forEachRemaining(written::add);
                }
                for (LoadState.SimReference ref : state.simReferences) {
                    if (!written.contains(ref.scenario())) {
                        problems.add(ref.field(), (ref.shown() == null ? "the simulator scenario of this base-url"
                                : "simulator scenario '" + ref.shown() + "'") + " is not defined"
                                + (ref.shown() == null ? "" : Suggestions.didYouMean(ref.shown(), written))
                                + "; define it under "
                                + "simulator.scenarios" + (written.isEmpty() ? "" : " or use one of "
                                + String.join(", ", written)));
                    }
                }
            } else if (!state.simReferences.isEmpty()) {
                // No block: every sim:// target gets a plain fast endpoint, so sim://anything/v1 just works.
                scenarios = new LinkedHashMap<>();
                for (LoadState.SimReference ref : state.simReferences) {
                    scenarios.putIfAbsent(ref.scenario(), SimScenario.defaults(ref.scenario()));
                }
            } else {
                return null;
            }
            return new SimConfig(Collections.unmodifiableMap(scenarios));
        }
    }
}
