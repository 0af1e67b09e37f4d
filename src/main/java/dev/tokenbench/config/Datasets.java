package dev.tokenbench.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.api.Encoding;
import dev.tokenbench.core.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code prompts: {dataset: FILE, format: sharegpt | jsonl, min-input-tokens, max-input-tokens, sample, seed}}: real
 * prompts from a dataset file. ShareGPT (a JSON array of {@code {id, conversations: [{from, value}]}}) gives each
 * conversation's first human turn, as vLLM's {@code bench serve} does, expecting as many output tokens as the reply
 * after it; JSONL gives one {@code {prompt, output_tokens?}} a line. Lengths are counted with the real tokenizer; the
 * sample is drawn with the seed (the same seed, the same prompts, in the same order), among the prompts that pass
 * the length bounds.
 */
final class Datasets {
    static final String SHAREGPT = "sharegpt";
    static final String JSONL = "jsonl";
    private static final List<String> FORMATS = List.of(SHAREGPT, JSONL);
    private static final List<String> KEYS = List.of("dataset", "format", "min-input-tokens", "max-input-tokens",
            "sample", "seed", "tokenizer");
    private static final List<String> JSONL_KEYS = List.of("prompt", "output_tokens");
    private static final Set<String> HUMAN = Set.of("human", "user");
    private static final Set<String> MODEL = Set.of("gpt", "assistant", "chatgpt", "bard", "model");
    /** After this many bad entries the rest is not checked: the fix is the same. */
    private static final int MAX_ENTRY_ERRORS = 10;
    private static final String SHAREGPT_SHAPE = "a ShareGPT file is a JSON array of {\"id\": …, \"conversations\": "
            + "[{\"from\": \"human\", \"value\": …}, {\"from\": \"gpt\", \"value\": …}]}";

    /** One usable entry: its id, prompt text, and the reply it had (null when none). */
    private record Entry(String id, String prompt, String reply, Integer outputTokens) {
    }

    private Datasets() {
    }

    /** The {@code prompts} block with a {@code dataset}: null after recording its errors. */
    static PromptSet read(Fields f, LoadState state) {
        Problems problems = state.problems;
        int before = problems.count();
        f.allowOnly(KEYS);
        Text file = f.text("dataset");
        String format = f.oneOf("format", FORMATS, null);
        Integer min = f.integer("min-input-tokens", 1);
        Integer max = f.integer("max-input-tokens", 1);
        Integer sample = f.integer("sample", 1);
        Long seed = f.has("seed") ? f.longInteger("seed") : Long.valueOf(1);
        String tokenizer = f.oneOf("tokenizer", SyntheticPrompts.TOKENIZERS, SyntheticPrompts.DEFAULT_TOKENIZER);
        if (min != null && max != null && max < min) {
            problems.add(f.path("max-input-tokens"), "is " + max + ", below min-input-tokens " + min + "; raise it");
        }
        if (sample != null && sample > Limits.MAX_PROMPTS) {
            problems.add(f.path("sample"), "is " + sample + "; at most " + Limits.MAX_PROMPTS + " prompts");
        }
        if (file != null && format == null && !f.has("format")) {
            format = file.value().strip().endsWith(".jsonl") ? JSONL
                    : file.value().strip().endsWith(".json") ? SHAREGPT : null;
            if (format == null) {
                problems.add(f.path("format"), "say which format the dataset is: format: sharegpt (a JSON array of "
                        + "conversations) or format: jsonl (one {\"prompt\": …} a line)");
            }
        }
        if (file == null || problems.count() > before || seed == null || tokenizer == null) {
            return null;
        }
        DataFiles.Found found = DataFiles.find(file.value().strip(), f.path("dataset"), "dataset", state);
        if (found == null) {
            return null;
        }
        Problems fileProblems = problems.forFile(found.display());
        List<Entry> entries = entries(found, format, fileProblems);
        if (entries == null || problems.count() > before) {
            return null;
        }
        Bounds bounds = new Bounds(min == null ? 1 : min, max == null ? Integer.MAX_VALUE : max, sample);
        List<Prompt> prompts = select(entries, bounds, seed, SyntheticPrompts.encoding(tokenizer), f, problems);
        if (prompts == null) {
            return null;
        }
        String source = "dataset(" + found.display() + ", format=" + format + (sample == null ? ""
                : ", sample=" + sample + ", seed=" + seed) + ")";
        return new PromptSet(PromptSets.fileNameWithoutExtension(found.display()), source, List.copyOf(prompts));
    }

    /** Input-token bounds (inclusive) and the sample size (null: every prompt that passes). */
    private record Bounds(int min, int max, Integer sample) {
        boolean pass(int tokens) {
            return tokens >= min && tokens <= max;
        }
    }

    private static List<Entry> entries(DataFiles.Found found, String format, Problems problems) {
        try {
            String sizeProblem = DataFiles.sizeProblem(found.path());
            if (sizeProblem != null) {
                problems.add("(file)", sizeProblem);
                return null;
            }
            try (InputStream in = Files.newInputStream(found.path())) {
                List<Entry> entries = SHAREGPT.equals(format) ? shareGpt(in, problems) : jsonl(in, problems);
                if (entries != null && entries.isEmpty()) {
                    problems.add("(file)", "has no prompts; " + (SHAREGPT.equals(format) ? SHAREGPT_SHAPE
                            : "a JSONL dataset has one {\"prompt\": \"…\", \"output_tokens\": 128} a line"));
                    return null;
                }
                return entries;
            }
        } catch (DataFiles.LineTooLong e) {
            problems.add("line " + e.line, "is longer than " + DataFiles.MAX_LINE_CHARACTERS + " characters");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            problems.add(at == null ? "(syntax)" : "(line " + at.getLineNr() + ", column " + at.getColumnNr() + ")",
                    "invalid JSON: " + DataFiles.jsonProblem(e.getOriginalMessage()) + "; " + SHAREGPT_SHAPE);
        } catch (IOException e) {
            problems.add("(file)", DataFiles.readProblem(e));
        }
        return null;
    }

    /** Streams the array, one conversation at a time: the file is never held whole. */
    private static List<Entry> shareGpt(InputStream in, Problems problems) throws IOException {
        List<Entry> entries = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int errors = 0;
        try (BufferedReader reader = DataFiles.utf8(in); JsonParser parser = Json.MAPPER.createParser(reader)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                problems.add("(file)", "is not a JSON array; " + SHAREGPT_SHAPE);
                return null;
            }
            for (int i = 0; parser.nextToken() != JsonToken.END_ARRAY && errors < MAX_ENTRY_ERRORS; i++) {
                JsonNode node = parser.readValueAsTree();
                String at = "[" + i + "]";
                JsonNode turns = node == null ? null : node.get("conversations");
                if (node == null || !node.isObject() || turns == null || !turns.isArray()) {
                    problems.add(at, "has no conversations list; " + SHAREGPT_SHAPE);
                    errors++;
                    continue;
                }
                Entry entry = firstHumanTurn(node, turns, i, ids);
                if (entry != null) {
                    entries.add(entry);
                }
            }
        }
        return errors > 0 ? null : entries;
    }

    /** The first human turn and the model's reply right after it; null when the conversation has no human turn. */
    private static Entry firstHumanTurn(JsonNode node, JsonNode turns, int index, Set<String> ids) {
        for (int t = 0; t < turns.size(); t++) {
            JsonNode turn = turns.get(t);
            if (!HUMAN.contains(turn.path("from").asText()) || !turn.path("value").isTextual()
                    || turn.path("value").asText().isBlank()) {
                continue;
            }
            JsonNode next = t + 1 < turns.size() ? turns.get(t + 1) : null;
            String reply = next != null && MODEL.contains(next.path("from").asText()) && next.path("value").isTextual()
                    ? next.path("value").asText() : null;
            String id = node.path("id").isTextual() ? node.path("id").asText() : "sharegpt-" + (index + 1);
            return new Entry(ids.add(id) ? id : id + "-" + (index + 1), turn.path("value").asText(), reply, null);
        }
        return null;
    }

    private static List<Entry> jsonl(InputStream in, Problems problems) throws IOException {
        List<Entry> entries = new ArrayList<>();
        int errors = 0;
        try (BufferedReader reader = DataFiles.utf8(in)) {
            DataFiles.Lines lines = new DataFiles.Lines(reader);
            for (String line = lines.next(); line != null && errors < MAX_ENTRY_ERRORS; line = lines.next()) {
                if (line.isBlank()) {
                    continue;
                }
                Entry entry = jsonlEntry(line, "line " + lines.number(), entries.size(), problems);
                if (entry == null) {
                    errors++;
                } else {
                    entries.add(entry);
                }
            }
        }
        return errors > 0 ? null : entries;
    }

    private static Entry jsonlEntry(String line, String at, int index, Problems problems) {
        String shape = "write one object a line, e.g. {\"prompt\": \"Summarise this …\", \"output_tokens\": 128}";
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            problems.add(at, "is not a JSON object (" + DataFiles.jsonProblem(e.getOriginalMessage()) + "); "
                    + shape);
            return null;
        }
        if (!(node instanceof ObjectNode row)) {
            problems.add(at, "is not a JSON object; " + shape);
            return null;
        }
        int before = problems.count();
        for (Iterator<String> keys = row.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!JSONL_KEYS.contains(key)) {
                problems.add(at + ", " + key, "unknown field; a row has prompt and, optionally, output_tokens");
            }
        }
        JsonNode prompt = row.get("prompt");
        if (prompt == null || !prompt.isTextual() || prompt.asText().isBlank()) {
            problems.add(at + ", prompt", (prompt == null ? "is required" : "must be non-empty text, found "
                    + Fields.describe(prompt)) + "; " + shape);
        }
        JsonNode output = row.get("output_tokens");
        if (output != null && (!output.isIntegralNumber() || output.longValue() < 1
                || output.longValue() > Integer.MAX_VALUE)) {
            problems.add(at + ", output_tokens", "must be a whole number of 1 or more, found "
                    + Fields.describe(output));
        }
        if (problems.count() > before) {
            return null;
        }
        return new Entry("jsonl-" + (index + 1), prompt.asText(), null, output == null ? null : output.intValue());
    }

    /**
     * The prompts within the bounds: every one in file order, or a sample drawn in a seeded order. Only the entries
     * looked at are tokenized, so a small sample of a large file stays cheap.
     */
    private static List<Prompt> select(List<Entry> entries, Bounds bounds, long seed, Encoding encoding, Fields f,
            Problems problems) {
        int[] order = new int[entries.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (bounds.sample() != null) {
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = order.length - 1; i > 0; i--) { // Fisher-Yates
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
        int wanted = bounds.sample() == null ? Integer.MAX_VALUE : bounds.sample();
        List<Prompt> prompts = new ArrayList<>();
        for (int k = 0; k < order.length && prompts.size() < wanted; k++) {
            Entry e = entries.get(order[k]);
            if (!bounds.pass(encoding.countTokensOrdinary(e.prompt()))) {
                continue;
            }
            Integer output = e.outputTokens();
            if (output == null && e.reply() != null && !e.reply().isBlank()) {
                output = Math.max(1, encoding.countTokensOrdinary(e.reply()));
            }
            prompts.add(new Prompt(e.id(), null, e.prompt(), output));
        }
        boolean bounded = bounds.min() > 1 || bounds.max() < Integer.MAX_VALUE;
        String range = " " + bounds.min() + " to " + (bounds.max() == Integer.MAX_VALUE ? "any number of"
                : String.valueOf(bounds.max())) + " input tokens";
        if (prompts.isEmpty()) {
            problems.add(f.path("dataset"), "no prompt of the dataset's " + entries.size() + " has" + range
                    + "; widen min-input-tokens or max-input-tokens");
            return null;
        }
        if (bounds.sample() != null && prompts.size() < bounds.sample()) {
            problems.add(f.path("sample"), "is " + bounds.sample() + " but only " + prompts.size()
                    + " of the dataset's " + entries.size() + " prompts" + (bounded ? " have" + range + "; lower sample or widen the bounds"
                    : " are usable; lower sample"));
            return null;
        }
        if (prompts.size() > Limits.MAX_PROMPTS) {
            problems.add(f.path("dataset"), "has " + prompts.size() + " prompts; at most " + Limits.MAX_PROMPTS
                    + " in one run; set sample to draw some of them");
            return null;
        }
        return prompts;
    }
}
