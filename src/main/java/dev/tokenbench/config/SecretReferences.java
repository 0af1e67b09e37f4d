package dev.tokenbench.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${env:NAME}} and {@code ${file:PATH}} in benchmark files, resolved when the plan is built so that a
 * missing credential fails before the run, not in its first request. Resolved values are secret: they appear
 * in no error message and in no redacted tree, and each is kept so that every output can take it out
 * ({@link SecretValues}). A benchmark posted to the service reads neither: it names a credential of the service's
 * settings, {@code ${credential:NAME}}, and only where a credential goes (api-key, access-token).
 */
final class SecretReferences {
    static final String REDACTED = Secret.REDACTED;

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file|credential):([^}]*)}");
    /** The fields that hold a credential: the only ones a named credential may fill. */
    static final Set<String> CREDENTIAL_KEYS = Set.of("api-key", "access-token");
    /** {@code ${OPENAI_API_KEY}}: the shell habit; the file must say where the value comes from. */
    private static final Pattern BARE_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Function<String, String> env;
    private final Path baseDir;
    private final Path workingDir;
    private final PostedPolicy posted;
    /** Every value a reference resolved to: secret wherever it goes. */
    private final List<String> resolvedValues = new ArrayList<>();

    /**
     * @param baseDir the benchmark file's directory, or null for a file with no directory (a REST body)
     * @param posted  the service's rules for a posted benchmark, or null for the CLI's own file
     */
    SecretReferences(Function<String, String> env, Path baseDir, Path workingDir, PostedPolicy posted) {
        this.env = env;
        this.baseDir = baseDir;
        this.workingDir = workingDir;
        this.posted = posted;
    }

    /** The values references resolved to so far. */
    List<String> resolvedValues() {
        return resolvedValues;
    }

    static boolean containsReference(String s) {
        return s != null && REFERENCE.matcher(s).find();
    }

    /**
     * @return the text with every reference replaced by its value, or null after recording one error per
     *         reference that cannot be resolved
     */
    Text resolve(String raw, String field, Problems problems) {
        Matcher bare = BARE_REFERENCE.matcher(raw);
        if (bare.find()) {
            problems.add(field, "'" + bare.group() + "' does not say where its value comes from; write ${env:"
                    + bare.group(1) + "} for an environment variable or ${file:PATH} for a file");
            return null;
        }
        Matcher m = REFERENCE.matcher(raw);
        if (!m.find()) {
            return Text.literal(raw);
        }
        StringBuilder resolved = new StringBuilder();
        boolean failed = false;
        int copiedUpTo = 0;
        do {
            resolved.append(raw, copiedUpTo, m.start());
            String value = switch (m.group(1)) {
                case "env" -> posted != null ? refused(m.group(), field, problems) : fromEnv(m.group(2), field, problems);
                case "file" -> posted != null ? refused(m.group(), field, problems)
                        : fromFile(m.group(2), field, problems);
                default -> fromCredential(m.group(2), field, problems);
            };
            if (value == null) {
                failed = true;
            } else {
                resolved.append(value);
                resolvedValues.add(value);
            }
            copiedUpTo = m.end();
        } while (m.find());
        resolved.append(raw, copiedUpTo, raw.length());
        return failed ? null : new Text(resolved.toString(), raw);
    }

    /** Where a value came from, safe to show: {@code env:NAME}, {@code file:PATH}, or {@code inline}. */
    static String sourceOf(String asWritten) {
        Matcher m = REFERENCE.matcher(asWritten);
        List<String> sources = new ArrayList<>();
        while (m.find()) {
            sources.add(m.group(1) + ":" + m.group(2));
        }
        return sources.isEmpty() ? "inline" : String.join("+", sources);
    }

    private static String refused(String reference, String field, Problems problems) {
        problems.add(field, "'" + reference + "' cannot be used in a benchmark posted to the service: it would read "
                + "the service's environment or files; use ${credential:NAME} in api-key or access-token for a "
                + "credential named in the service's settings (tokenbench.serve.credentials), or run a benchmark "
                + "file the service has (tokenbench.serve.benchmarks-dir)");
        return null;
    }

    private String fromCredential(String name, String field, Problems problems) {
        if (posted == null) {
            problems.add(field, "'${credential:" + name + "}' names a credential of the service's settings, for "
                    + "benchmarks posted to the service; in a benchmark file write ${env:NAME} or ${file:PATH}");
            return null;
        }
        if (!CREDENTIAL_KEYS.contains(lastKey(field))) {
            problems.add(field, "a named credential can only be used as api-key or access-token; write this value "
                    + "inline");
            return null;
        }
        PostedPolicy.NamedCredential credential = posted.credentials().get(name);
        if (credential == null) {
            problems.add(field, "the service has no credential named '" + name + "'"
                    + (posted.credentials().isEmpty() ? " (it has none)"
                            : "; it has " + String.join(", ", posted.credentials().keySet().stream().sorted().toList()))
                    + "; name one of those, or ask the service's operator to add it to tokenbench.serve.credentials");
            return null;
        }
        return credential.value();
    }

    /** The credentials named in a text as written: {@code ${credential:NAME}} → NAME. */
    static List<String> credentialNames(String asWritten) {
        List<String> names = new ArrayList<>();
        Matcher m = REFERENCE.matcher(asWritten);
        while (m.find()) {
            if (m.group(1).equals("credential")) {
                names.add(m.group(2));
            }
        }
        return names;
    }

    private static String lastKey(String field) {
        return field.substring(field.lastIndexOf('.') + 1);
    }

    private String fromEnv(String name, String field, Problems problems) {
        if (!ENV_NAME.matcher(name).matches()) {
            problems.add(field, "'${env:" + name + "}' does not name an environment variable; write it like "
                    + "${env:OPENAI_API_KEY}");
            return null;
        }
        String value = env.apply(name);
        if (value == null) {
            problems.add(field, "environment variable " + name + " is not set; export it or use ${file:PATH}");
            return null;
        }
        return value;
    }

    private String fromFile(String written, String field, Problems problems) {
        if (written.isBlank()) {
            problems.add(field, "'${file:}' names no file; write it like ${file:secrets/openai-key}");
            return null;
        }
        String expanded = written;
        String home = env.apply("HOME");
        if (written.startsWith("~/") && home != null) {
            expanded = home + written.substring(1);
        }
        List<Path> candidates = candidates(expanded, baseDir, workingDir);
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                try {
                    return stripTrailingNewlines(Files.readString(candidate, StandardCharsets.UTF_8));
                } catch (MalformedInputException e) {
                    problems.add(field, "file " + written + " is not UTF-8 text; save the secret as plain text");
                    return null;
                } catch (IOException e) {
                    problems.add(field, "cannot read file " + written + " (" + e.getClass().getSimpleName()
                            + "); check its permissions");
                    return null;
                }
            }
        }
        problems.add(field, "file " + written + " not found (looked in " + describe(candidates)
                + "); create it or use ${env:NAME}");
        return null;
    }

    /** A relative path is tried against the benchmark file's directory first, then the working directory. */
    static List<Path> candidates(String written, Path baseDir, Path workingDir) {
        Path path;
        try {
            path = Path.of(written);
        } catch (InvalidPathException e) {
            return List.of();
        }
        if (path.isAbsolute()) {
            return List.of(path);
        }
        List<Path> candidates = new ArrayList<>(2);
        if (baseDir != null) {
            candidates.add(baseDir.resolve(path).normalize());
        }
        Path fromWorkingDir = workingDir.resolve(path).normalize();
        if (!candidates.contains(fromWorkingDir)) {
            candidates.add(fromWorkingDir);
        }
        return candidates;
    }

    static String describe(List<Path> candidates) {
        return String.join(", ", candidates.stream().map(Path::toString).toList());
    }

    private static String stripTrailingNewlines(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    /**
     * A copy of the benchmark tree fit for run records: every credential ({@code api-key}, {@code access-token})
     * and every value holding a reference becomes {@code ***}.
     */
    static ObjectNode redact(ObjectNode tree) {
        ObjectNode copy = tree.deepCopy();
        redactInPlace(copy);
        return copy;
    }

    private static void redactInPlace(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                if (CREDENTIAL_KEYS.contains(field.getKey()) && !field.getValue().isNull()) {
                    field.setValue(TextNode.valueOf(REDACTED));
                } else if (field.getValue().isTextual() && containsReference(field.getValue().asText())) {
                    field.setValue(TextNode.valueOf(REDACTED));
                } else {
                    redactInPlace(field.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual() && containsReference(array.get(i).asText())) {
                    array.set(i, TextNode.valueOf(REDACTED));
                } else {
                    redactInPlace(array.get(i));
                }
            }
        }
    }
}
