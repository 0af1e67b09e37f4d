package dev.tokenbench.provider.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.core.Json;
import dev.tokenbench.provider.openai.OpenAiChatRequest;
import dev.tokenbench.provider.openai.OpenAiChatSimApi;
import dev.tokenbench.sim.SimApi;
import dev.tokenbench.sim.SimEncoder;
import dev.tokenbench.sim.SimError;
import dev.tokenbench.sim.SimRequest;
import dev.tokenbench.sim.SimRequestException;
import dev.tokenbench.sim.SimResponseFacts;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;

/**
 * Azure OpenAI chat completions ({@code api: azure-openai}): the deployment form at
 * {@code POST /openai/deployments/{deployment}/chat/completions?api-version=…} (the body's model is optional there:
 * the deployment names it), and the v1 API at {@code POST /openai/v1/chat/completions}. The body is OpenAI chat's
 * ({@link OpenAiChatRequest}); the stream is Azure's ({@link AzureOpenAiChatSimEncoder}): a first chunk with only
 * {@code prompt_filter_results}, and {@code content_filter_results} in every choice.
 */
public final class AzureOpenAiSimApi implements SimApi {
    public static final String API = "azure-openai";
    static final String V1_PATH = "/openai/v1/chat/completions";
    private static final String CHAT_SUFFIX = "/chat/completions";
    private static final ObjectMapper MAPPER = Json.MAPPER;

    @Override
    public String api() {
        return API;
    }

    @Override
    public boolean handles(String method, String path) {
        return "POST".equals(method) && (V1_PATH.equals(path) || deploymentOf(path) != null);
    }

    @Override
    public SimRequest parse(String path, String query, MultiMap headers, Buffer body) throws SimRequestException {
        String deployment = deploymentOf(path);
        if (deployment == null) {
            return OpenAiChatRequest.parse(body);
        }
        AzureSim.requireApiVersion(query);
        return OpenAiChatRequest.parse(withModel(body, deployment));
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
        String responseId = facts.responseId();
        String completionId = "chatcmpl-" + responseId.substring(0, Math.min(29, responseId.length()));
        return new AzureOpenAiChatSimEncoder(completionId, facts.createdEpochSeconds(), request.model(),
                OpenAiChatSimApi.systemFingerprint(facts.seed()), facts.sendsUsage(), AzureSim.headers(responseId))
                .answeringWithToolCall(request.toolName());
    }

    static String deploymentOf(String path) {
        return AzureSim.deploymentOf(path, CHAT_SUFFIX);
    }

    /** The body with the deployment as its model when it names none (a body that is not JSON is left as it is). */
    private static Buffer withModel(Buffer body, String deployment) {
        try {
            JsonNode root = MAPPER.readTree(body.getBytes());
            if (root instanceof ObjectNode object && !object.path("model").isTextual()) {
                object.put("model", deployment);
                return Buffer.buffer(MAPPER.writeValueAsBytes(object));
            }
        } catch (IOException notJson) {
            // OpenAiChatRequest answers it as OpenAI does
        }
        return body;
    }
}
