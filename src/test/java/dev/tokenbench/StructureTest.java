package dev.tokenbench;

import dev.tokenbench.provider.ProviderRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shape of the house, checked from the sources (src/main/java): no cycle between top-level packages, nothing
 * outside cli/ imports cli/, no API name outside provider/ and sim/, no class over 600 lines but the JSON byte
 * scanner, one Jackson mapper, no {@code new X(…)} with more than six positional arguments but in X's own builder.
 * Each failure names the files to look at.
 */
class StructureTest {
    private static final Path ROOT = Path.of("src/main/java/dev/tokenbench");
    private static final int MAX_LINES = 600;
    /** The hot path's hand-written JSON byte scanner: one state machine, kept whole on purpose. */
    private static final Set<String> LONG_ON_PURPOSE = Set.of("wire/JsonScanner.java");
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.tokenbench\\.([a-z0-9]+)\\.");
    private static final int MAX_CONSTRUCTOR_ARGUMENTS = 6;
    private static final Pattern NEW_CALL =
            Pattern.compile("\\bnew\\s+((?:[A-Za-z_]\\w*\\.)*[A-Z]\\w*)\\s*(?:<[^()]*?>)?\\s*\\(");
    private static final Pattern TYPE_DECLARATION = Pattern.compile("\\b(?:class|record|interface|enum)\\s+(\\w+)");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");

    /** Each source file by its path under ROOT ("run/RunEngine.java"), with comments removed. */
    private static final Map<String, String> SOURCES = new TreeMap<>();
    private static final Map<String, Integer> LINES = new TreeMap<>();

    @BeforeAll
    static void readSources() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                String name = ROOT.relativize(file).toString().replace('\\', '/');
                SOURCES.put(name, withoutComments(text));
                LINES.put(name, (int) text.lines().count());
            }
        }
        assertTrue(SOURCES.size() > 100, "expected the application's sources under " + ROOT.toAbsolutePath());
    }

    @Test
    void topLevelPackagesFormNoCycle() {
        Map<String, Map<String, String>> edges = packageEdges();
        List<String> cycles = new ArrayList<>();
        for (String from : edges.keySet()) {
            for (String to : edges.get(from).keySet()) {
                List<String> back = path(edges, to, from);
                if (back != null && from.compareTo(to) < 0) {
                    cycles.add(from + " -> " + to + " (" + edges.get(from).get(to) + ") and back " + String.join(" -> ", back));
                }
            }
        }
        assertEquals(List.of(), cycles, "top-level packages that import each other, directly or round about");
    }

    @Test
    void nothingOutsideCliImportsCli() {
        List<String> offenders = new ArrayList<>();
        SOURCES.forEach((file, text) -> {
            if (!packageOf(file).equals("cli") && text.contains("dev.tokenbench.cli.")) {
                offenders.add(file);
            }
        });
        assertEquals(List.of(), offenders, "cli/ is the top floor: nothing else may import it");
    }

    @Test
    void apiNamesStayInProviderAndSim() {
        Set<String> apis = Set.copyOf(ProviderRegistry.defaults().names());
        assertTrue(apis.size() >= 8, "the registry lists " + apis);
        List<String> offenders = new ArrayList<>();
        SOURCES.forEach((file, text) -> {
            String pkg = packageOf(file);
            if (pkg.equals("provider") || pkg.equals("sim")) {
                return;
            }
            Matcher literal = STRING_LITERAL.matcher(text);
            while (literal.find()) {
                if (apis.contains(literal.group(1))) {
                    offenders.add(file + ": \"" + literal.group(1) + "\"");
                }
            }
        });
        assertEquals(List.of(), offenders, "an API is known by name only in provider/ (and the simulator in sim/)");
    }

    @Test
    void noClassOverSixHundredLines() {
        Map<String, Integer> over = new TreeMap<>();
        LINES.forEach((file, lines) -> {
            if (lines > MAX_LINES && !LONG_ON_PURPOSE.contains(file)) {
                over.put(file, lines);
            }
        });
        assertEquals(Map.of(), over, "files over " + MAX_LINES + " lines");
    }

    @Test
    void oneJsonMapper() {
        List<String> mappers = new ArrayList<>();
        SOURCES.forEach((file, text) -> {
            int at = text.indexOf("new ObjectMapper(");
            while (at >= 0) {
                mappers.add(file);
                at = text.indexOf("new ObjectMapper(", at + 1);
            }
        });
        assertEquals(List.of("core/Json.java"), mappers, "the one Jackson mapper is core/Json.MAPPER");
    }

    /**
     * Named builders or small records, not long positional calls (STYLE.md, Habits). Exempt, wherever it is: a call
     * inside the nested {@code Builder} of the type it constructs, the one place a record's canonical constructor is
     * called with every field (measure/RequestRecord.Builder.build, ClientHealth.Builder.as, and each builder's
     * build()).
     */
    @Test
    void noConstructorCallWithMoreThanSixPositionalArguments() {
        List<String> offenders = new ArrayList<>();
        SOURCES.forEach((file, text) -> {
            Matcher call = NEW_CALL.matcher(text);
            while (call.find()) {
                int arguments = argumentCount(text, call.end() - 1);
                String type = call.group(1).substring(call.group(1).lastIndexOf('.') + 1);
                if (arguments > MAX_CONSTRUCTOR_ARGUMENTS && !insideOwnBuilder(text, call.start(), type)) {
                    offenders.add(file + ": new " + call.group(1) + "(…) with " + arguments + " arguments");
                }
            }
        });
        assertEquals(List.of(), offenders, "calls over " + MAX_CONSTRUCTOR_ARGUMENTS
                + " positional arguments: give the type a builder (as measure/RequestRecord.builder()) or group its "
                + "fields into small records");
    }

    @Test
    void theArgumentCountSeesOnlyTopLevelCommasAndTheExemptionOnlyTheTypesOwnBuilder() {
        String call = "new X(a, \"b, c\", f(d, e), (p, q) -> { g(p, q); }, ',', new int[] {1, 2}, h)";
        assertEquals(7, argumentCount(call, call.indexOf('(')));
        assertEquals(0, argumentCount("new X( )", 5));
        String build = "static final class Builder { X build() { return new X(1, 2, 3, 4, 5, 6, 7); } }";
        String source = "record X(int a) { " + build + " } record Y(int b) { " + build + " }";
        assertTrue(insideOwnBuilder(source, source.indexOf("new X("), "X"));
        assertFalse(insideOwnBuilder(source, source.lastIndexOf("new X("), "X"), "Y's builder is not X's");
    }

    /** How many arguments the call whose opening parenthesis is at {@code open} passes (top-level commas + 1). */
    static int argumentCount(String text, int open) {
        int depth = 0;
        int commas = 0;
        boolean empty = true;
        int i = open + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                i = afterLiteral(text, i);
                empty = false;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                commas++;
            }
            if (!Character.isWhitespace(c)) {
                empty = false;
            }
            i++;
        }
        return empty ? 0 : commas + 1;
    }

    /** Whether {@code at} lies in a type named Builder that is declared directly inside the type {@code type}. */
    static boolean insideOwnBuilder(String text, int at, String type) {
        String innermost = null;
        String parent = null;
        int innermostStart = -1;
        Matcher declaration = TYPE_DECLARATION.matcher(text);
        List<int[]> spans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (declaration.find()) {
            int open = text.indexOf('{', declaration.end());
            if (open < 0) {
                continue;
            }
            int close = closingBrace(text, open);
            if (open < at && at < close) {
                spans.add(new int[] {open, close});
                names.add(declaration.group(1));
            }
        }
        for (int i = 0; i < spans.size(); i++) {
            if (spans.get(i)[0] > innermostStart) {
                innermostStart = spans.get(i)[0];
                innermost = names.get(i);
            }
        }
        int parentStart = -1;
        for (int i = 0; i < spans.size(); i++) {
            if (spans.get(i)[0] < innermostStart && spans.get(i)[0] > parentStart) {
                parentStart = spans.get(i)[0];
                parent = names.get(i);
            }
        }
        return "Builder".equals(innermost) && type.equals(parent);
    }

    private static int closingBrace(String text, int open) {
        int depth = 0;
        int i = open;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                i = afterLiteral(text, i);
                continue;
            }
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
            i++;
        }
        return text.length();
    }

    /** The index just after the string, text block or char literal that starts at {@code i}. */
    private static int afterLiteral(String text, int i) {
        char quote = text.charAt(i);
        if (quote == '"' && text.startsWith("\"\"\"", i)) {
            int end = text.indexOf("\"\"\"", i + 3);
            return end < 0 ? text.length() : end + 3;
        }
        int end = i + 1;
        while (end < text.length() && text.charAt(end) != quote && text.charAt(end) != '\n') {
            end += text.charAt(end) == '\\' ? 2 : 1;
        }
        return Math.min(end + 1, text.length());
    }

    /** from package -> (to package -> the first file that makes the arrow). */
    private static Map<String, Map<String, String>> packageEdges() {
        Set<String> packages = new TreeSet<>();
        SOURCES.keySet().forEach(file -> packages.add(packageOf(file)));
        Map<String, Map<String, String>> edges = new TreeMap<>();
        SOURCES.forEach((file, text) -> {
            String from = packageOf(file);
            Matcher ref = REFERENCE.matcher(text);
            while (ref.find()) {
                String to = ref.group(1);
                if (!to.equals(from) && packages.contains(to)) {
                    edges.computeIfAbsent(from, k -> new TreeMap<>()).putIfAbsent(to, file);
                }
            }
        });
        return edges;
    }

    /** A path of packages from {@code from} to {@code to} following the edges, or null. */
    private static List<String> path(Map<String, Map<String, String>> edges, String from, String to) {
        Map<String, String> cameFrom = new TreeMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(from));
        cameFrom.put(from, from);
        while (!queue.isEmpty()) {
            String at = queue.poll();
            if (at.equals(to)) {
                List<String> path = new ArrayList<>();
                for (String p = to; !p.equals(from); p = cameFrom.get(p)) {
                    path.add(0, p);
                }
                path.add(0, from);
                return path;
            }
            for (String next : edges.getOrDefault(at, Map.of()).keySet()) {
                if (cameFrom.putIfAbsent(next, at) == null) {
                    queue.add(next);
                }
            }
        }
        return null;
    }

    private static String packageOf(String file) {
        int slash = file.indexOf('/');
        return slash < 0 ? "" : file.substring(0, slash);
    }

    /** The source without comments (string literals kept), so that a Javadoc mention is not an import or a use. */
    static String withoutComments(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                int end = i + 1;
                if (c == '"' && text.startsWith("\"\"\"", i)) {
                    end = text.indexOf("\"\"\"", i + 3);
                    end = end < 0 ? text.length() : end + 3;
                } else {
                    while (end < text.length() && text.charAt(end) != c && text.charAt(end) != '\n') {
                        end += text.charAt(end) == '\\' ? 2 : 1;
                    }
                    end = Math.min(end + 1, text.length());
                }
                out.append(text, i, end);
                i = end;
            } else if (text.startsWith("//", i)) {
                int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end;
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? text.length() : end + 2;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
