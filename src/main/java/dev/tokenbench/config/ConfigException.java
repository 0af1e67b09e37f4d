package dev.tokenbench.config;

import java.util.List;

/** Every problem found in a benchmark file, at once. Its message never holds a secret's value. */
public final class ConfigException extends Exception {
    private final List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(render(errors));
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }

    private static String render(List<ConfigError> errors) {
        StringBuilder sb = new StringBuilder();
        sb.append(errors.size()).append(errors.size() == 1 ? " problem" : " problems");
        for (ConfigError e : errors) {
            sb.append("\n  ").append(e);
        }
        return sb.toString();
    }
}
