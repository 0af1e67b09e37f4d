package dev.tokenbench.provider.azure;

import dev.tokenbench.config.ProviderAccess;
import dev.tokenbench.config.TargetFields;
import dev.tokenbench.provider.ProviderApi;

import java.util.List;

/**
 * What both Azure OpenAI apis (chat completions and responses, served from a deployment) declare to the benchmark
 * loader: their cloud, keys, auth schemes and the checks of a target block.
 */
abstract class AzureDeploymentApi implements ProviderApi {
    private static final List<String> KEYS = List.of("deployment", "api-version", "auth", "access-token");
    private static final List<String> AUTH_SCHEMES = List.of("api-key", AzureEndpoint.ENTRA);

    @Override
    public String elsewhereFix(String key) {
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
    @Override
    public void checkModel(TargetFields target) {
        if (target.model() == null && target.deployment() == null && !target.has("model")
                && !target.has("deployment")) {
            target.problem("deployment", "deployment is required for api " + name() + "; write the Azure deployment "
                    + "name (or model, for the v1 API)");
        }
    }

    /** Entra needs its token (except against the simulator, which needs no credentials). */
    @Override
    public void checkAccess(TargetFields target, ProviderAccess access) {
        if (!target.simulated() && AzureEndpoint.ENTRA.equals(access.auth()) && access.accessToken() == null) {
            target.problem("access-token", "auth: entra needs access-token: a Microsoft Entra token, e.g. "
                    + "${env:AZURE_OPENAI_AD_TOKEN} or ${file:/var/run/secrets/azure-token}");
        }
    }
    @Override
    public String cloud() {
        return "azure";
    }

    @Override
    public List<String> keys() {
        return KEYS;
    }

    @Override
    public List<String> authSchemes() {
        return AUTH_SCHEMES;
    }

    @Override
    public boolean takesAccessToken(String auth) {
        return AzureEndpoint.ENTRA.equals(auth);
    }
}
