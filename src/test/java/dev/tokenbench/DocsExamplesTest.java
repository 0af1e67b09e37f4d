package dev.tokenbench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.ConfigError;
import dev.tokenbench.config.ConfigException;
import dev.tokenbench.provider.ProviderRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every benchmark example in the README and the reference pages under docs/ still validates: a page that shows a
 * field the loader no longer takes fails here. A ```yaml block is a benchmark example when its top-level keys are
 * benchmark-file keys; a fragment (a load line, a simulator block, a list of targets) is completed with a simulated
 * target, synthetic prompts (unless it replays a trace, which brings its own) and a scenario before it is validated.
 * Blocks of other files (a prompt set, the service's settings, Prometheus') are counted and skipped. Two
 * alternatives shown in one block (two load: lines) are validated one by one.
 */
class DocsExamplesTest {
    private static final Set<String> BENCHMARK_KEYS = Set.of("name", "targets", "prompts", "load",
            "max-output-tokens", "slo", "baseline", "simulator", "push-gateway", "probe");
    private static final YAMLMapper YAML = new YAMLMapper();

    /** One ```yaml block of a page, at its line. */
    record Example(Path page, int line, String yaml) {
        @Override
        public String toString() {
            return page + ":" + line;
        }
    }

    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(Path.of("README.md"));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    static List<Example> examples(Path page) throws IOException {
        List<Example> list = new ArrayList<>();
        List<String> lines = Files.readAllLines(page);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("```yaml")) {
                StringBuilder yaml = new StringBuilder();
                int start = i + 1;
                while (++i < lines.size() && !lines.get(i).strip().equals("```")) {
                    yaml.append(lines.get(i)).append('\n');
                }
                list.add(new Example(page, start, yaml.toString()));
            }
        }
        return list;
    }

    /** The block as one or more documents: a top-level key seen again starts the next alternative. */
    static List<String> alternatives(String yaml) {
        List<String> docs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        Set<String> seen = new HashSet<>();
        for (String line : yaml.split("\n")) {
            int colon = line.indexOf(':');
            boolean topKey = !line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("#")
                    && !line.startsWith("-") && colon > 0;
            if (topKey && !seen.add(line.substring(0, colon))) {
                docs.add(current.toString());
                current.setLength(0);
                seen.clear();
                seen.add(line.substring(0, colon));
            }
            current.append(line).append('\n');
        }
        docs.add(current.toString());
        return docs;
    }

    /** A fragment made a whole benchmark: a simulated target, synthetic prompts and a scenario where it has none. */
    static String completed(ObjectNode doc) throws IOException {
        if (!doc.has("simulator")) {
            doc.set("simulator", YAML.readTree("scenarios: {direct: {ttft: 100ms, tokens-per-second: 50}}"));
        }
        if (!doc.has("targets")) {
            String scenario = doc.path("simulator").path("scenarios").fieldNames().next();
            doc.set("targets", YAML.readTree("- {name: sim, api: openai-chat, base-url: 'sim://" + scenario
                    + "/v1', model: m}"));
        }
        if (!doc.has("prompts") && !"trace".equals(doc.path("load").path("mode").asText())) { // a trace has its own
            doc.set("prompts", YAML.readTree("synthetic: {input-tokens: 50, output-tokens: 20}"));
        }
        if (!doc.has("name")) {
            doc.put("name", "docs-example");
        }
        return YAML.writeValueAsString(doc);
    }

    /** A certificate or key the example names as the reader's own file (certs/…), which this checkout lacks. */
    private static boolean readersFile(ConfigError e) {
        return e.field().matches(".*\\.(ca-file|client-cert|client-key)") && e.fix().contains(" not found (looked in ");
    }

    @Test
    void everyBenchmarkExampleInTheDocsValidates() throws Exception {
        BenchmarkLoader loader = new BenchmarkLoader(name -> "docs-example-value", Path.of(""),
                ProviderRegistry.defaults());
        int validated = 0;
        int skipped = 0;
        List<String> failures = new ArrayList<>();
        Set<Path> pagesWithExamples = new HashSet<>();
        for (Path page : pages()) {
            for (Example e : examples(page)) {
                for (String alternative : alternatives(e.yaml())) {
                    JsonNode doc = YAML.readTree(alternative);
                    if (doc == null || !doc.isObject() || doc.isEmpty()) {
                        fail(e + ": a ```yaml block that is no YAML mapping: " + alternative);
                    }
                    Set<String> keys = new HashSet<>();
                    doc.fieldNames().forEachRemaining(keys::add);
                    if (!BENCHMARK_KEYS.containsAll(keys)) {
                        skipped++;
                        continue;
                    }
                    try {
                        loader.load(e.toString(), completed((ObjectNode) doc), Path.of(""));
                        validated++;
                        pagesWithExamples.add(page);
                    } catch (ConfigException x) {
                        List<ConfigError> real = x.errors().stream().filter(err -> !readersFile(err)).toList();
                        if (real.isEmpty()) {
                            validated++;
                            pagesWithExamples.add(page);
                        } else {
                            failures.add(e + ": " + real);
                        }
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), "examples that no longer validate:\n" + String.join("\n", failures));
        assertTrue(validated >= 10, "benchmark examples found: " + validated + " (skipped " + skipped + ")");
        for (String page : new String[] {"README.md", "docs/benchmark-file.md", "docs/apis.md"}) {
            assertTrue(pagesWithExamples.contains(Path.of(page)), page + " shows a benchmark that validates");
        }
    }

    @Test
    void theReadmeIsShortAndLinksEveryReferencePage() throws Exception {
        List<String> readme = Files.readAllLines(Path.of("README.md"));
        assertTrue(readme.size() <= 250, "README.md has " + readme.size() + " lines; the reference goes to docs/");
        String text = String.join("\n", readme);
        for (Path page : pages()) {
            if (!page.toString().equals("README.md")) {
                assertTrue(text.contains("(" + page.toString().replace('\\', '/') + ")"), page + " is linked");
            }
        }
        assertEquals("./tokenbench run      # the bundled demo: three simulated clouds, no keys, no servers, under "
                + "a minute", readme.get(9), "the first of the two commands");
    }

    /** A link to a page or an anchor of the docs points at something that exists. */
    @Test
    void linksBetweenThePagesResolve() throws Exception {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            String text = Files.readString(page);
            var m = java.util.regex.Pattern.compile("\\]\\(([^)\\s#]*)(#[^)\\s]*)?\\)").matcher(text);
            while (m.find()) {
                String file = m.group(1);
                String anchor = m.group(2);
                if (file.startsWith("http://") || file.startsWith("https://")) {
                    continue;
                }
                Path target = file.isEmpty() ? page : page.resolveSibling(file).normalize();
                if (!Files.exists(target)) {
                    broken.add(page + ": " + m.group());
                    continue;
                }
                if (anchor != null && target.toString().endsWith(".md")
                        && !anchors(Files.readAllLines(target)).contains(anchor.substring(1))) {
                    broken.add(page + ": " + m.group() + " (no such heading)");
                }
            }
        }
        assertTrue(broken.isEmpty(), "broken links:\n" + String.join("\n", broken));
    }

    /** GitHub's heading anchors: lower case, punctuation but - and _ dropped, spaces as -. */
    static Set<String> anchors(List<String> lines) {
        Set<String> anchors = new HashSet<>();
        boolean fence = false;
        for (String l : lines) {
            if (l.startsWith("```")) {
                fence = !fence;
            }
            if (!fence && l.startsWith("#")) {
                String t = l.replaceFirst("^#+\\s*", "").toLowerCase(java.util.Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-');
                anchors.add(t);
            }
        }
        return anchors;
    }
}
