package dev.tokenbench.provider.azure;

import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.PreparedRequest;
import dev.tokenbench.provider.StreamDecoder;
import dev.tokenbench.provider.openai.OpenAiResponsesApi;
import dev.tokenbench.sim.SimApi;


/**
 * Azure OpenAI Responses, streaming. The v1 API, {@code POST {base}/openai/v1/responses}, when the target has no
 * deployment or asks for api-version {@code v1}; with a deployment and a dated api-version (default
 * {@value #DEFAULT_API_VERSION}), the preview form Azure documents for it and the official SDKs call:
 * {@code POST {base}/openai/responses?api-version=…}. Both name the deployment as the model in the body: Azure
 * has no deployment-scoped responses path (the SDKs route only chat, completions, embeddings, audio and images
 * through {@code /openai/deployments/{deployment}/…}).
 *
 * <p>Body and stream are OpenAI Responses', from {@link OpenAiResponsesApi}.
 */
public final class AzureOpenAiResponsesApi extends AzureDeploymentApi {
    public static final String NAME = "azure-openai-responses";
    public static final String DEFAULT_API_VERSION = "2025-04-01-preview";

    private final OpenAiResponsesApi responses = new OpenAiResponsesApi();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String defaultApiVersion() {
        return DEFAULT_API_VERSION;
    }

    @Override
    public void beforeRun(TargetSpec target) {
        AzureEndpoint.check(target);
    }

    @Override
    public PreparedRequest prepare(TargetSpec target, String resolvedBaseUrl, Prompt prompt, int maxOutputTokens) {
        byte[] body = OpenAiResponsesApi.requestBody(target, AzureEndpoint.modelOrDeployment(target), prompt,
                maxOutputTokens);
        String root = AzureEndpoint.root(resolvedBaseUrl);
        String url;
        if (target.deployment() != null && !AzureEndpoint.wantsV1(target)) {
            String version = target.apiVersion() == null ? DEFAULT_API_VERSION : target.apiVersion();
            url = root + "/openai/responses?api-version=" + AzureEndpoint.encode(version);
        } else {
            url = root + "/openai/v1/responses" + AzureEndpoint.v1Query(target);
        }
        return new PreparedRequest("POST", url, AzureEndpoint.headers(target), body);
    }

    @Override
    public StreamDecoder newDecoder(RequestMeasurement measurement) {
        return responses.newDecoder(measurement);
    }

    @Override
    public SimApi simApi() {
        return new AzureOpenAiResponsesSimApi();
    }
}
