package dev.tokenbench.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code targets} block: each endpoint's name, api, base URL, model, credentials, pricing, labels, request
 * params and connection settings. What only some apis have is their {@link TargetKind}'s to check, asked through
 * the loader's {@link ApiCatalog}.
 */
final class TargetBlock {
    static final String DEFAULT_MAX_TOKENS_FIELD = "max_completion_tokens";
    static final List<String> MAX_TOKENS_FIELDS = List.of("max_completion_tokens", "max_tokens");
    static final String NAME_REFERENCE = "a name cannot come from ${env:…}, ${file:…} or ${credential:…}: "
            + "it names the run's files, request ids and metrics, where a secret would show; write it inline";
    /** Every key of a target block; which api reads which of the optional ones, its {@link TargetKind} says. */
    private static final List<String> TARGET_KEYS = List.of("name", "api", "base-url", "model", "deployment",
            "api-version", "api-key", "pricing", "labels", "params", "max-output-tokens", "max-tokens-field",
            "tokenizer", "estimate-output-tokens", "auth", "access-token", "token-command", "region", "project",
            "location", "http-version", "ca-file", "insecure-skip-verify", "client-cert", "client-key");
    private static final List<String> PRICING_KEYS = List.of("input-per-1m", "output-per-1m");
    private static final Pattern USER_INFO = Pattern.compile("//[^/?#]*@");
    private static final Pattern TARGET_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    /** Labels become Prometheus labels. */
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final LoadState state;
    private final Problems problems;
    private final TargetAccess access;

    TargetBlock(LoadState state) {
        this.state = state;
        this.problems = state.problems;
        this.access = new TargetAccess(state);
    }

    List<TargetSpec> read(Fields top) {
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
        Fields f = Fields.of(node, path, "name, api, base-url, model, …", problems, state.references);
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
            } else if (!state.targetNames.add(name.value())) {
                problems.add(f.path("name"), "name '" + name.asWritten() + "' is already used by an earlier target; "
                        + "target names must be unique");
            }
        }

        TargetKind kind = kind(f);
        String api = kind == null ? null : kind.name();
        String baseUrl = baseUrl(f, kind);

        Text model = f.text("model");
        Text deployment = f.text("deployment");
        Text apiVersion = f.text("api-version");
        TargetFields fields = new TargetFields(f, model, deployment, false);
        if (kind != null) {
            checkModel(f, kind, fields, deployment, apiVersion);
        }

        Secret apiKey = access.apiKey(f);
        ProviderAccess providerAccess = access.read(f, kind, fields.withApiKey(apiKey != null));
        if (baseUrl == null && kind != null && providerAccess != null) {
            baseUrl = kind.baseUrlFor(providerAccess);
        }
        if (state.posted != null && baseUrl != null) {
            access.checkPostedHost(f, baseUrl);
        }
        String version = apiVersion == null ? (kind == null ? null : kind.defaultApiVersion()) : apiVersion.value();
        Pricing pricing = pricing(f);
        Map<String, String> labels = labels(f);
        Map<String, Object> params = params(f, kind);
        Integer maxOutputTokens = f.integer("max-output-tokens", 1);
        String maxTokensField = f.oneOf("max-tokens-field", MAX_TOKENS_FIELDS, DEFAULT_MAX_TOKENS_FIELD);
        String tokenizer = f.oneOf("tokenizer", SyntheticPrompts.TOKENIZERS, SyntheticPrompts.DEFAULT_TOKENIZER);
        String estimate = f.oneOf("estimate-output-tokens",
                List.of(TargetSpec.ESTIMATE_ALWAYS, TargetSpec.ESTIMATE_WITHOUT_USAGE), TargetSpec.ESTIMATE_ALWAYS);
        TlsSpec tls = new TlsFields(f, state.baseDir, state.workingDir, state.posted).parse(baseUrl);

        if (problems.count() > before) {
            return null;
        }
        return TargetSpec.builder()
                .name(name.value())
                .api(api)
                .baseUrl(baseUrl)
                .model(value(model))
                .deployment(value(deployment))
                .apiVersion(version)
                .apiKey(apiKey)
                .pricing(pricing)
                .labels(labels)
                .params(params)
                .maxOutputTokens(maxOutputTokens)
                .maxTokensField(maxTokensField)
                .tokenizer(tokenizer)
                .access(providerAccess == null ? ProviderAccess.NONE : providerAccess)
                .estimateAlongsideUsage(TargetSpec.ESTIMATE_ALWAYS.equals(estimate))
                .tls(tls)
                .build();
    }

    /** The target's api, or null when it names none the catalog has (the problem is recorded). */
    private TargetKind kind(Fields f) {
        List<String> names = state.catalog.names();
        Text api = f.requiredText("api", "api is required; use one of " + String.join(", ", names));
        if (api == null) {
            return null;
        }
        TargetKind kind = state.catalog.kind(api.value());
        if (kind == null) {
            String hint = api.hasReference() ? "" : hint(api.value().toLowerCase(Locale.ROOT));
            if (hint == null) {
                hint = Suggestions.didYouMean(api, names);
            }
            problems.add(f.path("api"), "unknown api '" + api.asWritten() + "'" + hint + "; use one of "
                    + String.join(", ", names));
        }
        return kind;
    }

    /** What an api that means {@code lowerCaseName} says of it (a name people reach for), or null. */
    private String hint(String lowerCaseName) {
        for (TargetKind kind : state.catalog.kinds()) {
            String hint = kind.hint(lowerCaseName);
            if (hint != null) {
                return hint;
            }
        }
        return null;
    }

    /**
     * The api's own checks of model and deployment, then the keys it does not read: a deployment or an
     * api-version written for an api without one is a mistake worth saying.
     */
    private void checkModel(Fields f, TargetKind kind, TargetFields fields, Text deployment, Text apiVersion) {
        kind.checkModel(fields);
        if (deployment != null && !kind.keys().contains("deployment")) {
            problems.add(f.path("deployment"), state.catalog.elsewhereFix("deployment"));
        }
        if (apiVersion != null && !kind.keys().contains("api-version")) {
            problems.add(f.path("api-version"), state.catalog.elsewhereFix("api-version"));
        }
    }

    private String baseUrl(Fields f, TargetKind kind) {
        String field = f.path("base-url");
        Text text = f.text("base-url");
        if (text == null) {
            String fallback = kind == null ? null : kind.defaultBaseUrl();
            if (fallback == null && kind != null && !f.has("base-url") && !kind.derivesBaseUrl()) {
                problems.add(field, "base-url is required for api " + kind.name() + "; write the endpoint's URL, "
                        + "e.g. https://my-resource.openai.azure.com");
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
                    + (state.posted != null ? " (${credential:NAME})" : " (${env:NAME} or ${file:PATH})"));
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
            state.simReferences.add(new LoadState.SimReference(authority, text.hasReference() ? null : authority, field));
        }
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
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

    private Map<String, Object> params(Fields target, TargetKind kind) {
        Fields f = target.mapping("params", "request fields, e.g. {temperature: 0, reasoning_effort: low}");
        if (f == null) {
            return Map.of();
        }
        Map<String, Object> params = new LinkedHashMap<>();
        for (String key : f.keys()) {
            String reserved = kind == null ? null : kind.reservedParam(key);
            if (reserved != null) {
                problems.add(f.path(key), "params." + key + " cannot be set: " + reserved + "; remove it");
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

    private static String value(Text text) {
        return text == null ? null : text.value();
    }
}
