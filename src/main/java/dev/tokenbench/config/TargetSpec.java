package dev.tokenbench.config;

import java.util.Map;

/**
 * One named endpoint of a benchmark file, validated. {@code baseUrl} has no trailing slash.
 *
 * @param model           model name sent in the request (for azure-openai: may be null when deployment is set)
 * @param deployment      Azure deployment name, or null
 * @param apiVersion      Azure api-version, or null
 * @param apiKey          resolved credential, or null when the endpoint needs none (a local vLLM, the simulator)
 * @param maxOutputTokens per-target override of the file's max-output-tokens, or null
 * @param maxTokensField  request field that carries the output cap (openai-chat: max_completion_tokens or max_tokens)
 * @param params          extra request body fields merged into every request (temperature, reasoning_effort…)
 * @param tokenizer       jtokkit encoding used to estimate tokens when the provider reports no usage
 * @param estimateAlongsideUsage true ({@code estimate-output-tokens: always}, the default): the received text is
 *                        also counted when the provider reports usage, so that both numbers are kept; false
 *                        ({@code without-usage}): counted only when no usage came, which saves the tokenizer's CPU
 *                        (the client's largest cost per token) at high token rates
 * @param access          how the provider is reached beyond base URL and api key (cloud region, project,
 *                        auth scheme, bearer tokens); {@link ProviderAccess#NONE} when not needed
 * @param tls             HTTP version, trusted certificates and client certificate; {@link TlsSpec#DEFAULT} when the
 *                        file sets none of them
 */
public record TargetSpec(
        String name,
        String api,
        String baseUrl,
        String model,
        String deployment,
        String apiVersion,
        Secret apiKey,
        Pricing pricing,
        Map<String, String> labels,
        Map<String, Object> params,
        Integer maxOutputTokens,
        String maxTokensField,
        String tokenizer,
        ProviderAccess access,
        boolean estimateAlongsideUsage,
        TlsSpec tls) {

    public static final String ESTIMATE_ALWAYS = "always";
    public static final String ESTIMATE_WITHOUT_USAGE = "without-usage";

    public TargetSpec {
        tls = tls == null ? TlsSpec.DEFAULT : tls;
    }

    /** This target with other connection settings. */
    public TargetSpec withTls(TlsSpec other) {
        return toBuilder()
                .tls(other)
                .build();
    }

    /** TargetSpec's fields by name, instead of one long positional call. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this TargetSpec's fields. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Builds a {@link TargetSpec} field by field. Unset fields: estimateAlongsideUsage true, tls TlsSpec.DEFAULT; the
     * rest null, 0 or false.
     */
    public static final class Builder {
        private String name;
        private String api;
        private String baseUrl;
        private String model;
        private String deployment;
        private String apiVersion;
        private Secret apiKey;
        private Pricing pricing;
        private Map<String, String> labels;
        private Map<String, Object> params;
        private Integer maxOutputTokens;
        private String maxTokensField;
        private String tokenizer;
        private ProviderAccess access;
        private boolean estimateAlongsideUsage = true;
        private TlsSpec tls = TlsSpec.DEFAULT;

        private Builder() {
        }

        private Builder(TargetSpec from) {
            name = from.name;
            api = from.api;
            baseUrl = from.baseUrl;
            model = from.model;
            deployment = from.deployment;
            apiVersion = from.apiVersion;
            apiKey = from.apiKey;
            pricing = from.pricing;
            labels = from.labels;
            params = from.params;
            maxOutputTokens = from.maxOutputTokens;
            maxTokensField = from.maxTokensField;
            tokenizer = from.tokenizer;
            access = from.access;
            estimateAlongsideUsage = from.estimateAlongsideUsage;
            tls = from.tls;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder api(String api) {
            this.api = api;
            return this;
        }

        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        public Builder model(String model) {
            this.model = model;
            return this;
        }

        public Builder deployment(String deployment) {
            this.deployment = deployment;
            return this;
        }

        public Builder apiVersion(String apiVersion) {
            this.apiVersion = apiVersion;
            return this;
        }

        public Builder apiKey(Secret apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        public Builder pricing(Pricing pricing) {
            this.pricing = pricing;
            return this;
        }

        public Builder labels(Map<String, String> labels) {
            this.labels = labels;
            return this;
        }

        public Builder params(Map<String, Object> params) {
            this.params = params;
            return this;
        }

        public Builder maxOutputTokens(Integer maxOutputTokens) {
            this.maxOutputTokens = maxOutputTokens;
            return this;
        }

        public Builder maxTokensField(String maxTokensField) {
            this.maxTokensField = maxTokensField;
            return this;
        }

        public Builder tokenizer(String tokenizer) {
            this.tokenizer = tokenizer;
            return this;
        }

        public Builder access(ProviderAccess access) {
            this.access = access;
            return this;
        }

        public Builder estimateAlongsideUsage(boolean estimateAlongsideUsage) {
            this.estimateAlongsideUsage = estimateAlongsideUsage;
            return this;
        }

        public Builder tls(TlsSpec tls) {
            this.tls = tls;
            return this;
        }

        /** The one place the canonical constructor is called. */
        public TargetSpec build() {
            return new TargetSpec(name, api, baseUrl, model, deployment, apiVersion, apiKey, pricing, labels, params,
                    maxOutputTokens, maxTokensField, tokenizer, access, estimateAlongsideUsage, tls);
        }
    }
}
