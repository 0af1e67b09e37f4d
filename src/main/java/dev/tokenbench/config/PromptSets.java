package dev.tokenbench.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Prompt-set files: found, read and validated; their errors name the prompt file, not the benchmark. */
final class PromptSets {
    static final String SEEDS_PREFIX = "seeds/";

    private static final List<String> FILE_KEYS = List.of("name", "system", "prompts");
    private static final List<String> PROMPT_KEYS = List.of("id", "text", "expected-output-tokens", "system");

    private PromptSets() {
    }

    /**
     * Finds the file named at the benchmark's {@code prompts} field: relative to the benchmark file's directory,
     * then the working directory, then, for {@code seeds/…}, the copy packaged in the executable.
     *
     * @param displayDir how the user would write the benchmark's directory (null: none), to name the file in errors
     * @return null after recording an error
     */
    static PromptSet load(String written, Problems benchmark, Path baseDir, Path displayDir, Path workingDir) {
        List<Path> candidates = SecretReferences.candidates(written, baseDir, workingDir);
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                String display = displayName(written, candidate, baseDir, displayDir, workingDir);
                Problems problems = benchmark.forFile(display);
                String yaml = YamlFiles.read(candidate, problems);
                return yaml == null ? null : parse(display, yaml, problems);
            }
        }
        String resource = bundledResourceName(written);
        if (resource != null && readResource(resource) != null) {
            return loadBundled(resource, benchmark);
        }
        benchmark.add("prompts", "prompt file '" + written + "' not found (looked in "
                + SecretReferences.describe(candidates) + (resource == null ? "" : " and the bundled seeds/")
                + "); check the path, or use {synthetic: {input-tokens: 500, output-tokens: 300}}");
        return null;
    }

    /**
     * A prompt set bundled in the executable ({@code seeds/…}), or null after an error when it is not one: the only
     * prompt files a benchmark posted to the service may name besides those in the service's own directory.
     */
    static PromptSet loadBundled(String written, Problems benchmark) {
        String resource = bundledResourceName(written);
        String yaml = resource == null ? null : readResource(resource);
        if (yaml == null) {
            return null;
        }
        String display = resource + " (bundled)";
        return parse(display, yaml, benchmark.forFile(display));
    }

    /** The path a user can open from where they stand: as written, unless it was found next to the benchmark. */
    private static String displayName(String written, Path found, Path baseDir, Path displayDir, Path workingDir) {
        Path asWritten = Path.of(written);
        if (asWritten.isAbsolute() || baseDir == null || found.equals(workingDir.resolve(asWritten).normalize())) {
            return written;
        }
        return displayDir == null ? written : displayDir.resolve(asWritten).normalize().toString();
    }

    private static String bundledResourceName(String written) {
        String normalized = written.replace('\\', '/');
        while (normalized.startsWith("./")) {
            normalized = normalized.substring(2);
        }
        if (!normalized.startsWith(SEEDS_PREFIX) || normalized.contains("..")) {
            return null;
        }
        return normalized;
    }

    /** The class loader of the running application first: Quarkus dev mode and tests load resources there. */
    static String readResource(String name) {
        ClassLoader[] loaders = {Thread.currentThread().getContextClassLoader(), PromptSets.class.getClassLoader()};
        for (ClassLoader loader : loaders) {
            if (loader == null) {
                continue;
            }
            try (InputStream in = loader.getResourceAsStream(name)) {
                if (in != null) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                return null;
            }
        }
        return null;
    }

    /** Validates a prompt-set file; null after recording its errors. */
    static PromptSet parse(String display, String yaml, Problems problems) {
        int before = problems.count();
        JsonNode tree = YamlFiles.parse(yaml, problems);
        if (tree == null) {
            return null;
        }
        Fields file = Fields.of(tree, "", "name, system and prompts", problems, null);
        if (file == null) {
            return null;
        }
        file.allowOnly(FILE_KEYS);
        Text name = file.text("name");
        Text system = file.text("system");
        ArrayNode entries = file.list("prompts", "prompts, each with an id and a text");
        if (!file.has("prompts")) {
            problems.add("prompts", "prompts is required; list the prompts, each with an id and a text");
        } else if (entries != null && entries.isEmpty()) {
            problems.add("prompts", "is empty; list at least one prompt with an id and a text");
        }
        List<Prompt> prompts = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; entries != null && i < entries.size(); i++) {
            Prompt prompt = parsePrompt(entries.get(i), "prompts[" + i + "]", problems, system, ids);
            if (prompt != null) {
                prompts.add(prompt);
            }
        }
        if (problems.count() > before) {
            return null;
        }
        String setName = name != null ? name.value() : fileNameWithoutExtension(display);
        return new PromptSet(setName, display, List.copyOf(prompts));
    }

    private static Prompt parsePrompt(JsonNode node, String path, Problems problems, Text defaultSystem,
                                      Set<String> ids) {
        Fields entry = Fields.of(node, path, "id, text, expected-output-tokens and system", problems, null);
        if (entry == null) {
            return null;
        }
        entry.allowOnly(PROMPT_KEYS);
        Text id = entry.requiredText("id", "id is required; give the prompt a unique id such as story-short");
        Text text = entry.requiredText("text", "text is required; write the prompt's text");
        Integer expected = entry.integer("expected-output-tokens", 1);
        Text system = entry.text("system");
        if (id != null && !ids.add(id.value())) {
            problems.add(entry.path("id"), "id '" + id.value() + "' is used by an earlier prompt; ids must be unique");
            return null;
        }
        if (id == null || text == null) {
            return null;
        }
        // An explicit empty system clears the file's default for this prompt.
        Text effectiveSystem = system != null ? system : defaultSystem;
        String systemPrompt = effectiveSystem == null || effectiveSystem.value().isBlank() ? null
                : effectiveSystem.value();
        return new Prompt(id.value(), systemPrompt, text.value(), expected);
    }

    static String fileNameWithoutExtension(String display) {
        String fileName = display.replace('\\', '/');
        fileName = fileName.substring(fileName.lastIndexOf('/') + 1);
        int space = fileName.indexOf(' ');
        if (space > 0 && fileName.endsWith("(bundled)")) {
            fileName = fileName.substring(0, space);
        }
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
}
