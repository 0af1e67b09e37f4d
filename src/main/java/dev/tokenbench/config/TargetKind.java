package dev.tokenbench.config;

import java.util.List;

/**
 * What the benchmark loader needs to know of one API (a target's {@code api} value): which of a target block's
 * optional keys it reads, how it authenticates, its defaults, and its own checks of a target block. The providers
 * implement it (provider/, one folder per API family); the loader asks them through an {@link ApiCatalog} and never
 * branches on an API's name. A check adds every problem it finds ({@link TargetFields#problem}) and stops at none.
 */
public interface TargetKind {
    /** The {@code api} value, e.g. the name a target block writes in {@code api:}. */
    String name();

    /**
     * The keys of a target block, beyond the ones every API reads, that this API reads (e.g. {@code region}); a
     * target of another API that writes one is told to remove it.
     */
    default List<String> keys() {
        return List.of();
    }

    /**
     * The fix for a target of another API that writes {@code key}, one of {@link #keys()}; null for the usual
     * "{@code key} is used by … only; remove it".
     */
    default String elsewhereFix(String key) {
        return null;
    }

    /** The {@code auth} schemes this API takes; empty when it authenticates with api-key only (and has no auth). */
    default List<String> authSchemes() {
        return List.of();
    }

    /** The scheme when {@code auth} is not written (only asked when {@link #authSchemes()} is not empty). */
    default String defaultAuthScheme(boolean hasApiKey, boolean simulated) {
        return authSchemes().get(0);
    }

    /** True when {@code access-token} is the credential of {@code auth} (a bearer token). */
    default boolean takesAccessToken(String auth) {
        return false;
    }

    /**
     * Why a benchmark posted to the service cannot use {@code auth} (it would sign with the host's own credentials),
     * or null when it can.
     */
    default String postedAuthProblem(String auth) {
        return null;
    }

    /** The api-version sent when the target writes none, or null. */
    default String defaultApiVersion() {
        return null;
    }

    /** The base URL when the target writes none and it does not follow from {@link #baseUrlFor}; null: none. */
    default String defaultBaseUrl() {
        return null;
    }

    /** True when a target without base-url gets one from its access fields ({@link #baseUrlFor}). */
    default boolean derivesBaseUrl() {
        return false;
    }

    /** The base URL that follows from the target's region, location, …; null when it does not follow. */
    default String baseUrlFor(ProviderAccess access) {
        return null;
    }

    /**
     * What to say to a target whose unknown api is {@code lowerCaseName}, a name people reach for that means this
     * API (e.g. {@code " (did you mean 'x'?)"}, with its leading space); null when the name is not one of those.
     */
    default String hint(String lowerCaseName) {
        return null;
    }

    /** Why {@code params.<key>} cannot be set for this API (tokenbench sets that field itself), or null. */
    default String reservedParam(String key) {
        return null;
    }

    /** Checks the model and deployment of a target: by default a non-empty {@code model} is required. */
    default void checkModel(TargetFields target) {
        if (!target.has("model")) {
            target.problem("model", "model is required for api " + name() + "; write the model name, e.g. "
                    + "gpt-4.1-mini");
        } else if (target.model() != null && target.model().isBlank()) {
            target.problem("model", "is empty; write the model name, e.g. gpt-4.1-mini");
        }
    }

    /**
     * Checks what this API needs of the access fields ({@code access}: as read, each null when absent or bad):
     * a region, a project, a token. Runs after the checks every target gets.
     */
    default void checkAccess(TargetFields target, ProviderAccess access) {
    }
}
