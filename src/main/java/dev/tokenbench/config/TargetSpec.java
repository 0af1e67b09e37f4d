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

    /** A target that keeps both counts, as every target did before {@code estimate-output-tokens} existed. */
    public TargetSpec(String name, String api, String baseUrl, String model, String deployment, String apiVersion,
            Secret apiKey, Pricing pricing, Map<String, String> labels, Map<String, Object> params,
            Integer maxOutputTokens, String maxTokensField, String tokenizer, ProviderAccess access) {
        this(name, api, baseUrl, model, deployment, apiVersion, apiKey, pricing, labels, params, maxOutputTokens,
                maxTokensField, tokenizer, access, true);
    }

    /** A target with the default connection settings ({@link TlsSpec#DEFAULT}). */
    public TargetSpec(String name, String api, String baseUrl, String model, String deployment, String apiVersion,
            Secret apiKey, Pricing pricing, Map<String, String> labels, Map<String, Object> params,
            Integer maxOutputTokens, String maxTokensField, String tokenizer, ProviderAccess access,
            boolean estimateAlongsideUsage) {
        this(name, api, baseUrl, model, deployment, apiVersion, apiKey, pricing, labels, params, maxOutputTokens,
                maxTokensField, tokenizer, access, estimateAlongsideUsage, TlsSpec.DEFAULT);
    }

    public TargetSpec {
        tls = tls == null ? TlsSpec.DEFAULT : tls;
    }

    /** This target with other connection settings. */
    public TargetSpec withTls(TlsSpec other) {
        return new TargetSpec(name, api, baseUrl, model, deployment, apiVersion, apiKey, pricing, labels, params,
                maxOutputTokens, maxTokensField, tokenizer, access, estimateAlongsideUsage, other);
    }
}
