package dev.tokenbench.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.core.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Trace files, read into a {@link TraceSpec}: the Azure public LLM inference trace's CSV
 * ({@code TIMESTAMP,ContextTokens,GeneratedTokens}, the timestamp a date-time such as
 * {@code 2023-11-16 18:15:46.6805900}), or JSONL rows {@code {offset_ms | timestamp, input_tokens | prompt,
 * output_tokens}}. A row's offset is its time minus the first row's. Errors name the file, the line and the column,
 * and say how to fix it; every bad row is reported, up to a few.
 */
final class TraceFiles {
    static final String AZURE_HEADER = "TIMESTAMP,ContextTokens,GeneratedTokens";
    /** Rows one trace may replay: each becomes a prompt prepared per target before the run starts. */
    static final int MAX_ROWS = Limits.MAX_PROMPTS;
    /** Input tokens of all rows together: each row's prompt is held in memory, per target as a request too. */
    static final long MAX_TOTAL_INPUT_TOKENS = 50_000_000;
    /** After this many bad rows the rest of the file is not checked: the fix is the same. */
    private static final int MAX_ROW_ERRORS = 10;
    private static final List<String> JSONL_KEYS = List.of("offset_ms", "timestamp", "input_tokens", "prompt",
            "output_tokens");
    /** {@code 2023-11-16 18:15:46.6805900} (Azure), or ISO {@code 2023-11-16T18:15:46.68Z}, with any fraction. */
    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd")
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .optionalStart().appendOffsetId().optionalEnd()
            .toFormatter(Locale.ROOT);

    /** One row as read: its line, raw time in nanoseconds (any origin), and what to send. */
    private record Row(int line, long timeNanos, boolean timestamp, int inputTokens, String prompt, int outputTokens) {
    }

    private TraceFiles() {
    }

    /**
     * Reads the trace at {@code found}: the first {@code limit} rows (0: all), offsets divided by {@code speed}.
     *
     * @return null after recording the file's errors
     */
    static TraceSpec read(DataFiles.Found found, double speed, int limit, String tokenizer, Problems benchmark) {
        Problems problems = benchmark.forFile(found.display());
        List<Row> rows = new ArrayList<>();
        String format;
        int before = problems.count();
        try {
            String sizeProblem = DataFiles.sizeProblem(found.path());
            if (sizeProblem != null) {
                problems.add("(file)", sizeProblem);
                return null;
            }
            try (InputStream in = Files.newInputStream(found.path()); BufferedReader reader = DataFiles.utf8(in)) {
                format = readRows(new DataFiles.Lines(reader), limit, rows, problems);
            }
        } catch (DataFiles.LineTooLong e) {
            problems.add("line " + e.line, "is longer than " + DataFiles.MAX_LINE_CHARACTERS + " characters; a trace "
                    + "row is one short line");
            return null;
        } catch (IOException e) {
            problems.add("(file)", DataFiles.readProblem(e));
            return null;
        }
        if (format == null || problems.count() > before) {
            return null;
        }
        if (rows.isEmpty()) {
            problems.add("(file)", "has no rows; a trace needs at least one request row after "
                    + (TraceSpec.AZURE_CSV.equals(format) ? "its header " + AZURE_HEADER : "nothing"));
            return null;
        }
        return build(found.display(), format, rows, speed, tokenizer, problems);
    }

    /** Reads the rows into {@code rows}; returns the format, or null after an error that stops the reading. */
    private static String readRows(DataFiles.Lines lines, int limit, List<Row> rows, Problems problems)
            throws IOException {
        String first = lines.next();
        while (first != null && first.isBlank()) {
            first = lines.next();
        }
        if (first == null) {
            problems.add("(file)", "the file is empty; a trace is a CSV with the header " + AZURE_HEADER
                    + ", or JSONL rows such as {\"offset_ms\": 0, \"input_tokens\": 512, \"output_tokens\": 128}");
            return null;
        }
        boolean jsonl = first.stripLeading().startsWith("{");
        if (!jsonl && !first.strip().equalsIgnoreCase(AZURE_HEADER)) {
            problems.add("line " + lines.number(), "the header is '" + abbreviate(first.strip()) + "'; an Azure "
                    + "trace starts with the header " + AZURE_HEADER + " (a JSONL trace with a row such as "
                    + "{\"offset_ms\": 0, \"input_tokens\": 512, \"output_tokens\": 128})");
            return null;
        }
        int errors = 0;
        String line = jsonl ? first : lines.next();
        for (; line != null && errors < MAX_ROW_ERRORS; line = lines.next()) {
            if (line.isBlank()) {
                continue;
            }
            if (limit > 0 && rows.size() == limit) {
                break;
            }
            if (rows.size() == MAX_ROWS) {
                problems.add("(file)", "has more than " + MAX_ROWS + " rows; at most " + MAX_ROWS + " in one run (each "
                        + "is prepared as a request per target before the run starts); set load.limit to replay "
                        + "the first rows");
                return null;
            }
            Row row = jsonl ? jsonlRow(line, lines.number(), rows, problems) : csvRow(line, lines.number(), problems);
            if (row == null) {
                errors++;
            } else {
                rows.add(row);
            }
        }
        return jsonl ? TraceSpec.JSONL : TraceSpec.AZURE_CSV;
    }

    private static Row csvRow(String line, int number, Problems problems) {
        String[] cells = line.split(",", -1);
        String at = "line " + number;
        if (cells.length != 3) {
            problems.add(at, "has " + cells.length + (cells.length == 1 ? " column" : " columns") + "; a row of an "
                    + "Azure trace has three: TIMESTAMP,ContextTokens,GeneratedTokens, e.g. "
                    + "2023-11-16 18:15:46.6805900,374,44");
            return null;
        }
        Long time = dateTime(cells[0].strip(), at + ", TIMESTAMP", problems);
        Integer input = count(cells[1].strip(), at + ", ContextTokens", problems);
        Integer output = count(cells[2].strip(), at + ", GeneratedTokens", problems);
        if (time == null || input == null || output == null) {
            return null;
        }
        return new Row(number, time, true, input, null, output);
    }

    private static Row jsonlRow(String line, int number, List<Row> rows, Problems problems) {
        String at = "line " + number;
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            problems.add(at, "is not a JSON object (" + abbreviate(DataFiles.jsonProblem(e.getOriginalMessage()))
                    + "); write one object a line, e.g. {\"offset_ms\": 0, \"input_tokens\": 512, "
                    + "\"output_tokens\": 128}");
            return null;
        }
        if (!(node instanceof ObjectNode row)) {
            problems.add(at, "is not a JSON object; write one object a line, e.g. {\"offset_ms\": 0, "
                    + "\"input_tokens\": 512, \"output_tokens\": 128}");
            return null;
        }
        int before = problems.count();
        for (Iterator<String> keys = row.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!JSONL_KEYS.contains(key)) {
                problems.add(at + ", " + key, "unknown field; a row has offset_ms or timestamp, input_tokens or "
                        + "prompt, and output_tokens");
            }
        }
        Long time = jsonlTime(row, at, rows, problems);
        Integer input = null;
        String prompt = null;
        if (row.has("input_tokens") == row.has("prompt")) {
            problems.add(at, "needs one of input_tokens (a synthetic prompt of that many tokens) and prompt (the "
                    + "text to send)" + (row.has("prompt") ? ", not both" : ""));
        } else if (row.has("prompt")) {
            JsonNode text = row.get("prompt");
            if (!text.isTextual() || text.asText().isEmpty()) {
                problems.add(at + ", prompt", "must be non-empty text, found " + Fields.describe(text));
            } else {
                prompt = text.asText();
            }
        } else {
            input = count(row.get("input_tokens"), at + ", input_tokens", problems);
        }
        Integer output = row.has("output_tokens") ? count(row.get("output_tokens"), at + ", output_tokens", problems)
                : null;
        if (!row.has("output_tokens")) {
            problems.add(at + ", output_tokens", "is required: the request's output cap, e.g. \"output_tokens\": 128");
        }
        if (problems.count() > before || time == null || output == null) {
            return null;
        }
        return new Row(number, time, row.has("timestamp"), input == null ? 0 : input, prompt, output);
    }

    /** The row's time: offset_ms, or a timestamp; the whole file uses one of them. */
    private static Long jsonlTime(ObjectNode row, String at, List<Row> rows, Problems problems) {
        if (row.has("offset_ms") == row.has("timestamp")) {
            problems.add(at, "needs one of offset_ms (milliseconds from the first row) and timestamp (a date-time "
                    + "such as \"2023-11-16 18:15:46.680\")" + (row.has("offset_ms") ? ", not both" : ""));
            return null;
        }
        if (!rows.isEmpty() && rows.get(0).timestamp() != row.has("timestamp")) {
            problems.add(at, "uses " + (row.has("timestamp") ? "timestamp" : "offset_ms") + " but the first row (line "
                    + rows.get(0).line() + ") uses " + (row.has("timestamp") ? "offset_ms" : "timestamp")
                    + "; use one of them in every row");
            return null;
        }
        if (row.has("timestamp")) {
            JsonNode value = row.get("timestamp");
            if (!value.isTextual()) {
                problems.add(at + ", timestamp", "must be a date-time text such as \"2023-11-16 18:15:46.680\", found "
                        + Fields.describe(value) + "; for numbers use offset_ms");
                return null;
            }
            return dateTime(value.asText().strip(), at + ", timestamp", problems);
        }
        JsonNode value = row.get("offset_ms");
        if (!value.isNumber() || value.doubleValue() < 0 || value.doubleValue() > 1e12) {
            problems.add(at + ", offset_ms", "must be a number of milliseconds, 0 or more, found "
                    + Fields.describe(value));
            return null;
        }
        return Math.round(value.doubleValue() * 1e6);
    }

    private static Long dateTime(String text, String at, Problems problems) {
        try {
            // parse, not parseBest: parseBest throws (and fills a stack trace) for each row without an offset.
            TemporalAccessor parsed = DATE_TIME.parse(text);
            // A time without an offset is read as UTC: only the differences between rows matter.
            OffsetDateTime time = parsed.isSupported(ChronoField.OFFSET_SECONDS) ? OffsetDateTime.from(parsed)
                    : LocalDateTime.from(parsed).atOffset(ZoneOffset.UTC);
            return ChronoUnit.NANOS.between(OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), time);
        } catch (DateTimeException | ArithmeticException e) {
            problems.add(at, "'" + abbreviate(text) + "' is not a date-time; write it as 2023-11-16 18:15:46.6805900 "
                    + "(the Azure trace's form) or 2023-11-16T18:15:46.68Z");
            return null;
        }
    }

    private static Integer count(String text, String at, Problems problems) {
        try {
            return count(Long.parseLong(text), text, at, problems);
        } catch (NumberFormatException e) {
            problems.add(at, "'" + abbreviate(text) + "' is not a whole number of tokens; write a count such as 512");
            return null;
        }
    }

    private static Integer count(JsonNode value, String at, Problems problems) {
        if (!value.isIntegralNumber()) {
            problems.add(at, "must be a whole number of tokens, found " + Fields.describe(value));
            return null;
        }
        return count(value.longValue(), value.asText(), at, problems);
    }

    private static Integer count(long value, String text, String at, Problems problems) {
        if (value < 0 || value > SyntheticPrompts.MAX_INPUT_TOKENS) {
            problems.add(at, "is " + text + "; a token count is 0 to " + SyntheticPrompts.MAX_INPUT_TOKENS);
            return null;
        }
        return (int) value;
    }

    /** Offsets from the first row with the speed applied, and a prompt per row. */
    private static TraceSpec build(String display, String format, List<Row> rows, double speed, String tokenizer,
            Problems problems) {
        long[] offsets = new long[rows.size()];
        long origin = rows.get(0).timeNanos();
        long totalInput = 0;
        int longest = 1;
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            if (i > 0 && row.timeNanos() < rows.get(i - 1).timeNanos()) {
                problems.add("line " + row.line(), "is " + millis(rows.get(i - 1).timeNanos() - row.timeNanos())
                        + " ms before the row above it (line " + rows.get(i - 1).line() + "); a trace is replayed in "
                        + "time order: sort the file by its time column");
                return null;
            }
            offsets[i] = Math.round((row.timeNanos() - origin) / speed);
            totalInput += row.prompt() == null ? row.inputTokens() : 0;
            longest = Math.max(longest, row.prompt() == null ? row.inputTokens() : 0);
        }
        if (totalInput > MAX_TOTAL_INPUT_TOKENS) {
            problems.add("(file)", "asks for " + totalInput + " input tokens over its rows; at most "
                    + MAX_TOTAL_INPUT_TOKENS + " (every prompt is held in memory before the run starts); set "
                    + "load.limit to replay fewer rows");
            return null;
        }
        LengthPrompts lengths = totalInput == 0 ? null : new LengthPrompts(tokenizer, longest, 1);
        List<Prompt> prompts = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            // A request needs a prompt and room for an answer: a row of 0 tokens sends 1 (and may get 1).
            String text = row.prompt() != null ? row.prompt() : lengths.prompt(i, Math.max(1, row.inputTokens()));
            prompts.add(new Prompt("row-" + (i + 1), null, text, Math.max(1, row.outputTokens())));
        }
        String name = PromptSets.fileNameWithoutExtension(display);
        return new TraceSpec(display, format, speed, offsets, new PromptSet(name, display, List.copyOf(prompts)));
    }

    private static String millis(long nanos) {
        return Fields.plain(Math.round(nanos / 1e3) / 1e3);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
