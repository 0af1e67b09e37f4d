package dev.tokenbench.provider.azure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.core.Json;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.PreparedRequest;
import dev.tokenbench.provider.StreamDecoder;
import dev.tokenbench.provider.openai.OpenAiChatApi;
import dev.tokenbench.sim.SimApi;

import java.io.IOException;

/**
 * Azure OpenAI chat completions, streaming. With a deployment:
 * {@code POST {base}/openai/deployments/{deployment}/chat/completions?api-version=…} (default
 * {@value #DEFAULT_API_VERSION}, the latest GA version); without one, or with api-version {@code v1}: the v1 API,
 * {@code POST {base}/openai/v1/chat/completions}, which names the model (or deployment) in the body.
 *
 * <p>The body and the stream are OpenAI chat's, so both come from {@link OpenAiChatApi}: the same
 * {@code max_completion_tokens} (or the target's max-tokens-field) and {@code stream_options.include_usage}, and
 * the same decoder. Azure's extra chunks are not tokens for it: the first chunk has {@code "choices":[]} and only
 * {@code prompt_filter_results}; the {@code content_filter_results} inside choices carry no delta text; and the
 * asynchronous filter's annotation chunks have no delta at all.
 */
public final class AzureOpenAiApi extends AzureDeploymentApi {
    public static final String NAME = "azure-openai";
    public static final String DEFAULT_API_VERSION = "2024-10-21";
    private static final ObjectMapper JSON = Json.MAPPER;

    private final OpenAiChatApi chat = new OpenAiChatApi();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String defaultApiVersion() {
        return DEFAULT_API_VERSION;
    }

    @Override
    public String hint(String lowerCaseName) {
        return "azure".equals(lowerCaseName) ? " (did you mean '" + NAME + "'?)" : null;
    }

    @Override
    public void beforeRun(TargetSpec target) {
        AzureEndpoint.check(target);
    }

    @Override
    public PreparedRequest prepare(TargetSpec target, String resolvedBaseUrl, Prompt prompt, int maxOutputTokens) {
        byte[] body = chat.prepare(target, resolvedBaseUrl, prompt, maxOutputTokens).body();
        String model = AzureEndpoint.modelOrDeployment(target);
        if (model != null && !model.equals(target.model())) {
            // As the official SDKs do: the deployment is the model (the v1 API needs it; the dated one ignores it).
            body = withModel(body, model, target);
        }
        String root = AzureEndpoint.root(resolvedBaseUrl);
        String url;
        if (target.deployment() != null && !AzureEndpoint.wantsV1(target)) {
            String version = target.apiVersion() == null ? DEFAULT_API_VERSION : target.apiVersion();
            url = root + "/openai/deployments/" + AzureEndpoint.pathSegment(target.deployment())
                    + "/chat/completions?api-version=" + AzureEndpoint.encode(version);
        } else {
            url = root + "/openai/v1/chat/completions" + AzureEndpoint.v1Query(target);
        }
        return new PreparedRequest("POST", url, AzureEndpoint.headers(target), body);
    }

    @Override
    public StreamDecoder newDecoder(RequestMeasurement measurement) {
        return chat.newDecoder(measurement);
    }

    private static byte[] withModel(byte[] body, String model, TargetSpec target) {
        try {
            ObjectNode tree = (ObjectNode) JSON.readTree(body);
            tree.put("model", model);
            return JSON.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the request body for target " + target.name(), e);
        }
    }

    @Override
    public SimApi simApi() {
        return new AzureOpenAiSimApi();
    }
}
