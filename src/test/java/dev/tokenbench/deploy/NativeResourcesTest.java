package dev.tokenbench.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tokenbench.config.BenchmarkLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A native executable holds only the resources quarkus.native.resources.includes names: everything the app loads
 * from the class path (the bundled demo and prompt sets, the report template, the tokenizer's encodings) must
 * match one of its globs, or `run` works on a JVM and fails in the container.
 */
class NativeResourcesTest {

    static final Path APPLICATION_YAML = Path.of("src/main/resources/application.yaml");

    static List<Pattern> includes() throws IOException {
        JsonNode value = new YAMLMapper().readTree(APPLICATION_YAML.toFile()).at("/quarkus/native/resources/includes");
        assertTrue(value.isTextual() || value.isArray(), "quarkus.native.resources.includes in " + APPLICATION_YAML);
        List<String> globs = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(g -> globs.add(g.asText()));
        } else {
            globs.addAll(List.of(value.asText().split(",")));
        }
        List<Pattern> out = new ArrayList<>();
        for (String glob : globs) {
            out.add(globToRegex(glob.strip()));
        }
        return out;
    }

    /** Quarkus' globs: ** crosses folders, * stays within one. */
    static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    static boolean covered(List<Pattern> includes, String resource) {
        return includes.stream().anyMatch(p -> p.matcher(resource).matches());
    }

    @Test
    void everyResourceTheJarShipsIsInTheNativeImage() throws IOException {
        List<Pattern> includes = includes();
        List<String> resources = new ArrayList<>();
        for (Path root : List.of(Path.of("src/main/resources"), Path.of("seeds"))) {
            String prefix = root.toString().equals("seeds") ? "seeds/" : "";
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(Files::isRegularFile)
                        .map(p -> prefix + root.relativize(p).toString().replace('\\', '/'))
                        .filter(r -> !r.equals("application.properties") && !r.equals("application.yaml"))
                        .filter(r -> !r.startsWith("META-INF/"))
                        .forEach(resources::add);
            }
        }
        assertFalse(resources.isEmpty());
        assertTrue(resources.contains(BenchmarkLoader.DEMO_RESOURCE), resources.toString());
        for (String resource : resources) {
            assertTrue(covered(includes, resource), resource + " is not in quarkus.native.resources.includes " + includes);
        }
    }

    @Test
    void theTokenizerEncodingsAreInTheNativeImage() throws IOException {
        List<Pattern> includes = includes();
        for (String encoding : List.of("cl100k_base", "o200k_base", "p50k_base", "r50k_base")) {
            String resource = "com/knuddels/jtokkit/" + encoding + ".tiktoken";
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
                assertNotNull(in, "jtokkit no longer ships " + resource + "; update this test and the includes");
            }
            assertTrue(covered(includes, resource), resource + " is not in " + includes);
        }
        assertFalse(covered(includes, "dev/tokenbench/Unrelated.txt"), "the globs are not match-all");
    }
}
