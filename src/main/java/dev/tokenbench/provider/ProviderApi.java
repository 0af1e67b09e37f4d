package dev.tokenbench.provider;

import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.RequestMeasurement;

/** One streaming API ({@code api} value of a target): how to ask, and how to read the answer. */
public interface ProviderApi {
    /** The {@code api} value, e.g. {@code openai-chat}. */
    String name();

    /**
     * The request for one prompt. {@code maxOutputTokens} is 0 for "the provider's default".
     * {@code resolvedBaseUrl} is the target's base URL after {@code sim://} has been mapped to the simulator.
     */
    PreparedRequest prepare(TargetSpec target, String resolvedBaseUrl, Prompt prompt, int maxOutputTokens);

    StreamDecoder newDecoder(RequestMeasurement measurement);
}
