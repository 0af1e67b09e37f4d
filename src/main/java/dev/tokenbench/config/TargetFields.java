package dev.tokenbench.config;

/**
 * One target block as a {@link TargetKind}'s checks see it: what the loader has read of it so far, and where to
 * record a problem. Values that can hold a secret are not offered.
 */
public final class TargetFields {
    private final Fields fields;
    private final Text model;
    private final Text deployment;
    private final boolean hasApiKey;

    TargetFields(Fields fields, Text model, Text deployment, boolean hasApiKey) {
        this.fields = fields;
        this.model = model;
        this.deployment = deployment;
        this.hasApiKey = hasApiKey;
    }

    /** These fields, once the api-key has been read. */
    TargetFields withApiKey(boolean apiKeyRead) {
        return new TargetFields(fields, model, deployment, apiKeyRead);
    }

    /** True when the block writes {@code key} (with a value other than null). */
    public boolean has(String key) {
        return fields.has(key);
    }

    /** Records a problem at {@code key} of this target, e.g. {@code targets[0].region}. */
    public void problem(String key, String fix) {
        fields.problems().add(fields.path(key), fix);
    }

    /** The model as written (references resolved), or null when absent or unreadable. */
    public String model() {
        return model == null ? null : model.value();
    }

    /** The deployment as written (references resolved), or null when absent or unreadable. */
    public String deployment() {
        return deployment == null ? null : deployment.value();
    }

    /** True when the target has a usable api-key. */
    public boolean hasApiKey() {
        return hasApiKey;
    }

    /** True when the target writes a base-url. */
    public boolean hasBaseUrl() {
        return fields.has("base-url");
    }

    /** True when the target's base-url is the built-in simulator's ({@code sim://…}): it needs no credentials. */
    public boolean simulated() {
        return simulated(fields);
    }

    static boolean simulated(Fields fields) {
        return fields.has("base-url") && fields.raw("base-url").asText("").strip().startsWith("sim://");
    }
}
