package dev.tokenbench.provider.azure;

import dev.tokenbench.provider.openai.OpenAiResponsesRequest;
import dev.tokenbench.provider.openai.OpenAiResponsesSimEncoder;
import dev.tokenbench.sim.SimApi;
import dev.tokenbench.sim.SimEncoder;
import dev.tokenbench.sim.SimError;
import dev.tokenbench.sim.SimRequest;
import dev.tokenbench.sim.SimRequestException;
import dev.tokenbench.sim.SimResponseFacts;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Azure OpenAI Responses ({@code api: azure-openai-responses}): the v1 API at {@code POST /openai/v1/responses},
 * and the dated preview form at {@code POST /openai/responses?api-version=…}; both name the deployment as the
 * model. Also {@code POST /openai/deployments/{deployment}/responses?api-version=…}, the deployment-scoped route that
 * API Management gateways in front of Azure OpenAI serve (the body's model is optional there). The stream is OpenAI
 * Responses' ({@link OpenAiResponsesSimEncoder}) with Azure's response headers.
 */
public final class AzureOpenAiResponsesSimApi implements SimApi {
    public static final String API = "azure-openai-responses";
    static final String V1_PATH = "/openai/v1/responses";
    static final String DATED_PATH = "/openai/responses";
    private static final String RESPONSES_SUFFIX = "/responses";

    @Override
    public String api() {
        return API;
    }

    @Override
    public boolean handles(String method, String path) {
        return "POST".equals(method)
                && (V1_PATH.equals(path) || DATED_PATH.equals(path) || deploymentOf(path) != null);
    }

    @Override
    public SimRequest parse(String path, String query, MultiMap headers, Buffer body) throws SimRequestException {
        if (V1_PATH.equals(path)) {
            return OpenAiResponsesRequest.parse(body, null);
        }
        AzureSim.requireApiVersion(query);
        return OpenAiResponsesRequest.parse(body, deploymentOf(path));
    }

    @Override
    public SimError error(int status, String message, String code) {
        return AzureSim.error(status, message, code);
    }

    @Override
    public SimError error(SimRequestException refused) {
        return AzureSim.refused(refused);
    }

    @Override
    public SimEncoder encoder(SimRequest request, SimResponseFacts facts) {
        return new OpenAiResponsesSimEncoder(facts.responseId(), facts.createdEpochSeconds(), request.model(),
                request.maxTokens(), facts.sendsUsage(), AzureSim.headers(facts.responseId()))
                .answeringWithToolCall(request.toolName());
    }

    static String deploymentOf(String path) {
        return AzureSim.deploymentOf(path, RESPONSES_SUFFIX);
    }
}
