package dev.tokenbench.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.measure.TokenCounter;
import dev.tokenbench.provider.ProviderRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code prompts: {dataset: FILE, …}}: ShareGPT's first human turns and JSONL prompts, filtered by input tokens with
 * the real tokenizer, sampled with a seed, and every way a dataset or its block is wrong. The expectations are
 * computed here from the file with a plain JSON reader and jtokkit, not by the loader's code.
 */
class DatasetConfigTest {
    private static final Path SHAREGPT = Path.of("src/test/resources/datasets/sharegpt-small.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A conversation of the test file as the test reads it: its id, first human turn, and the reply after it. */
    private record Conversation(String id, String firstHuman, String reply) {
    }

    private static String benchmark(String prompts) {
        return "name: d\ntargets: [{name: s, api: openai-chat, base-url: 'sim://s/v1', model: m}]\n"
                + "prompts: {" + prompts + "}\n";
    }

    private static RunPlan load(Path dir, String yaml) throws ConfigException {
        return new BenchmarkLoader(name -> null, dir, ProviderRegistry.defaults()).load("bench.yaml", yaml, dir);
    }

    private static List<ConfigError> errors(Path dir, String yaml) {
        return assertThrows(ConfigException.class, () -> load(dir, yaml)).errors();
    }

    private static void assertError(List<ConfigError> errors, String file, String field, String fixPart) {
        assertTrue(errors.stream().anyMatch(e -> e.file().equals(file) && e.field().equals(field)
                && e.fix().contains(fixPart)), "no " + file + ": " + field + ": …" + fixPart + "… in " + errors);
    }

    private static int tokens(String text) {
        return TokenCounter.count(TokenCounter.DEFAULT_ENCODING, text);
    }

    private static List<Conversation> conversations() throws Exception {
        List<Conversation> list = new ArrayList<>();
        for (JsonNode c : JSON.readTree(SHAREGPT.toFile())) {
            JsonNode turns = c.get("conversations");
            for (int t = 0; t < turns.size(); t++) {
                if (turns.get(t).get("from").asText().equals("human")) {
                    JsonNode next = t + 1 < turns.size() ? turns.get(t + 1) : null;
                    list.add(new Conversation(c.get("id").asText(), turns.get(t).get("value").asText(),
                            next == null ? null : next.get("value").asText()));
                    break;
                }
            }
        }
        return list;
    }

    @Test
    void shareGptGivesEachConversationsFirstHumanTurnAndItsReplysLength() throws Exception {
        List<Conversation> expected = conversations();
        assertEquals(14, expected.size(), "conv-14 has no human turn");
        List<Prompt> prompts = load(Path.of(""), benchmark("dataset: " + SHAREGPT)).prompts().prompts();
        assertEquals(expected.stream().map(Conversation::id).toList(), prompts.stream().map(Prompt::id).toList());
        for (int i = 0; i < prompts.size(); i++) {
            Conversation c = expected.get(i);
            assertEquals(c.firstHuman(), prompts.get(i).user(), c.id());
            assertEquals(c.reply() == null ? null : tokens(c.reply()), prompts.get(i).expectedOutputTokens(), c.id());
        }
        assertTrue(prompts.stream().anyMatch(p -> p.user().startsWith("Name three")),
                "a system turn first: the human turn after it");
    }

    @Test
    void theInputTokenBoundsKeepExactlyThePromptsWithin() throws Exception {
        List<Conversation> all = conversations();
        List<String> within = all.stream().filter(c -> tokens(c.firstHuman()) >= 20 && tokens(c.firstHuman()) <= 100)
                .map(Conversation::id).toList();
        assertTrue(within.size() >= 2 && within.size() < all.size(), "the bounds cut the file: " + within);
        RunPlan plan = load(Path.of(""), benchmark("dataset: " + SHAREGPT
                + ", format: sharegpt, min-input-tokens: 20, max-input-tokens: 100"));
        assertEquals(within, plan.prompts().prompts().stream().map(Prompt::id).toList());
    }

    @Test
    void aSampleIsTheSameForTheSameSeedAndWithinTheBounds() throws Exception {
        String block = "dataset: " + SHAREGPT + ", min-input-tokens: 10, sample: 5, seed: ";
        List<String> first = ids(load(Path.of(""), benchmark(block + "42")));
        List<String> again = ids(load(Path.of(""), benchmark(block + "42")));
        List<String> other = ids(load(Path.of(""), benchmark(block + "43")));
        assertEquals(5, first.size());
        assertEquals(first, again, "the same seed draws the same prompts in the same order");
        assertNotEquals(first, other, "another seed draws others");
        assertEquals(first.size(), first.stream().distinct().count(), "no prompt drawn twice");
        Map<String, Conversation> byId = new java.util.HashMap<>();
        conversations().forEach(c -> byId.put(c.id(), c));
        for (String id : first) {
            assertTrue(tokens(byId.get(id).firstHuman()) >= 10, id + " is within the bounds");
        }
    }

    @Test
    void aJsonlDatasetGivesItsPromptsAndCaps(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("d.jsonl"), """
                {"prompt": "Write a haiku about a lighthouse.", "output_tokens": 40}

                {"prompt": "Explain tides to a child."}
                """);
        List<Prompt> prompts = load(dir, benchmark("dataset: d.jsonl")).prompts().prompts();
        assertEquals(List.of("Write a haiku about a lighthouse.", "Explain tides to a child."),
                prompts.stream().map(Prompt::user).toList());
        assertEquals(40, prompts.get(0).expectedOutputTokens());
        assertNull(prompts.get(1).expectedOutputTokens());
        assertEquals(List.of("jsonl-1", "jsonl-2"), prompts.stream().map(Prompt::id).toList());
    }

    @Test
    void badDatasetsSayFileWhereAndFix(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("object.json"), "{\"conversations\": []}");
        assertError(errors(dir, benchmark("dataset: object.json")), "object.json", "(file)", "is not a JSON array");
        Files.writeString(dir.resolve("entries.json"), "[{\"id\": \"a\"}, 7]");
        List<ConfigError> entries = errors(dir, benchmark("dataset: entries.json"));
        assertError(entries, "entries.json", "[0]", "has no conversations list");
        assertError(entries, "entries.json", "[1]", "has no conversations list");
        Files.writeString(dir.resolve("broken.json"), "[\n {\"id\": \"a\",\n  \"conversations\": [}\n]");
        assertError(errors(dir, benchmark("dataset: broken.json")), "broken.json", "(line 3, column 21)",
                "invalid JSON: Unexpected close marker '}': expected ']'; a ShareGPT file is");
        Files.writeString(dir.resolve("empty.json"), "[]");
        assertError(errors(dir, benchmark("dataset: empty.json")), "empty.json", "(file)", "has no prompts");
        Files.writeString(dir.resolve("bad.jsonl"), """
                {"prompt": "fine"}
                {"text": "x"}
                {"prompt": "y", "output_tokens": 0}
                not json
                """);
        List<ConfigError> jsonl = errors(dir, benchmark("dataset: bad.jsonl"));
        assertError(jsonl, "bad.jsonl", "line 2, text", "unknown field");
        assertError(jsonl, "bad.jsonl", "line 2, prompt", "is required");
        assertError(jsonl, "bad.jsonl", "line 3, output_tokens", "must be a whole number of 1 or more");
        assertError(jsonl, "bad.jsonl", "line 4", "is not a JSON object");
        Files.writeString(dir.resolve("data.txt"), "x");
        assertError(errors(dir, benchmark("dataset: data.txt")), "bench.yaml", "prompts.format",
                "say which format the dataset is");
        assertError(errors(dir, benchmark("dataset: nope.json")), "bench.yaml", "prompts.dataset",
                "dataset file 'nope.json' not found");
        Path file = dir.resolve("s.json");
        Files.copy(SHAREGPT, file);
        assertError(errors(dir, benchmark("dataset: s.json, sample: 100")), "bench.yaml", "prompts.sample",
                "only 14 of the dataset's 14 prompts are usable; lower sample");
        assertError(errors(dir, benchmark("dataset: s.json, min-input-tokens: 5000")), "bench.yaml",
                "prompts.dataset", "no prompt of the dataset's 14 has 5000 to any number of input tokens");
        assertError(errors(dir, benchmark("dataset: s.json, min-input-tokens: 50, max-input-tokens: 10")),
                "bench.yaml", "prompts.max-input-tokens", "below min-input-tokens 50");
        assertError(errors(dir, benchmark("dataset: s.json, format: csv")), "bench.yaml", "prompts.format", "csv");
        assertError(errors(dir, benchmark("dataset: s.json, synthetic: {input-tokens: 5}")), "bench.yaml",
                "prompts.synthetic", "");
    }

    @Test
    void aPostedBenchmarkReadsADatasetOnlyFromTheServicesDirectory(@TempDir Path dir) throws Exception {
        Path service = Files.createDirectories(dir.resolve("benchmarks"));
        Files.copy(SHAREGPT, service.resolve("s.json"));
        Files.copy(SHAREGPT, dir.resolve("outside.json"));
        BenchmarkLoader posted = BenchmarkLoader.forPosted(new PostedPolicy(Map.of(), service, List.of()),
                ProviderRegistry.defaults());
        assertEquals(14, posted.load("body", benchmark("dataset: s.json"), service).prompts().prompts().size());
        for (String written : List.of("../outside.json", dir.resolve("outside.json").toString())) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> posted.load("body", benchmark("dataset: '" + written + "'"), service));
            assertError(e.errors(), "body", "prompts.dataset", "is not in the service's prompt directory");
        }
    }

    private static List<String> ids(RunPlan plan) {
        return plan.prompts().prompts().stream().map(Prompt::id).toList();
    }
}
