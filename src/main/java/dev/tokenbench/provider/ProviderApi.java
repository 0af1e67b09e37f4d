package dev.tokenbench.provider;

import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.TargetKind;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.sim.SimApi;

import java.util.Map;

/** One streaming API ({@code api} value of a target): how to ask, and how to read the answer. */
public interface ProviderApi extends TargetKind {
    /** The {@code api} value, e.g. {@code openai-chat}. */
    @Override
    String name();

    /**
     * The request for one prompt. {@code maxOutputTokens} is 0 for "the provider's default".
     * {@code resolvedBaseUrl} is the target's base URL after {@code sim://} has been mapped to the simulator.
     */
    PreparedRequest prepare(TargetSpec target, String resolvedBaseUrl, Prompt prompt, int maxOutputTokens);

    StreamDecoder newDecoder(RequestMeasurement measurement);

    /**
     * Once per target before the run, off the event loop: load credentials (AWS default chain), fetch a bearer
     * token from a command, and so on. Throws with a message that says what to fix; the message must not hold a
     * secret.
     */
    default void beforeRun(TargetSpec target) throws Exception {
    }

    /**
     * Headers that must be computed per request (a SigV4 signature over the body and the time, a refreshed
     * bearer token); added after {@link PreparedRequest#headers()}. Runs on the event loop: no blocking.
     */
    default Map<String, String> perRequestHeaders(TargetSpec target, PreparedRequest prepared) {
        return Map.of();
    }

    /**
     * The message of a failed response ({@code body}: its text, as much as was kept; {@code headers}: the response
     * headers kept for the record), led by the error's kind: see {@link ErrorBodies#describe}. Not scrubbed and not
     * cut to length: the caller does both. Off the streaming path (once per failed response).
     */
    default String errorMessage(String body, Map<String, String> headers) {
        return ErrorBodies.describe(body, null);
    }

    /**
     * The {@code cloud} label of this API's targets when their labels give none (metrics): who serves it, e.g.
     * {@code azure}, {@code aws}; empty when nobody in particular does.
     */
    default String cloud() {
        return "";
    }

    /** This API as the built-in simulator speaks it; null when the simulator does not. */
    default SimApi simApi() {
        return null;
    }
}
