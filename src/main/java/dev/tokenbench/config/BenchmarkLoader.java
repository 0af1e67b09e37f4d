package dev.tokenbench.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.sim.SimConfig;
import dev.tokenbench.sim.SimScenario;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns a benchmark file into a {@link RunPlan}, or into one {@link ConfigException} that lists every problem
 * of the file (and of its prompt set) with its field path and what to do about it. The YAML is walked by hand
 * rather than bound to the records: the messages stay ours, and nothing depends on reflection (native image).
 */
public final class BenchmarkLoader {
    /** In the order messages list them. */
    private static final List<String> API_NAMES = List.of("openai-chat", "openai-responses", "azure-openai",
            "azure-openai-responses", "anthropic", "bedrock-converse", "gemini", "vertex-gemini");
    public static final Set<String> KNOWN_APIS = Set.copyOf(API_NAMES);
    public static final String OPENAI_CHAT = "openai-chat";

    /** The demo that {@code run} with no file executes against the built-in simulator. */
    public static final String DEMO_RESOURCE = "seeds/demo.yaml";
    public static final String DEMO_DISPLAY_NAME = "(bundled demo)";

    public static final String DEFAULT_MAX_TOKENS_FIELD = "max_completion_tokens";
    public static final List<String> MAX_TOKENS_FIELDS = List.of("max_completion_tokens", "max_tokens");
    public static final LoadSpec DEFAULT_LOAD = new LoadSpec(LoadSpec.CLOSED, 1, 10, 0, Duration.ofSeconds(60),
            Duration.ofSeconds(15));
    public static final int DEFAULT_SYNTHETIC_COUNT = 8;
    public static final long DEFAULT_SYNTHETIC_SEED = 1;

    private static final List<String> TOP_KEYS = List.of("name", "targets", "prompts", "load", "max-output-tokens",
            "slo", "baseline", "simulator", "push-gateway", "probe");
    private static final List<String> TARGET_KEYS = List.of("name", "api", "base-url", "model", "deployment",
            "api-version", "api-key", "pricing", "labels", "params", "max-output-tokens", "max-tokens-field",
            "tokenizer", "estimate-output-tokens", "auth", "access-token", "token-command", "region", "project",
            "location", "http-version", "ca-file", "insecure-skip-verify", "client-cert", "client-key");
    /** Auth schemes per api beyond the api key; the first is the default. */
    private static final Map<String, List<String>> AUTH_SCHEMES = Map.of(
            "azure-openai", List.of("api-key", "entra"),
            "azure-openai-responses", List.of("api-key", "entra"),
            "bedrock-converse", List.of("api-key", "sigv4"),
            "vertex-gemini", List.of("bearer"));
    /** Default api-version where an api needs one. */
    private static final Map<String, String> DEFAULT_API_VERSIONS = Map.of(
            "azure-openai", "2024-10-21",
            "azure-openai-responses", "2025-04-01-preview",
            "anthropic", "2023-06-01");
    private static final List<String> PRICING_KEYS = List.of("input-per-1m", "output-per-1m");
    private static final List<String> LOAD_KEYS = List.of("mode", "concurrency", "requests", "duration", "warmup",
            "timeout", "stall-timeout", "rate", "arrival", "seed", "goodput", "max-steps", "resolution", "retries",
            "budget", "prompt-order", "prompt-seed", "random-prefix");
    private static final List<String> LOAD_MODES = List.of(LoadSpec.CLOSED, LoadSpec.OPEN, LoadSpec.SWEEP,
            LoadSpec.SEARCH);
    private static final List<String> PROMPT_ORDERS = List.of(LoadSpec.PromptOrder.CYCLE_ORDER,
            LoadSpec.PromptOrder.SAMPLE_ORDER);
    private static final List<String> ARRIVALS = List.of(LoadSpec.OpenLoop.FIXED, LoadSpec.OpenLoop.POISSON);
    private static final List<String> SLO_KEYS = List.of("ttft", "stream-tps");
    private static final List<String> SYNTHETIC_KEYS = List.of("input-tokens", "output-tokens", "count", "seed",
            "tokenizer");

    private static final Map<String, String> DEFAULT_BASE_URLS = Map.of(
            "openai-chat", "https://api.openai.com/v1",
            "openai-responses", "https://api.openai.com/v1",
            "anthropic", "https://api.anthropic.com",
            "gemini", "https://generativelanguage.googleapis.com");
    private static final Set<String> AZURE_APIS = Set.of("azure-openai", "azure-openai-responses");
    /** Names people reach for that are not api names, with what to write instead. */
    private static final Map<String, String> API_HINTS = Map.ofEntries(
            Map.entry("openai", "openai-chat"), Map.entry("azure", "azure-openai"),
            Map.entry("bedrock", "bedrock-converse"), Map.entry("claude", "anthropic"),
            Map.entry("vertex", "vertex-gemini"), Map.entry("google", "gemini"));
    private static final Set<String> OPENAI_COMPATIBLE_SERVERS = Set.of("vllm", "openai-compatible", "ollama",
            "sglang", "tgi", "lmstudio", "llama.cpp", "llamacpp", "litellm");

    private static final Pattern USER_INFO = Pattern.compile("//[^/?#]*@");
    private static final Pattern TARGET_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final String NAME_REFERENCE = "a name cannot come from ${env:…}, ${file:…} or ${credential:…}: "
            + "it names the run's files, request ids and metrics, where a secret would show; write it inline";
    /** Labels become Prometheus labels. */
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Request fields tokenbench sets itself; a param with these names would break the measurement. */
    private static final Map<String, String> RESERVED_PARAMS = Map.of(
            "model", "it is set from the target's model",
            "messages", "it is built from the prompt set",
            "stream", "tokenbench always streams",
            "max_tokens", "use max-output-tokens (and max-tokens-field: max_tokens)",
            "max_completion_tokens", "use max-output-tokens");

    private final Function<String, String> env;
    private final Path workingDir;
    private final Set<String> supportedApis;
    /** The service's rules when the benchmark was posted to it; null for a file the user runs. */
    private final PostedPolicy posted;

    /**
     * @param env           environment variables by name (System::getenv in production), for {@code ${env:…}}
     * @param workingDir    where relative paths are tried after the benchmark file's directory
     * @param supportedApis the apis this build can run (now only "openai-chat"); a known-but-unsupported api is
     *                      an error saying it is not implemented yet
     */
    public BenchmarkLoader(Function<String, String> env, Path workingDir, Set<String> supportedApis) {
        this(env, workingDir, supportedApis, null);
    }

    private BenchmarkLoader(Function<String, String> env, Path workingDir, Set<String> supportedApis,
            PostedPolicy posted) {
        this.env = env;
        this.workingDir = workingDir.toAbsolutePath().normalize();
        this.supportedApis = Set.copyOf(supportedApis);
        this.posted = posted;
    }

    /**
     * A loader for benchmarks posted to the service ({@link #load(String, String, Path)}): untrusted data, which
     * reads no environment variable or file of the host and runs no command (see {@link PostedPolicy}).
     */
    public static BenchmarkLoader forPosted(PostedPolicy policy, Set<String> supportedApis) {
        Path dir = policy.promptsDir() != null ? policy.promptsDir() : Path.of("").toAbsolutePath();
        return new BenchmarkLoader(name -> null, dir, supportedApis, policy);
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
        return new Build(display, actual.getParent(), file.getParent(), errors).run(yaml);
    }

    /**
     * A benchmark that is not a file of its own: the bundled demo, a REST request body.
     *
     * @param baseDir where relative paths in it start (before workingDir), or null
     */
    public RunPlan load(String displayName, String yaml, Path baseDir) throws ConfigException {
        Path base = baseDir == null ? null : workingDir.resolve(baseDir).normalize();
        return new Build(displayName, base, baseDir, new ArrayList<>()).run(yaml);
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

    /** The state of one load: its file, where its relative paths start, and its errors so far. */
    private final class Build {
        private final String display;
        private final Path baseDir;
        private final Path displayDir;
        private final List<ConfigError> errors;
        private final Problems problems;
        private final SecretReferences references;
        /** Every target name written, valid or not, so a bad target does not also fail the baseline. */
        private final Set<String> targetNames = new LinkedHashSet<>();
        private final List<SimReference> simReferences = new ArrayList<>();

        Build(String display, Path baseDir, Path displayDir, List<ConfigError> errors) {
            this.display = display;
            this.baseDir = baseDir;
            this.displayDir = displayDir;
            this.errors = errors;
            this.problems = new Problems(display, errors);
            this.references = new SecretReferences(env, baseDir, workingDir, posted);
        }

        RunPlan run(String yaml) throws ConfigException {
            JsonNode tree = YamlFiles.parse(yaml, problems);
            Fields top = tree == null ? null
                    : Fields.of(tree, "", "name, targets, prompts, load, …", problems, references);
            if (top == null) {
                throw new ConfigException(errors);
            }
            top.allowOnly(TOP_KEYS);
            String name = runName(top);
            List<TargetSpec> targets = targets(top);
            PromptSet prompts = prompts(top);
            Limits.promptCount(prompts, problems);
            LoadSpec load = load(top);
            Integer maxOutputTokens = top.integer("max-output-tokens", 1);
            SloSpec slo = slo(top);
            String baseline = baseline(top, targets);
            SimConfig simulator = simulator(top);
            MetricsSpec metrics = metrics(top);
            if (!errors.isEmpty()) {
                throw new ConfigException(errors);
            }
            List<String> secrets = new ArrayList<>(RunPlan.credentials(targets));
            secrets.addAll(references.resolvedValues());
            return new RunPlan(name, display, List.copyOf(targets), prompts, load, maxOutputTokens, slo, baseline,
                    simulator, SecretReferences.redact((ObjectNode) tree), metrics, SecretValues.of(secrets));
        }

        private String runName(Fields top) {
            Text name = top.text("name");
            if (name == null) {
                String fromFile = PromptSets.fileNameWithoutExtension(display);
                Limits.runName(fromFile, problems);
                return fromFile;
            }
            if (name.hasReference()) {
                problems.add("name", NAME_REFERENCE);
                return PromptSets.fileNameWithoutExtension(display);
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

        private List<TargetSpec> targets(Fields top) {
            List<TargetSpec> targets = new ArrayList<>();
            if (!top.has("targets")) {
                problems.add("targets", "targets is required; list at least one endpoint with name, api and model "
                        + "(see seeds/demo.yaml)");
                return targets;
            }
            ArrayNode list = top.list("targets", "endpoints, each with name, api and model");
            if (list == null) {
                return targets;
            }
            if (list.isEmpty()) {
                problems.add("targets", "is empty; list at least one endpoint with name, api and model");
            }
            Limits.targetCount(list.size(), problems);
            for (int i = 0; i < list.size(); i++) {
                TargetSpec target = target(list.get(i), "targets[" + i + "]");
                if (target != null) {
                    Limits.target(target, "targets[" + i + "]", problems);
                    targets.add(target);
                }
            }
            return targets;
        }

        private TargetSpec target(JsonNode node, String path) {
            Fields f = Fields.of(node, path, "name, api, base-url, model, …", problems, references);
            if (f == null) {
                return null;
            }
            int before = problems.count();
            f.allowOnly(TARGET_KEYS);

            Text name = f.requiredText("name", "name is required; give the target a unique name such as "
                    + "openai-eastus");
            if (name != null && name.hasReference()) {
                problems.add(f.path("name"), NAME_REFERENCE);
            } else if (name != null) {
                if (!TARGET_NAME.matcher(name.value()).matches()) {
                    problems.add(f.path("name"), "name '" + name.asWritten() + "' may hold only letters, digits, "
                            + "'.', '_' and '-'; rename it, e.g. '" + name.asWritten().replaceAll("[^A-Za-z0-9._-]+", "-")
                            + "'");
                } else if (!targetNames.add(name.value())) {
                    problems.add(f.path("name"), "name '" + name.asWritten() + "' is already used by an earlier target; "
                            + "target names must be unique");
                }
            }

            String api = api(f);
            boolean apiUsable = api != null && supportedApis.contains(api);
            String baseUrl = baseUrl(f, api, apiUsable);

            Text model = f.text("model");
            Text deployment = f.text("deployment");
            Text apiVersion = f.text("api-version");
            if (apiUsable) {
                checkModelFields(f, api, model, deployment, apiVersion);
            }

            Secret apiKey = apiKey(f);
            ProviderAccess access = access(f, api, apiUsable, apiKey);
            if (baseUrl == null && apiUsable && access != null) {
                baseUrl = defaultBaseUrl(api, access);
            }
            if (posted != null && baseUrl != null) {
                checkPostedHost(f, baseUrl);
            }
            String version = apiVersion == null ? (api == null ? null : DEFAULT_API_VERSIONS.get(api))
                    : apiVersion.value();
            Pricing pricing = pricing(f);
            Map<String, String> labels = labels(f);
            Map<String, Object> params = params(f, api);
            Integer maxOutputTokens = f.integer("max-output-tokens", 1);
            String maxTokensField = oneOf(f, "max-tokens-field", MAX_TOKENS_FIELDS, DEFAULT_MAX_TOKENS_FIELD);
            String tokenizer = oneOf(f, "tokenizer", SyntheticPrompts.TOKENIZERS, SyntheticPrompts.DEFAULT_TOKENIZER);
            String estimate = oneOf(f, "estimate-output-tokens",
                    List.of(TargetSpec.ESTIMATE_ALWAYS, TargetSpec.ESTIMATE_WITHOUT_USAGE), TargetSpec.ESTIMATE_ALWAYS);
            TlsSpec tls = new TlsFields(f, baseDir, workingDir, posted).parse(baseUrl);

            if (problems.count() > before) {
                return null;
            }
            return new TargetSpec(name.value(), api, baseUrl, value(model), value(deployment), version,
                    apiKey, pricing, labels, params, maxOutputTokens, maxTokensField, tokenizer,
                    access == null ? ProviderAccess.NONE : access, TargetSpec.ESTIMATE_ALWAYS.equals(estimate), tls);
        }

        private String api(Fields f) {
            Text api = f.requiredText("api", "api is required; use one of " + String.join(", ", API_NAMES));
            if (api == null) {
                return null;
            }
            String value = api.value();
            if (!KNOWN_APIS.contains(value)) {
                String lower = value.toLowerCase(Locale.ROOT);
                String hint;
                if (api.hasReference()) {
                    hint = "";
                } else if (OPENAI_COMPATIBLE_SERVERS.contains(lower)) {
                    hint = " (an OpenAI-compatible server uses api: openai-chat with its base-url)";
                } else if (API_HINTS.containsKey(lower)) {
                    hint = " (did you mean '" + API_HINTS.get(lower) + "'?)";
                } else {
                    hint = Suggestions.didYouMean(api, API_NAMES);
                }
                problems.add(f.path("api"), "unknown api '" + api.asWritten() + "'" + hint + "; use one of "
                        + String.join(", ", API_NAMES));
                return null;
            }
            if (!supportedApis.contains(value)) {
                problems.add(f.path("api"), "api '" + value + "' is not implemented yet (it is coming); this build "
                        + "runs " + String.join(", ", supportedApis.stream().sorted().toList()) + ". For an "
                        + "OpenAI-compatible endpoint (vLLM, Bedrock's or Gemini's OpenAI-compatible APIs) use "
                        + "api: openai-chat with its base-url");
            }
            return value;
        }

        private String baseUrl(Fields f, String api, boolean apiUsable) {
            String field = f.path("base-url");
            Text text = f.text("base-url");
            if (text == null) {
                String fallback = api == null ? null : DEFAULT_BASE_URLS.get(api);
                boolean derived = "bedrock-converse".equals(api) || "vertex-gemini".equals(api);
                if (fallback == null && apiUsable && !f.has("base-url") && !derived) {
                    problems.add(field, "base-url is required for api " + api + "; write the endpoint's URL, e.g. "
                            + "https://my-resource.openai.azure.com");
                }
                return fallback;
            }
            // A password written into the URL (user:password@) is never quoted back.
            String shown = "'" + USER_INFO.matcher(text.asWritten()).replaceFirst("//" + Secret.REDACTED + "@") + "'";
            String value = text.value().strip();
            URI uri;
            try {
                uri = new URI(value);
            } catch (URISyntaxException e) {
                // The exception quotes the input, which may hold a resolved secret: keep only its reason.
                problems.add(field, shown + " is not a valid URL (" + e.getReason()
                        + (text.hasReference() ? "" : " at index " + e.getIndex())
                        + "); write it like https://api.openai.com/v1");
                return null;
            }
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (scheme == null || !uri.isAbsolute()) {
                problems.add(field, shown + " is not an absolute URL; write it with its scheme, like "
                        + "https://api.openai.com/v1 (or sim://<scenario>/v1 for the built-in simulator)");
                return null;
            }
            if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("sim")) {
                problems.add(field, "scheme '" + scheme + "' of " + shown + " is not supported; use https://, "
                        + "http://, or sim://<scenario>/v1 for the built-in simulator");
                return null;
            }
            if (uri.getRawUserInfo() != null) {
                problems.add(field, "the URL holds a user name or password (user:password@), which would be kept "
                        + "in records and reports; remove it and put the credential in api-key"
                        + (posted != null ? " (${credential:NAME})" : " (${env:NAME} or ${file:PATH})"));
                return null;
            }
            String authority = uri.getRawAuthority();
            if (authority == null || authority.isEmpty()) {
                problems.add(field, shown + " has no host; write it like https://api.openai.com/v1");
                return null;
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                problems.add(field, shown + " has a query (?…) or fragment (#…); remove it"
                        + " (an Azure api-version goes in its own field)");
                return null;
            }
            if (scheme.equals("sim")) {
                if (!SimulatorBlock.SCENARIO_NAME.matcher(authority).matches()) {
                    problems.add(field, "the host of " + shown + " must be a simulator scenario name (letters, "
                            + "digits, '.', '-'); write it like sim://fast/v1");
                    return null;
                }
                simReferences.add(new SimReference(authority, text.hasReference() ? null : authority, field));
            }
            return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        }

        private void checkModelFields(Fields f, String api, Text model, Text deployment, Text apiVersion) {
            if (AZURE_APIS.contains(api)) {
                if (model == null && deployment == null && !f.has("model") && !f.has("deployment")) {
                    problems.add(f.path("deployment"), "deployment is required for api " + api + "; write the "
                            + "Azure deployment name (or model, for the v1 API)");
                }
                return;
            }
            if (!f.has("model")) {
                problems.add(f.path("model"), "model is required for api " + api + "; write the model name, e.g. "
                        + "gpt-4.1-mini");
            } else if (model != null && model.value().isBlank()) {
                problems.add(f.path("model"), "is empty; write the model name, e.g. gpt-4.1-mini");
            }
            if (deployment != null) {
                problems.add(f.path("deployment"), "deployment is only used by the azure-openai apis; remove it, "
                        + "or set api: azure-openai");
            }
            if (apiVersion != null && !"anthropic".equals(api)) {
                problems.add(f.path("api-version"), "api-version is only used by the azure-openai apis (and, as "
                        + "the anthropic-version header, by anthropic); remove it, or set api: azure-openai");
            }
        }

        /**
         * Region, project, location and the auth scheme: each allowed only where its api uses it, and what an
         * api needs is required (a Vertex target without a token source could never authenticate).
         */
        private ProviderAccess access(Fields f, String api, boolean apiUsable, Secret apiKey) {
            int before = problems.count();
            List<String> schemes = api == null ? List.of() : AUTH_SCHEMES.getOrDefault(api, List.of());
            String auth = null;
            if (f.has("auth")) {
                if (schemes.isEmpty()) {
                    problems.add(f.path("auth"), "auth is not used by api " + api + "; remove it (this api "
                            + "authenticates with api-key)");
                } else {
                    auth = oneOf(f, "auth", schemes, schemes.get(0));
                }
            } else if (!schemes.isEmpty()) {
                // Bedrock without a key signs with the AWS credentials chain, except against the simulator,
                // which needs no credentials at all.
                boolean simulatedTarget = f.has("base-url") && f.raw("base-url").asText("").strip().startsWith("sim://");
                auth = "bedrock-converse".equals(api) && apiKey == null && !simulatedTarget ? "sigv4" : schemes.get(0);
            }
            Secret accessToken = secret(f, "access-token");
            List<String> tokenCommand = tokenCommand(f);
            if (posted != null && !tokenCommand.isEmpty()) {
                problems.add(f.path("token-command"), "token-command cannot be used in a benchmark posted to the "
                        + "service: the service runs no command for a request; use access-token: ${credential:NAME} "
                        + "for a token named in the service's settings, or a benchmark file the service has");
                tokenCommand = List.of();
            }
            if (posted != null && "sigv4".equals(auth)) {
                problems.add(f.path("auth"), "auth: sigv4 signs with the service host's own AWS credentials, which "
                        + "a benchmark posted to the service cannot use; use a Bedrock API key, api-key: "
                        + "${credential:NAME}, or a benchmark file the service has");
            }
            String region = onlyFor(f, "region", api, Set.of("bedrock-converse"));
            String project = onlyFor(f, "project", api, Set.of("vertex-gemini"));
            String location = onlyFor(f, "location", api, Set.of("vertex-gemini"));
            if (accessToken != null && !"entra".equals(auth) && !"bearer".equals(auth)) {
                problems.add(f.path("access-token"), "access-token is a bearer token for auth: entra (Azure) or "
                        + "vertex-gemini; remove it, or set auth: entra");
            }
            if (!tokenCommand.isEmpty() && !"vertex-gemini".equals(api)) {
                problems.add(f.path("token-command"), "token-command is used by vertex-gemini only; remove it");
            }
            if (apiUsable && !f.has("base-url")) {
                if ("bedrock-converse".equals(api) && region == null) {
                    problems.add(f.path("region"), "region is required for api bedrock-converse (or a base-url); "
                            + "write the AWS region, e.g. us-east-1");
                }
                if ("vertex-gemini".equals(api) && (project == null || location == null)) {
                    problems.add(f.path(project == null ? "project" : "location"), "project and location are "
                            + "required for api vertex-gemini; write the Google Cloud project id and location, "
                            + "e.g. us-central1 or global");
                }
            }
            if ("vertex-gemini".equals(api) && project == null && f.has("base-url") && apiUsable) {
                problems.add(f.path("project"), "project is required for api vertex-gemini (it is part of the "
                        + "request path); write the Google Cloud project id");
            }
            if ("vertex-gemini".equals(api) && location == null && f.has("base-url") && apiUsable) {
                problems.add(f.path("location"), "location is required for api vertex-gemini (it is part of the "
                        + "request path); write it, e.g. us-central1");
            }
            boolean simulated = f.has("base-url") && f.raw("base-url").asText("").strip().startsWith("sim://");
            if (apiUsable && !simulated) {
                if ("entra".equals(auth) && accessToken == null) {
                    problems.add(f.path("access-token"), "auth: entra needs access-token: a Microsoft Entra "
                            + "token, e.g. ${env:AZURE_OPENAI_AD_TOKEN} or ${file:/var/run/secrets/azure-token}");
                }
                if ("vertex-gemini".equals(api) && accessToken == null && tokenCommand.isEmpty()) {
                    problems.add(f.path("access-token"), "vertex-gemini needs an OAuth access token: "
                            + "access-token: ${env:VERTEX_TOKEN}, or token-command: gcloud auth print-access-token");
                }
                if ("bedrock-converse".equals(api) && "api-key".equals(auth) && apiKey == null) {
                    problems.add(f.path("api-key"), "auth: api-key needs api-key (a Bedrock API key, e.g. "
                            + "${env:AWS_BEARER_TOKEN_BEDROCK}); or use auth: sigv4 for the AWS credentials chain");
                }
            }
            if (problems.count() > before) {
                return null;
            }
            return new ProviderAccess(auth, accessToken, tokenCommand, region, project, location);
        }

        private String onlyFor(Fields f, String key, String api, Set<String> apis) {
            Text text = f.text(key);
            if (text == null) {
                return null;
            }
            if (api != null && !apis.contains(api)) {
                problems.add(f.path(key), key + " is used by " + String.join(", ", apis) + " only; remove it");
                return null;
            }
            if (text.value().isBlank()) {
                problems.add(f.path(key), key + " is empty; write it or remove it");
                return null;
            }
            return text.value().strip();
        }

        private Secret secret(Fields f, String key) {
            Text text = f.text(key);
            if (text == null) {
                return null;
            }
            String source = SecretReferences.sourceOf(text.asWritten());
            if (text.value().isBlank()) {
                problems.add(f.path(key), key + " is empty (from " + source + "); set it or remove it");
                return null;
            }
            if (!headerSafe(f.path(key), key, text.value().strip(), source)) {
                return null;
            }
            return new Secret(text.value().strip(), source);
        }

        /** A command as a list (run as is) or a string (split on spaces; no shell). */
        private List<String> tokenCommand(Fields f) {
            JsonNode raw = f.raw("token-command");
            if (raw == null || raw.isNull()) {
                return List.of();
            }
            List<String> command = new ArrayList<>();
            if (raw.isArray()) {
                for (JsonNode part : raw) {
                    if (!part.isValueNode() || part.asText().isBlank()) {
                        problems.add(f.path("token-command"), "every part of token-command must be a non-empty "
                                + "string, e.g. [gcloud, auth, print-access-token]");
                        return List.of();
                    }
                    command.add(part.asText());
                }
            } else if (raw.isTextual()) {
                for (String part : raw.asText().strip().split("\\s+")) {
                    if (!part.isEmpty()) {
                        command.add(part);
                    }
                }
            }
            if (command.isEmpty()) {
                problems.add(f.path("token-command"), "token-command is empty; write the command that prints a "
                        + "token, e.g. gcloud auth print-access-token");
            }
            return command;
        }

        /**
         * A posted target reaches only the hosts the service allows, and a named credential only the hosts it is
         * for: a token holder cannot send the service's credentials to a server of their own.
         */
        private void checkPostedHost(Fields f, String baseUrl) {
            if (baseUrl.startsWith("sim://")) {
                return;
            }
            String host;
            try {
                host = hostOf(new URI(baseUrl));
            } catch (URISyntaxException e) {
                return; // reported as the base-url's own problem
            }
            if (host == null) {
                return;
            }
            String problem = posted.hostProblem(host);
            if (problem != null) {
                problems.add(f.path("base-url"), problem);
                return;
            }
            for (String key : SecretReferences.CREDENTIAL_KEYS) {
                JsonNode raw = f.raw(key);
                if (raw == null || !raw.isValueNode()) {
                    continue;
                }
                for (String name : SecretReferences.credentialNames(raw.asText())) {
                    PostedPolicy.NamedCredential credential = posted.credentials().get(name);
                    if (credential != null && !credential.hosts().isEmpty()
                            && !PostedPolicy.matchesAny(host, credential.hosts())) {
                        problems.add(f.path(key), "credential '" + name + "' is for " + String.join(", ",
                                credential.hosts()) + " only, not " + host + "; use it with one of those hosts");
                    }
                }
            }
        }

        /**
         * The host a client will connect to. java.net.URI gives no host for names it does not take as host names
         * (2852039166, a resolver's spelling of 169.254.169.254), so those come from the authority as written.
         */
        private static String hostOf(URI uri) {
            if (uri.getHost() != null) {
                return uri.getHost();
            }
            String authority = uri.getRawAuthority();
            if (authority == null) {
                return null;
            }
            if (authority.startsWith("[")) {
                int end = authority.indexOf(']');
                return end < 0 ? authority : authority.substring(0, end + 1);
            }
            int colon = authority.lastIndexOf(':');
            return colon >= 0 && authority.substring(colon + 1).chars().allMatch(Character::isDigit)
                    ? authority.substring(0, colon) : authority;
        }

        private String defaultBaseUrl(String api, ProviderAccess access) {
            if ("bedrock-converse".equals(api) && access.region() != null) {
                return "https://bedrock-runtime." + access.region() + ".amazonaws.com";
            }
            if ("vertex-gemini".equals(api) && access.location() != null) {
                return "global".equals(access.location()) ? "https://aiplatform.googleapis.com"
                        : "https://" + access.location() + "-aiplatform.googleapis.com";
            }
            return null;
        }

        private Secret apiKey(Fields f) {
            Text key = f.text("api-key");
            if (key == null) {
                return null;
            }
            String source = SecretReferences.sourceOf(key.asWritten());
            if (key.value().isBlank()) {
                problems.add(f.path("api-key"), "api-key is empty (from " + source + "); set the credential, or "
                        + "remove api-key for an endpoint that needs none");
                return null;
            }
            if (!headerSafe(f.path("api-key"), "api-key", key.value(), source)) {
                return null;
            }
            return new Secret(key.value(), source);
        }

        /**
         * A credential goes into a request header: a line break or another control character (a multi-line
         * secret file, a pasted key) would be refused by the HTTP client at every request, with the value in its
         * message. Said here once, naming the field and the source, never the value.
         */
        private boolean headerSafe(String field, String key, String value, String source) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x20 || c == 0x7f || c > 0xff) {
                    String what = c == '\n' || c == '\r' ? "a line break" : c > 0xff ? "a character outside "
                            + "Latin-1" : "a control character";
                    problems.add(field, key + " (from " + source + ") holds " + what + " at character " + (i + 1)
                            + " of " + value.length() + "; a credential is sent as one header line: keep only the "
                            + "credential itself, on one line");
                    return false;
                }
            }
            return true;
        }

        private Pricing pricing(Fields target) {
            Fields f = target.mapping("pricing", "input-per-1m and output-per-1m (USD per 1M tokens)");
            if (f == null) {
                return Pricing.NONE;
            }
            f.allowOnly(PRICING_KEYS);
            Double input = f.number("input-per-1m", 0, true, Double.MAX_VALUE, "0.40");
            Double output = f.number("output-per-1m", 0, true, Double.MAX_VALUE, "1.60");
            for (String key : PRICING_KEYS) {
                if (!f.has(key)) {
                    problems.add(f.path(key), key + " is required in pricing; write the USD price per 1M "
                            + (key.startsWith("input") ? "input tokens, e.g. 0.40" : "output tokens, e.g. 1.60"));
                }
            }
            return input == null || output == null ? Pricing.NONE : new Pricing(input, output);
        }

        private Map<String, String> labels(Fields target) {
            Fields f = target.mapping("labels", "label names to values, e.g. {cloud: azure, region: eastus2}");
            if (f == null) {
                return Map.of();
            }
            Map<String, String> labels = new LinkedHashMap<>();
            for (String key : f.keys()) {
                if (!LABEL_NAME.matcher(key).matches()) {
                    problems.add(f.path(key), "label name '" + key + "' must be letters, digits and '_' (it becomes "
                            + "a Prometheus label); rename it, e.g. '" + key.replaceAll("[^A-Za-z0-9_]", "_") + "'");
                    continue;
                }
                if (!f.has(key)) {
                    problems.add(f.path(key), "label '" + key + "' has no value; give it one or remove it");
                    continue;
                }
                Text value = f.text(key);
                if (value != null) {
                    labels.put(key, value.value());
                }
            }
            return Collections.unmodifiableMap(labels);
        }

        private Map<String, Object> params(Fields target, String api) {
            Fields f = target.mapping("params", "request fields, e.g. {temperature: 0, reasoning_effort: low}");
            if (f == null) {
                return Map.of();
            }
            Map<String, Object> params = new LinkedHashMap<>();
            for (String key : f.keys()) {
                if (OPENAI_CHAT.equals(api) && RESERVED_PARAMS.containsKey(key)) {
                    problems.add(f.path(key), "params." + key + " cannot be set: " + RESERVED_PARAMS.get(key)
                            + "; remove it");
                    continue;
                }
                params.put(key, plainValue(f.raw(key) == null ? null : f.raw(key), f.path(key), f));
            }
            return Collections.unmodifiableMap(params);
        }

        /** JSON to plain Java (Map, List, String, Number, Boolean, null), order kept, references resolved. */
        private Object plainValue(JsonNode node, String path, Fields f) {
            if (node == null || node.isNull()) {
                return null;
            }
            if (node.isObject()) {
                Map<String, Object> map = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    map.put(e.getKey(), plainValue(e.getValue(), path + "." + e.getKey(), f));
                }
                return Collections.unmodifiableMap(map);
            }
            if (node.isArray()) {
                List<Object> list = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    list.add(plainValue(node.get(i), path + "[" + i + "]", f));
                }
                return Collections.unmodifiableList(list);
            }
            if (node.isTextual()) {
                Text text = f.resolve(node.asText(), path);
                return text == null ? null : text.value();
            }
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            if (node.isNumber()) {
                return node.numberValue();
            }
            return node.asText();
        }

        /** One of {@code allowed}, or {@code fallback} when absent. */
        private String oneOf(Fields f, String key, List<String> allowed, String fallback) {
            Text text = f.text(key);
            if (text == null) {
                return f.has(key) ? null : fallback;
            }
            if (!allowed.contains(text.value())) {
                problems.add(f.path(key), "unknown " + key + " '" + text.asWritten() + "'"
                        + Suggestions.didYouMean(text, allowed) + "; use one of " + String.join(", ", allowed));
                return null;
            }
            return text.value();
        }

        private PromptSet prompts(Fields top) {
            JsonNode node = top.raw("prompts");
            if (node == null) {
                problems.add("prompts", "prompts is required: a prompt-set file such as seeds/azure-bench.yaml, or "
                        + "{synthetic: {input-tokens: 500, output-tokens: 300}}");
                return null;
            }
            if (node.isTextual()) {
                Text path = top.text("prompts");
                if (path == null) {
                    return null;
                }
                if (path.value().isBlank()) {
                    problems.add("prompts", "is empty; name a prompt-set file such as seeds/azure-bench.yaml");
                    return null;
                }
                if (posted != null) {
                    return postedPrompts(path.value().strip());
                }
                return PromptSets.load(path.value().strip(), problems, baseDir, displayDir, workingDir);
            }
            Fields f = top.mapping("prompts", "{synthetic: {input-tokens: N, output-tokens: M}}, or a file path");
            if (f == null) {
                return null;
            }
            f.allowOnly(List.of("synthetic"));
            Fields s = f.mapping("synthetic", "input-tokens, output-tokens, count, seed and tokenizer");
            if (!f.has("synthetic")) {
                problems.add("prompts.synthetic", "prompts must be a prompt-set file path or {synthetic: "
                        + "{input-tokens: 500, output-tokens: 300}}; add synthetic");
            }
            return s == null ? null : synthetic(s);
        }

        /**
         * A posted benchmark's prompt file: a relative path inside the service's prompt directory (symbolic links
         * followed, and still inside), or a bundled seeds/ file. Nothing else of the host's disk is opened, and
         * no message names a path outside.
         */
        private PromptSet postedPrompts(String written) {
            String normalized = written.replace('\\', '/');
            boolean plain = PostedFiles.plain(normalized);
            Path dir = posted.promptsDir();
            if (PostedFiles.inside(dir, normalized) != null) {
                return PromptSets.load(normalized, problems, dir, null, dir);
            }
            PromptSet bundled = plain ? PromptSets.loadBundled(normalized, problems) : null;
            if (bundled != null) {
                return bundled;
            }
            problems.add("prompts", "prompt file '" + written + "' is not in the service's prompt directory"
                    + (dir == null ? " (it has none)" : "") + " nor a bundled seeds/ file; a posted benchmark names a "
                    + "file relative to that directory (tokenbench.serve.benchmarks-dir), a bundled seed such as "
                    + "seeds/azure-bench.yaml, or {synthetic: {input-tokens: 500, output-tokens: 300}}");
            return null;
        }

        private PromptSet synthetic(Fields s) {
            int before = problems.count();
            s.allowOnly(SYNTHETIC_KEYS);
            Integer input = s.integer("input-tokens", 1);
            Integer output = s.integer("output-tokens", 1);
            for (String key : List.of("input-tokens", "output-tokens")) {
                if (!s.has(key)) {
                    problems.add(s.path(key), key + " is required for synthetic prompts; write a token count, "
                            + "e.g. " + key + ": " + (key.startsWith("input") ? "500" : "300"));
                }
            }
            if (input != null && input > SyntheticPrompts.MAX_INPUT_TOKENS) {
                problems.add(s.path("input-tokens"), "is " + input + "; it must be at most "
                        + SyntheticPrompts.MAX_INPUT_TOKENS);
            }
            Integer count = s.has("count") ? s.integer("count", 1) : Integer.valueOf(DEFAULT_SYNTHETIC_COUNT);
            if (count != null && count > SyntheticPrompts.MAX_COUNT) {
                problems.add(s.path("count"), "is " + count + "; it must be at most " + SyntheticPrompts.MAX_COUNT);
            }
            Long seed = s.has("seed") ? s.longInteger("seed") : Long.valueOf(DEFAULT_SYNTHETIC_SEED);
            String tokenizer = oneOf(s, "tokenizer", SyntheticPrompts.TOKENIZERS, SyntheticPrompts.DEFAULT_TOKENIZER);
            if (problems.count() > before) {
                return null;
            }
            try {
                return SyntheticPrompts.generate(input, output, count, seed, tokenizer);
            } catch (IllegalArgumentException e) {
                problems.add(s.path(), e.getMessage());
                return null;
            }
        }

        private LoadSpec load(Fields top) {
            Fields f = top.mapping("load", "mode, concurrency, requests or duration, warmup, timeout, stall-timeout, "
                    + "and for mode open: rate, arrival, seed");
            if (f == null) {
                return DEFAULT_LOAD;
            }
            f.allowOnly(LOAD_KEYS);
            String mode = LoadSpec.CLOSED;
            Text modeText = f.text("mode");
            if (modeText != null && LOAD_MODES.contains(modeText.value())) {
                mode = modeText.value();
            } else if (modeText != null) {
                problems.add(f.path("mode"), "unknown load mode '" + modeText.asWritten() + "'"
                        + Suggestions.didYouMean(modeText, LOAD_MODES) + "; use one of " + String.join(", ", LOAD_MODES));
            }
            boolean stepped = mode.equals(LoadSpec.SWEEP) || mode.equals(LoadSpec.SEARCH);
            // In a sweep or search, the level being stepped is a list or a {min, max} range, not a number.
            String dimension = null;
            if (stepped) {
                boolean byRate = f.has("rate");
                dimension = byRate ? LoadSpec.Steps.RATE : LoadSpec.Steps.CONCURRENCY;
                if (byRate && f.raw("concurrency") != null && !f.raw("concurrency").isValueNode()) {
                    problems.add(f.path("concurrency"), "a " + mode + " steps either concurrency or rate, not both; "
                            + "with rate, concurrency is the in-flight cap (a number)");
                }
            }
            boolean concurrencyStepped = LoadSpec.Steps.CONCURRENCY.equals(dimension);
            Integer concurrencyValue = concurrencyStepped ? null : f.integer("concurrency", 1);
            int concurrency = or(concurrencyValue, DEFAULT_LOAD.concurrency());
            Integer requestsValue = f.integer("requests", 1);
            Duration duration = f.duration("duration", true);
            int requests = requestsValue != null ? requestsValue
                    : duration != null ? LoadSpec.UNBOUNDED : DEFAULT_LOAD.requests();
            int warmup = or(f.integer("warmup", 0), DEFAULT_LOAD.warmup());
            Duration timeout = or(f.duration("timeout", true), DEFAULT_LOAD.timeout());
            Duration stallTimeout = or(f.duration("stall-timeout", true), DEFAULT_LOAD.stallTimeout());

            LoadSpec.OpenLoop open = null;
            LoadSpec.Steps steps = null;
            boolean openPhases = LoadSpec.OPEN.equals(mode) || LoadSpec.Steps.RATE.equals(dimension);
            if (openPhases) {
                Double rate = stepped ? Double.valueOf(1) : f.number("rate", 0, false, 1_000_000, "10");
                if (!f.has("rate")) {
                    problems.add(f.path("rate"), "rate is required for mode open: request starts per second per "
                            + "target, e.g. rate: 5");
                }
                String arrival = oneOf(f, "arrival", ARRIVALS, LoadSpec.OpenLoop.FIXED);
                Long seed = f.longInteger("seed");
                if (!f.has("concurrency")) {
                    // An open loop is not bounded by its workers: without a cap, in flight grows as the endpoint slows.
                    concurrency = Math.max(concurrency, 1_000);
                }
                if (rate != null && arrival != null) {
                    open = new LoadSpec.OpenLoop(rate, arrival, seed == null ? 1 : seed);
                }
            } else {
                for (String key : List.of("arrival", "seed")) {
                    if (f.has(key)) {
                        problems.add(f.path(key), key + " is for open-loop phases; remove it, or set mode: open (or "
                                + "step rate in a sweep or search)");
                    }
                }
                if (f.has("rate") && !stepped) {
                    problems.add(f.path("rate"), "rate is for mode open; remove it, or set mode: open");
                }
            }
            if (mode.equals(LoadSpec.SWEEP)) {
                List<Double> levels = levels(f, dimension);
                steps = levels == null ? null : LoadSpec.Steps.sweep(dimension, levels);
            } else if (mode.equals(LoadSpec.SEARCH)) {
                steps = search(f, dimension);
            }
            if (!mode.equals(LoadSpec.SEARCH)) {
                for (String key : List.of("goodput", "max-steps", "resolution")) {
                    if (f.has(key)) {
                        problems.add(f.path(key), key + " is for mode search; remove it, or set mode: search");
                    }
                }
            }
            LoadSpec.Retries retries = retries(f);
            Double budget = f.number("budget", 0, false, 1e9, "25.00");
            LoadSpec.PromptOrder prompts = promptOrder(f);
            LoadSpec spec = new LoadSpec(mode, concurrency, requests, duration, warmup, timeout, stallTimeout, open,
                    steps, retries, budget, prompts);
            Limits.load(spec, targetNames.size(), f.has("concurrency"), problems);
            return spec;
        }

        /** A sweep's levels: {@code concurrency: [1, 2, 4]} or {@code rate: [0.5, 1, 2]}. */
        private List<Double> levels(Fields f, String dimension) {
            boolean whole = dimension.equals(LoadSpec.Steps.CONCURRENCY);
            String example = whole ? "concurrency: [1, 2, 4, 8]" : "rate: [0.5, 1, 2, 4]";
            if (!f.has(dimension)) {
                problems.add(f.path(dimension), "a sweep needs the levels to step through, e.g. " + example);
                return null;
            }
            ArrayNode list = f.list(dimension, (whole ? "concurrencies" : "rates") + ", e.g. " + example);
            if (list == null) {
                return null;
            }
            if (list.isEmpty()) {
                problems.add(f.path(dimension), "is empty; list at least one level, e.g. " + example);
                return null;
            }
            List<Double> levels = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                Double level = level(list.get(i), f.path(dimension) + "[" + i + "]", whole);
                if (level != null) {
                    levels.add(level);
                }
            }
            return levels.size() == list.size() ? levels : null;
        }

        private Double level(JsonNode value, String path, boolean whole) {
            String kind = whole ? "a whole number of 1 or more" : "a number greater than 0";
            if (value == null || !value.isNumber()) {
                problems.add(path, "must be " + kind + ", found " + Fields.describe(value));
                return null;
            }
            double d = value.doubleValue();
            if ((whole && (!value.isIntegralNumber() || d < 1 || d > Limits.MAX_OPEN_STREAMS))
                    || (!whole && !(d > 0 && d <= 1e6))) {
                problems.add(path, "is " + Fields.plain(d) + "; it must be " + kind + (whole ? " (at most "
                        + Limits.MAX_OPEN_STREAMS + " streams at once on one process)" : " (at most 1000000)"));
                return null;
            }
            return d;
        }

        /** {@code concurrency: {min: 1, max: 64}} (or rate), {@code goodput}, {@code max-steps}, {@code resolution}. */
        private LoadSpec.Steps search(Fields f, String dimension) {
            boolean whole = dimension.equals(LoadSpec.Steps.CONCURRENCY);
            String example = whole ? "concurrency: {min: 1, max: 64}" : "rate: {min: 0.5, max: 20}";
            int before = problems.count();
            Fields range = f.has(dimension) ? f.mapping(dimension, "the range to search, e.g. " + example) : null;
            if (!f.has(dimension)) {
                problems.add(f.path(dimension), "a search needs the range to search, e.g. " + example);
            }
            Double min = null;
            Double max = null;
            if (range != null) {
                range.allowOnly(List.of("min", "max"));
                min = level(range.raw("min"), range.path("min"), whole);
                max = level(range.raw("max"), range.path("max"), whole);
                if (min != null && max != null && max <= min) {
                    problems.add(range.path("max"), "is " + Fields.plain(max) + ", not above min " + Fields.plain(min)
                            + "; raise max");
                }
            }
            double goodput = or(f.number("goodput", 0, false, 1, "0.95"), 0.95);
            int maxSteps = or(f.integer("max-steps", 2), 12);
            double resolution = or(f.number("resolution", 0, false, 1, "0.1"), 0.1);
            if (whole && f.has("resolution")) {
                problems.add(f.path("resolution"), "resolution is for a search over rate; a concurrency search "
                        + "narrows to neighbouring whole numbers; remove it");
            }
            if (problems.count() > before || min == null || max == null) {
                return null;
            }
            return LoadSpec.Steps.search(dimension, min, max, goodput, maxSteps, resolution);
        }

        /** {@code retries: {max: 3, backoff: 1s, max-backoff: 30s, retry-after: true}}, or none. */
        private LoadSpec.Retries retries(Fields load) {
            Fields f = load.mapping("retries", "max, backoff, max-backoff, retry-after");
            if (f == null) {
                return LoadSpec.Retries.NONE;
            }
            f.allowOnly(List.of("max", "backoff", "max-backoff", "retry-after"));
            LoadSpec.Retries d = LoadSpec.Retries.NONE;
            int max = or(f.integer("max", 0), 3);
            Duration backoff = or(f.duration("backoff", true), d.backoff());
            Duration maxBackoff = or(f.duration("max-backoff", true), d.maxBackoff());
            boolean retryAfter = or(f.bool("retry-after"), d.honourRetryAfter());
            if (maxBackoff.compareTo(backoff) < 0) {
                problems.add(f.path("max-backoff"), "is shorter than backoff " + Durations.format(backoff)
                        + "; raise max-backoff or lower backoff");
            }
            return new LoadSpec.Retries(max, backoff, maxBackoff, retryAfter);
        }

        /** {@code prompt-order: cycle | sample}, {@code prompt-seed}, {@code random-prefix}. */
        private LoadSpec.PromptOrder promptOrder(Fields f) {
            String order = oneOf(f, "prompt-order", PROMPT_ORDERS, LoadSpec.PromptOrder.CYCLE_ORDER);
            Long seed = f.longInteger("prompt-seed");
            Boolean prefix = f.bool("random-prefix");
            return new LoadSpec.PromptOrder(order == null ? LoadSpec.PromptOrder.CYCLE_ORDER : order,
                    seed == null ? 1 : seed, prefix != null && prefix);
        }

        private SloSpec slo(Fields top) {
            Fields f = top.mapping("slo", "ttft and stream-tps, e.g. {ttft: 10s, stream-tps: 20}");
            if (f == null) {
                return SloSpec.DEFAULT;
            }
            f.allowOnly(SLO_KEYS);
            Duration ttft = or(f.duration("ttft", true), SloSpec.DEFAULT.ttft());
            double streamTps = or(f.number("stream-tps", 0, false, Double.MAX_VALUE, "20"),
                    SloSpec.DEFAULT.streamTokensPerSecond());
            return new SloSpec(ttft, streamTps);
        }

        private MetricsSpec metrics(Fields top) {
            Text gateway = top.text("push-gateway");
            String url = null;
            if (gateway != null && posted != null) {
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
                for (SimReference ref : simReferences) {
                    if (!written.contains(ref.scenario())) {
                        problems.add(ref.field(), (ref.shown() == null ? "the simulator scenario of this base-url"
                                : "simulator scenario '" + ref.shown() + "'") + " is not defined"
                                + (ref.shown() == null ? "" : Suggestions.didYouMean(ref.shown(), written))
                                + "; define it under "
                                + "simulator.scenarios" + (written.isEmpty() ? "" : " or use one of "
                                + String.join(", ", written)));
                    }
                }
            } else if (!simReferences.isEmpty()) {
                // No block: every sim:// target gets a plain fast endpoint, so sim://anything/v1 just works.
                scenarios = new LinkedHashMap<>();
                for (SimReference ref : simReferences) {
                    scenarios.putIfAbsent(ref.scenario(), SimScenario.defaults(ref.scenario()));
                }
            } else {
                return null;
            }
            return new SimConfig(Collections.unmodifiableMap(scenarios));
        }
    }

    /** @param shown the scenario name for messages, or null when it came from a reference */
    private record SimReference(String scenario, String shown, String field) {
    }

    private static String value(Text text) {
        return text == null ? null : text.value();
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
