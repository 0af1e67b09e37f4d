package dev.tokenbench.provider.azure;

import dev.tokenbench.config.TargetSpec;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What both Azure OpenAI APIs share: the resource's URL root, the auth header, and the checks made before a run.
 *
 * <p>Auth is the {@code api-key} header by default; with {@code auth: entra} it is
 * {@code Authorization: Bearer <Microsoft Entra token>} from the target's access-token.
 */
final class AzureEndpoint {
    static final String ENTRA = "entra";

    private AzureEndpoint() {
    }

    /**
     * The resource root, e.g. {@code https://my-resource.openai.azure.com}. A base URL pasted with the
     * {@code /openai} or {@code /openai/v1} suffix the portal shows is accepted too.
     */
    static String root(String resolvedBaseUrl) {
        String base = resolvedBaseUrl.endsWith("/")
                ? resolvedBaseUrl.substring(0, resolvedBaseUrl.length() - 1) : resolvedBaseUrl;
        if (base.endsWith("/openai/v1")) {
            return base.substring(0, base.length() - "/openai/v1".length());
        }
        if (base.endsWith("/openai")) {
            return base.substring(0, base.length() - "/openai".length());
        }
        return base;
    }

    /** The model the request names: the deployment when there is one (Azure routes by deployment name). */
    static String modelOrDeployment(TargetSpec target) {
        return target.deployment() != null ? target.deployment() : target.model();
    }

    /**
     * True when the target asks for the v1 API by its api-version ({@code v1}, {@code preview} or {@code latest}):
     * with a deployment it then goes to the v1 URL with the deployment as the model, instead of the dated form.
     */
    static boolean wantsV1(TargetSpec target) {
        String version = target.apiVersion() == null ? "" : target.apiVersion().toLowerCase(Locale.ROOT);
        return version.equals("v1") || version.equals("preview") || version.equals("latest");
    }

    /**
     * The query of a v1 URL. The v1 API takes no dated api-version (the benchmark file gives every Azure target
     * one by default), only the channel names {@code preview} and {@code latest}, which are passed on.
     */
    static String v1Query(TargetSpec target) {
        String version = target.apiVersion() == null ? "" : target.apiVersion().toLowerCase(Locale.ROOT);
        return version.equals("preview") || version.equals("latest") ? "?api-version=" + version : "";
    }

    static String pathSegment(String value) {
        return encode(value).replace("+", "%20");
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static boolean usesEntra(TargetSpec target) {
        return target.access() != null && ENTRA.equalsIgnoreCase(target.access().auth());
    }

    /** JSON in, SSE out, and the credential. */
    static Map<String, String> headers(TargetSpec target) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("accept", "text/event-stream");
        if (usesEntra(target)) {
            if (target.access().accessToken() != null) {
                headers.put("authorization", "Bearer " + target.access().accessToken().reveal());
            }
        } else if (target.apiKey() != null) {
            headers.put("api-key", target.apiKey().reveal());
        }
        return headers;
    }

    /** Fails with what to write when the target cannot make a request; never shows a secret. */
    static void check(TargetSpec target) {
        if (target.deployment() == null && target.model() == null) {
            throw new IllegalArgumentException("api " + target.api() + " needs a deployment (the Azure deployment"
                    + " name), or a model for the v1 API");
        }
        if (usesEntra(target) && target.access().accessToken() == null && !target.baseUrl().startsWith("sim://")) {
            throw new IllegalArgumentException("auth: entra needs access-token: a Microsoft Entra token, e.g. "
                    + "${env:AZURE_OPENAI_AD_TOKEN} or ${file:/var/run/secrets/azure-token}");
        }
    }
}
