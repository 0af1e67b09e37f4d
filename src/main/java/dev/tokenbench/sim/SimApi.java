package dev.tokenbench.sim;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * One provider API as the simulator speaks it: which requests are its own, how to read them, and the bytes of its
 * streamed responses and errors, byte for byte as the provider's API reference shows them. The simulator's
 * engine ({@link Simulator}) owns timing, scenarios, slow requests and the log; an implementation owns only the
 * format. Stateless and thread-safe: one instance serves every request.
 *
 * <p>Requests reach a scenario as {@code /{scenario}/<the API's own path>}; {@link #handles} sees the path with
 * the {@code /{scenario}} prefix removed, e.g. {@code /v1/messages} or
 * {@code /v1beta/models/gemini-2.5-flash:streamGenerateContent}.
 */
public interface SimApi {
    /** The {@code api} value of the targets this serves, e.g. {@code anthropic}. */
    String api();

    /** True when this API serves {@code method path} (path without the scenario prefix, without the query). */
    boolean handles(String method, String path);

    /**
     * Reads a request. {@code query} is the raw query string or null. Throws for a request the real provider
     * would refuse (the status and message say why, in the provider's words where it has them).
     */
    SimRequest parse(String path, String query, MultiMap headers, Buffer body) throws SimRequestException;

    /** The error response the provider sends for this status (JSON body shaped as the provider shapes it). */
    SimError error(int status, String message, String code);

    /**
     * The error response for a request {@link #parse} refused. The default keeps status, message and code; an API
     * whose error body has more of the refusal's parts (OpenAI's {@code param}) overrides it.
     */
    default SimError error(SimRequestException refused) {
        return error(refused.statusCode, refused.getMessage(), refused.code);
    }

    /** The bytes of one streamed response. */
    SimEncoder encoder(SimRequest request, SimResponseFacts facts);

    /**
     * A small request this API streams an answer to, for the simulator's warm-up of its serving path; null when the
     * API offers none (the simulator warms up with the first API of its list that offers one).
     */
    default Sample sample() {
        return null;
    }

    /** @param path the API's own path, without the {@code /{scenario}} prefix */
    record Sample(String path, Buffer body) {
    }
}
