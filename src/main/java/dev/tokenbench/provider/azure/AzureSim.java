package dev.tokenbench.provider.azure;

import dev.tokenbench.provider.openai.OpenAiChatSimEncoder;
import dev.tokenbench.provider.openai.OpenAiResponsesSimApi;
import dev.tokenbench.sim.SimError;
import dev.tokenbench.sim.SimRequestException;
import io.vertx.core.buffer.Buffer;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the simulator's two Azure OpenAI APIs share: the dated {@code api-version} query, Azure's error body for
 * the service's own errors, and the response headers Azure adds ({@code apim-request-id}, {@code x-ms-region}).
 * Keys ({@code api-key}) and Entra tokens are not checked: the simulator needs no credentials.
 */
final class AzureSim {
    static final String REGION = "Simulated Region";
    private static final Pattern API_VERSION = Pattern.compile("(?:^|&)api-version=([^&]*)");

    private static final String DEPLOYMENTS_PREFIX = "/openai/deployments/";

    private AzureSim() {
    }

    /** {@code /openai/deployments/{deployment}<suffix>} → the deployment; any other path → null. */
    static String deploymentOf(String path, String suffix) {
        if (path == null || !path.startsWith(DEPLOYMENTS_PREFIX) || !path.endsWith(suffix)) {
            return null;
        }
        int end = path.length() - suffix.length();
        if (end <= DEPLOYMENTS_PREFIX.length()) {
            return null;
        }
        String deployment = path.substring(DEPLOYMENTS_PREFIX.length(), end);
        return deployment.indexOf('/') >= 0 ? null : deployment;
    }

    /** Azure answers a dated route without an api-version as a URL it does not know. */
    static void requireApiVersion(String query) throws SimRequestException {
        String version = apiVersion(query);
        if (version == null || version.isEmpty()) {
            throw new SimRequestException(404, "Resource not found", null, "404");
        }
    }

    /** The api-version query parameter, or null. Per request, off the event path: a regex is fine here. */
    static String apiVersion(String query) {
        if (query == null) {
            return null;
        }
        Matcher m = API_VERSION.matcher(query);
        return m.find() ? m.group(1) : null;
    }

    /**
     * Azure's own errors ({@code {"error":{"code":…,"message":…}}}, the code defaulting to the status) with
     * {@code retry-after} on a 429, as Azure's rate limiter sends.
     */
    static SimError error(int status, String message, String code) {
        String body = "{\"error\":{\"code\":\"" + OpenAiChatSimEncoder.jsonEscape(code == null
                ? Integer.toString(status) : code) + "\",\"message\":\"" + OpenAiChatSimEncoder.jsonEscape(message)
                + "\"}}";
        Map<String, String> headers = status == 429 ? Map.of("retry-after", "1") : Map.of();
        return new SimError(status, "application/json", Buffer.buffer(body), headers);
    }

    /** A refused request body: Azure passes OpenAI's validation errors through in OpenAI's shape. */
    static SimError refused(SimRequestException refused) {
        if (refused.statusCode == 404) {
            return error(404, refused.getMessage(), refused.code);
        }
        return OpenAiResponsesSimApi.openAiError(refused.statusCode, refused.getMessage(), refused.type,
                refused.param, refused.code);
    }

    /** apim-request-id is a UUID; it is built from the response's random hex id. */
    static Map<String, String> headers(String responseIdHex) {
        String hex = (responseIdHex + "00000000000000000000000000000000").substring(0, 32);
        String uuid = hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20, 32);
        return Map.of("apim-request-id", uuid, "x-ms-region", REGION);
    }
}
