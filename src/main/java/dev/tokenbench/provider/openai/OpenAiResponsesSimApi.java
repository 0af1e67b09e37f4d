package dev.tokenbench.provider.openai;

import dev.tokenbench.sim.SimApi;
import dev.tokenbench.sim.SimEncoder;
import dev.tokenbench.sim.SimError;
import dev.tokenbench.sim.SimRequest;
import dev.tokenbench.sim.SimRequestException;
import dev.tokenbench.sim.SimResponseFacts;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.util.Map;

/**
 * OpenAI Responses ({@code api: openai-responses}) at {@code POST /v1/responses}, streaming only. The bearer key is
 * not checked: the simulator needs no credentials. Reasoning is streamed as summary deltas when the request asks
 * for a summary ({@code reasoning.summary}) and the scenario's reasoning is visible; otherwise it is hidden and
 * shows only in usage, as OpenAI's reasoning models do.
 */
public final class OpenAiResponsesSimApi implements SimApi {
    public static final String API = "openai-responses";
    static final String PATH = "/v1/responses";

    @Override
    public String api() {
        return API;
    }

    @Override
    public boolean handles(String method, String path) {
        return "POST".equals(method) && PATH.equals(path);
    }

    @Override
    public SimRequest parse(String path, String query, MultiMap headers, Buffer body) throws SimRequestException {
        return OpenAiResponsesRequest.parse(body, null);
    }

    @Override
    public SimError error(int status, String message, String code) {
        return openAiError(status, message, OpenAiChatSimApi.errorType(status), null, code);
    }

    /** Keeps the refusal's {@code param}, which OpenAI's error body has a field for. */
    @Override
    public SimError error(SimRequestException refused) {
        return openAiError(refused.statusCode, refused.getMessage(), refused.type, refused.param, refused.code);
    }

    @Override
    public SimEncoder encoder(SimRequest request, SimResponseFacts facts) {
        return new OpenAiResponsesSimEncoder(facts.responseId(), facts.createdEpochSeconds(), request.model(),
                request.maxTokens(), facts.sendsUsage(), Map.of())
                .answeringWithToolCall(request.toolName());
    }

    public static SimError openAiError(int status, String message, String type, String param, String code) {
        return new SimError(status, "application/json",
                OpenAiChatSimEncoder.errorBody(message, type, param, code), Map.of());
    }
}
