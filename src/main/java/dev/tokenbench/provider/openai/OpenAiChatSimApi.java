package dev.tokenbench.provider.openai;

import dev.tokenbench.core.Seeds;
import dev.tokenbench.sim.SimApi;
import dev.tokenbench.sim.SimEncoder;
import dev.tokenbench.sim.SimError;
import dev.tokenbench.sim.SimRequest;
import dev.tokenbench.sim.SimRequestException;
import dev.tokenbench.sim.SimResponseFacts;
import dev.tokenbench.sim.Simulator;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.util.Map;

/**
 * OpenAI chat completions ({@code api: openai-chat}) at {@code POST /v1/chat/completions}: what OpenAI and every
 * OpenAI-compatible server (vLLM, Bedrock's and Gemini's compatible endpoints) serve.
 */
public final class OpenAiChatSimApi implements SimApi {

    static final String PATH = "/v1/chat/completions";

    /** OpenAI's completion ids: {@code chatcmpl-} and 29 characters. */
    private static final int COMPLETION_ID_CHARS = 29;

    @Override
    public String api() {
        return "openai-chat";
    }

    @Override
    public boolean handles(String method, String path) {
        return "POST".equals(method) && PATH.equals(path);
    }

    @Override
    public SimRequest parse(String path, String query, MultiMap headers, Buffer body) throws SimRequestException {
        return OpenAiChatRequest.parse(body);
    }

    @Override
    public SimError error(int status, String message, String code) {
        return error(status, message, errorType(status), null, code);
    }

    /** Keeps the refusal's {@code param}, which OpenAI's error body has a field for. */
    @Override
    public SimError error(SimRequestException refused) {
        return error(refused.statusCode, refused.getMessage(), refused.type, refused.param, refused.code);
    }

    @Override
    public SimEncoder encoder(SimRequest request, SimResponseFacts facts) {
        String responseId = facts.responseId();
        String completionId = "chatcmpl-"
                + responseId.substring(0, Math.min(COMPLETION_ID_CHARS, responseId.length()));
        return new OpenAiChatSimEncoder(completionId, facts.createdEpochSeconds(), request.model(),
                systemFingerprint(facts.seed()),
                new OpenAiChatSimEncoder.Answer(facts.sendsUsage(), facts.visibleReasoning(), request.toolName()));
    }

    /** No usage asked: counting prompt tokens would wait for the tokenizer, which loads meanwhile. */
    @Override
    public Sample sample() {
        return new Sample(PATH, Buffer.buffer("{\"model\":\"warm-up\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    }

    /** OpenAI's fingerprint names the serving configuration: one per scenario, so derived from its seed. */
    public static String systemFingerprint(long seed) {
        StringBuilder fingerprint = new StringBuilder(13).append("fp_");
        Simulator.appendHex(fingerprint, Seeds.mix64(seed), 10);
        return fingerprint.toString();
    }

    /** The {@code type} OpenAI puts into its error bodies for a status. */
    static String errorType(int status) {
        if (status == 429) {
            return "requests";
        }
        return status >= 500 ? "server_error" : "invalid_request_error";
    }

    private static SimError error(int status, String message, String type, String param, String code) {
        return new SimError(status, "application/json",
                OpenAiChatSimEncoder.errorBody(message, type, param, code), Map.of());
    }
}
