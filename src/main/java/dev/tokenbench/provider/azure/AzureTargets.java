package dev.tokenbench.provider.azure;

import dev.tokenbench.config.ProviderAccess;
import dev.tokenbench.config.TargetFields;

import java.util.List;

/** What both Azure OpenAI apis declare to the benchmark loader: keys, auth schemes and checks of a target block. */
final class AzureTargets {
    static final List<String> KEYS = List.of("deployment", "api-version", "auth", "access-token");
    static final List<String> AUTH_SCHEMES = List.of("api-key", AzureEndpoint.ENTRA);

    private AzureTargets() {
    }

    static String elsewhereFix(String key) {
        return switch (key) {
            case "deployment" -> "deployment is only used by the azure-openai apis; remove it, or set api: "
                    + "azure-openai";
            case "api-version" -> "api-version is only used by the azure-openai apis (and, as the "
                    + "anthropic-version header, by anthropic); remove it, or set api: azure-openai";
            case "access-token" -> "access-token is a bearer token for auth: entra (Azure) or vertex-gemini; "
                    + "remove it, or set auth: entra";
            default -> null;
        };
    }

    /** A deployment, or for the v1 API a model, is required. */
    static void checkModel(TargetFields target, String api) {
        if (target.model() == null && target.deployment() == null && !target.has("model")
                && !target.has("deployment")) {
            target.problem("deployment", "deployment is required for api " + api + "; write the Azure deployment "
                    + "name (or model, for the v1 API)");
        }
    }

    /** Entra needs its token (except against the simulator, which needs no credentials). */
    static void checkAccess(TargetFields target, ProviderAccess access) {
        if (!target.simulated() && AzureEndpoint.ENTRA.equals(access.auth()) && access.accessToken() == null) {
            target.problem("access-token", "auth: entra needs access-token: a Microsoft Entra token, e.g. "
                    + "${env:AZURE_OPENAI_AD_TOKEN} or ${file:/var/run/secrets/azure-token}");
        }
    }
}
