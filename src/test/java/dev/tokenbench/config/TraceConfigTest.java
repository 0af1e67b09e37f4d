package dev.tokenbench.config;

import dev.tokenbench.measure.TokenCounter;
import dev.tokenbench.provider.ProviderRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code load: {mode: trace}}: the trace's formats, speed and limit, and every way a trace or its block is wrong. */
class TraceConfigTest {
    private static final String HEADER = "TIMESTAMP,ContextTokens,GeneratedTokens\n";

    private static String benchmark(String load) {
        return "name: t\ntargets: [{name: s, api: openai-chat, base-url: 'sim://s/v1', model: m}]\n"
                + "load: {mode: trace" + load + "}\n";
    }

    private static RunPlan load(Path dir, String yaml) throws ConfigException {
        return new BenchmarkLoader(name -> null, dir, ProviderRegistry.defaults()).load("bench.yaml", yaml, dir);
    }

    private static List<ConfigError> errors(Path dir, String yaml) {
        return assertThrows(ConfigException.class, () -> load(dir, yaml)).errors();
    }

    /** The one error that names {@code file} and {@code field}, with {@code fixPart} in its fix. */
    private static void assertError(List<ConfigError> errors, String file, String field, String fixPart) {
        assertTrue(errors.stream().anyMatch(e -> e.file().equals(file) && e.field().equals(field)
                && e.fix().contains(fixPart)), "no " + file + ": " + field + ": …" + fixPart + "… in " + errors);
    }

    private static Path write(Path dir, String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    @Test
    void anAzureTraceBecomesOffsetsPromptsAndCaps(@TempDir Path dir) throws Exception {
        write(dir, "t.csv", HEADER
                + "2023-11-16 18:15:46.6805900,374,44\n"
                + "2023-11-16 18:15:46.6805900,12,0\n"
                + "2023-11-16 18:15:47.0000000,0,7\n"
                + "2023-11-16 18:15:49.1805900,2000,300\n");
        RunPlan plan = load(dir, benchmark(", trace: t.csv, speed: 2"));
        TraceSpec trace = plan.load().trace();
        assertEquals(TraceSpec.AZURE_CSV, trace.format());
        assertEquals(4, plan.load().requests());
        assertEquals(1_000, plan.load().concurrency(), "an open loop's default in-flight cap");
        assertArrayEquals(new long[] {0, 0, 159_705_000, 1_250_000_000}, trace.offsetsNanos());
        List<Prompt> prompts = plan.prompts().prompts();
        assertEquals(List.of(374, 12, 1, 2000), prompts.stream().map(p -> tokens(p.user())).toList(),
                "exactly ContextTokens (0 sends the one token a request needs)");
        assertEquals(List.of(44, 1, 7, 300), prompts.stream().map(Prompt::expectedOutputTokens).toList(),
                "GeneratedTokens is the cap (0 asks for 1)");
        assertEquals(List.of("row-1", "row-2", "row-3", "row-4"), prompts.stream().map(Prompt::id).toList());
        assertEquals(0, plan.maxOutputTokensFor(plan.targets().get(0)), "the rows' caps are not overridden");
    }

    @Test
    void aJsonlTraceTakesOffsetsOrTimestampsAndCountsOrTexts(@TempDir Path dir) throws Exception {
        write(dir, "t.jsonl", """
                {"offset_ms": 100, "input_tokens": 64, "output_tokens": 8}
                {"offset_ms": 100.5, "prompt": "Say hello.", "output_tokens": 3}

                {"offset_ms": 2100, "input_tokens": 5, "output_tokens": 1}
                """);
        RunPlan plan = load(dir, benchmark(", trace: t.jsonl, limit: 2"));
        TraceSpec trace = plan.load().trace();
        assertEquals(TraceSpec.JSONL, trace.format());
        assertArrayEquals(new long[] {0, 500_000}, trace.offsetsNanos(), "offsets from the first row; limit 2");
        assertEquals("Say hello.", plan.prompts().prompts().get(1).user());
        assertEquals(64, tokens(plan.prompts().prompts().get(0).user()));

        write(dir, "ts.jsonl", """
                {"timestamp": "2024-05-10T00:00:00Z", "input_tokens": 10, "output_tokens": 2}
                {"timestamp": "2024-05-10 00:00:01.5", "input_tokens": 10, "output_tokens": 2}
                """);
        assertArrayEquals(new long[] {0, 1_500_000_000L},
                load(dir, benchmark(", trace: ts.jsonl")).load().trace().offsetsNanos());
    }

    @Test
    void everyRowsPromptIsDistinctSoNoRowIsServedFromAnothersCache(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < 50; i++) {
            csv.append("2023-11-16 18:15:46.0,").append(300).append(",5\n");
        }
        write(dir, "same.csv", csv.toString());
        List<Prompt> prompts = load(dir, benchmark(", trace: same.csv")).prompts().prompts();
        Set<String> firstWords = new HashSet<>();
        for (Prompt p : prompts) {
            assertEquals(300, tokens(p.user()));
            firstWords.add(p.user().substring(0, 20));
        }
        assertEquals(50, firstWords.size(), "each prompt begins with its own row");
    }

    @Test
    void badTracesSayFileLineColumnAndFix(@TempDir Path dir) throws Exception {
        write(dir, "empty.csv", "");
        assertError(errors(dir, benchmark(", trace: empty.csv")), "empty.csv", "(file)", "the file is empty");
        write(dir, "header-only.csv", HEADER);
        assertError(errors(dir, benchmark(", trace: header-only.csv")), "header-only.csv", "(file)", "has no rows");
        write(dir, "header.csv", "time,in,out\n2023-11-16 18:15:46.0,1,1\n");
        assertError(errors(dir, benchmark(", trace: header.csv")), "header.csv", "line 1",
                "starts with the header TIMESTAMP,ContextTokens,GeneratedTokens");
        write(dir, "rows.csv", HEADER
                + "2023-11-16 18:15:46.0,10,5\n"
                + "yesterday,10,5\n"
                + "2023-11-16 18:15:47.0,-3,5\n"
                + "2023-11-16 18:15:47.0,10,many\n"
                + "2023-11-16 18:15:47.0,10\n");
        List<ConfigError> rows = errors(dir, benchmark(", trace: rows.csv"));
        assertError(rows, "rows.csv", "line 3, TIMESTAMP", "'yesterday' is not a date-time");
        assertError(rows, "rows.csv", "line 4, ContextTokens", "is -3; a token count is 0 to");
        assertError(rows, "rows.csv", "line 5, GeneratedTokens", "'many' is not a whole number");
        assertError(rows, "rows.csv", "line 6", "has 2 columns");
        write(dir, "order.csv", HEADER + "2023-11-16 18:15:47.0,10,5\n2023-11-16 18:15:46.75,10,5\n");
        assertError(errors(dir, benchmark(", trace: order.csv")), "order.csv", "line 3",
                "is 250 ms before the row above it (line 2); a trace is replayed in time order: sort the file");
        write(dir, "bad.jsonl", """
                {"offset_ms": 0, "input_tokens": 3, "output_tokens": 2}
                {"offset_ms": 5, "input_tokens": 3, "prompt": "x", "output_tokens": 2}
                {"timestamp": "2024-05-10T00:00:00Z", "input_tokens": 3, "output_tokens": 2}
                {"offset_ms": 6, "input_tokens": 3, "max_tokens": 2}
                [1, 2]
                """);
        List<ConfigError> jsonl = errors(dir, benchmark(", trace: bad.jsonl"));
        assertError(jsonl, "bad.jsonl", "line 2", "needs one of input_tokens");
        assertError(jsonl, "bad.jsonl", "line 3", "uses timestamp but the first row (line 1) uses offset_ms");
        assertError(jsonl, "bad.jsonl", "line 4, max_tokens", "unknown field");
        assertError(jsonl, "bad.jsonl", "line 4, output_tokens", "is required");
        assertError(jsonl, "bad.jsonl", "line 5", "is not a JSON object");
        write(dir, "latin1.csv", "");
        Files.write(dir.resolve("latin1.csv"), (HEADER + "2023-11-16 18:15:46.0,1,1\n\u00e9").getBytes(
                StandardCharsets.ISO_8859_1));
        assertError(errors(dir, benchmark(", trace: latin1.csv")), "latin1.csv", "(file)", "not UTF-8");
    }

    @Test
    void theLoadBlockOfATraceSaysWhatDoesNotBelong(@TempDir Path dir) throws Exception {
        write(dir, "t.csv", HEADER + "2023-11-16 18:15:46.0,10,5\n");
        List<ConfigError> missing = errors(dir, benchmark(""));
        assertError(missing, "bench.yaml", "load.trace", "mode trace needs the trace to replay");
        assertError(errors(dir, benchmark(", trace: nope.csv")), "bench.yaml", "load.trace",
                "trace file 'nope.csv' not found");
        List<ConfigError> extra = errors(dir, benchmark(", trace: t.csv, requests: 5, warmup: 1, rate: 3, "
                + "speed: 0") + "prompts: {synthetic: {input-tokens: 5, output-tokens: 5}}\nmax-output-tokens: 9\n");
        assertError(extra, "bench.yaml", "load.requests", "is not used by mode trace");
        assertError(extra, "bench.yaml", "load.warmup", "is not used by mode trace");
        assertError(extra, "bench.yaml", "load.rate", "rate is for mode open");
        assertError(extra, "bench.yaml", "load.speed", "is 0; it must be greater than 0");
        assertError(extra, "bench.yaml", "prompts", "prompts is not used by mode trace");
        assertError(extra, "bench.yaml", "max-output-tokens", "is not used by mode trace");
        List<ConfigError> closed = errors(dir, "name: t\ntargets: [{name: s, api: openai-chat, "
                + "base-url: 'sim://s/v1', model: m}]\nprompts: {synthetic: {input-tokens: 5, output-tokens: 5}}\n"
                + "load: {mode: closed, trace: t.csv, speed: 2}\n");
        assertError(closed, "bench.yaml", "load.trace", "trace is for mode trace");
        assertError(closed, "bench.yaml", "load.speed", "speed is for mode trace");
    }

    @Test
    void aPostedBenchmarkReadsATraceOnlyFromTheServicesDirectory(@TempDir Path dir) throws Exception {
        Path service = Files.createDirectories(dir.resolve("benchmarks"));
        write(service, "t.csv", HEADER + "2023-11-16 18:15:46.0,10,5\n");
        Path outside = write(dir, "secret.csv", HEADER + "2023-11-16 18:15:46.0,10,5\n");
        BenchmarkLoader posted = BenchmarkLoader.forPosted(new PostedPolicy(Map.of(), service, List.of()),
                ProviderRegistry.defaults());
        assertEquals(1, posted.load("body", benchmark(", trace: t.csv"), service).load().trace().rows());
        for (String written : List.of(outside.toString(), "../secret.csv", dir.resolve("absent.csv").toString())) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> posted.load("body", benchmark(", trace: '" + written + "'"), service));
            assertError(e.errors(), "body", "load.trace", "is not in the service's prompt directory");
            // The same answer whether the file is there or not: no probing of the host's disk.
            assertFalse(e.errors().toString().contains("not found"), e.errors().toString());
            assertEquals(1, e.errors().size(), e.errors().toString());
        }
    }

    @Test
    void tenThousandRowsLoadQuickly(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder(HEADER);
        java.util.Random random = new java.util.Random(7);
        long ms = 0;
        for (int i = 0; i < 10_000; i++) {
            ms += random.nextInt(50);
            csv.append(String.format(java.util.Locale.ROOT, "2023-11-16 18:%02d:%02d.%03d0000,%d,%d%n",
                    15 + ms / 60_000 % 60, ms / 1000 % 60, ms % 1000, 1 + random.nextInt(4000),
                    1 + random.nextInt(500)));
        }
        write(dir, "big.csv", csv.toString());
        RunPlan plan = null;
        StringBuilder figures = new StringBuilder();
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            plan = load(dir, benchmark(", trace: big.csv"));
            figures.append(round == 0 ? "" : ", ").append((System.nanoTime() - start) / 1_000_000).append(" ms");
        }
        // Figures for the record, not a timed assertion (see STYLE.md): the first load pays for class loading and
        // the tokenizer's vocabulary, later ones are what a warm process pays.
        System.out.println("[trace] 10000 rows loaded in " + figures);
        assertEquals(10_000, plan.prompts().prompts().size());
        for (int i = 0; i < 10_000; i += 997) {
            Prompt p = plan.prompts().prompts().get(i);
            assertEquals(lengthOnLine(csv.toString(), i), tokens(p.user()), "row " + (i + 1));
        }
        assertNull(plan.maxOutputTokens());
    }

    private static int lengthOnLine(String csv, int row) {
        return Integer.parseInt(csv.split("\n")[row + 1].split(",")[1]);
    }

    private static int tokens(String text) {
        return TokenCounter.count(TokenCounter.DEFAULT_ENCODING, text);
    }
}
