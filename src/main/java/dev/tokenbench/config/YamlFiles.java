package dev.tokenbench.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading and parsing YAML files into trees, with their failures as {@link ConfigError}s. */
final class YamlFiles {
    /** A repeated key is almost always a copy-paste slip; YAML would silently keep the last one. */
    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private YamlFiles() {
    }

    /** The file's text, or null after recording why it cannot be read (field {@code (file)}). */
    static String read(Path file, Problems problems) {
        if (Files.isDirectory(file)) {
            problems.add("(file)", "is a directory, not a file; name a YAML file in it");
            return null;
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            problems.add("(file)", "file not found; check the path (looked for " + file.toAbsolutePath() + ")");
        } catch (AccessDeniedException e) {
            problems.add("(file)", "cannot read the file: permission denied; check its permissions");
        } catch (MalformedInputException e) {
            problems.add("(file)", "the file is not UTF-8 text; save it as UTF-8");
        } catch (IOException e) {
            problems.add("(file)", "cannot read the file (" + e.getClass().getSimpleName() + "); check the path");
        }
        return null;
    }

    /** The tree, or null after recording a syntax error at {@code (line N, column M)} or an empty file. */
    static JsonNode parse(String yaml, Problems problems) {
        try {
            JsonNode tree = MAPPER.readTree(yaml);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                problems.add("(file)", "the file is empty; fill it in (seeds/demo.yaml and seeds/azure-bench.yaml are examples)");
                return null;
            }
            return tree;
        } catch (JsonProcessingException e) {
            problems.add(location(e), shortMessage(e));
            return null;
        }
    }

    /** SnakeYAML's own mark points at the problem; Jackson's location can lag behind it. */
    private static String location(JsonProcessingException e) {
        if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked
                && marked.getProblemMark() != null) {
            return "(line " + (marked.getProblemMark().getLine() + 1) + ", column "
                    + (marked.getProblemMark().getColumn() + 1) + ")";
        }
        JsonLocation location = e.getLocation();
        return location == null ? "(syntax)" : "(line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** The parser's message without its source excerpt and caret lines, plus what to do. */
    private static String shortMessage(JsonProcessingException e) {
        String message;
        if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked) {
            message = marked.getProblem();
            if (marked.getContext() != null) {
                message += " (" + marked.getContext() + (marked.getContextMark() == null ? ""
                        : " that starts at line " + (marked.getContextMark().getLine() + 1)) + ")";
            }
        } else {
            message = e.getOriginalMessage();
        }
        message = message == null ? "invalid YAML" : message.strip().replaceAll("\\s+", " ");
        if (message.startsWith("Duplicate field")) {
            return message.replace("Duplicate field", "duplicate field") + "; keep one of them";
        }
        return "invalid YAML: " + message + "; check the indentation, colons and brackets there";
    }
}
