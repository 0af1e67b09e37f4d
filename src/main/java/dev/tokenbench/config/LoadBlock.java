package dev.tokenbench.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNullElse;

/**
 * The {@code load} block: the load model (closed, open, sweep, search), its levels or range, the request counts
 * and timeouts, retries, the cost budget and the order of prompts.
 */
final class LoadBlock {
    static final LoadSpec DEFAULT_LOAD = new LoadSpec(LoadSpec.CLOSED, 1, 10, 0, Duration.ofSeconds(60),
            Duration.ofSeconds(15));
    private static final List<String> LOAD_KEYS = List.of("mode", "concurrency", "requests", "duration", "warmup",
            "timeout", "stall-timeout", "rate", "arrival", "seed", "goodput", "max-steps", "resolution", "retries",
            "budget", "prompt-order", "prompt-seed", "random-prefix", "trace", "speed", "limit", "drop-lagged");
    private static final List<String> LOAD_MODES = List.of(LoadSpec.CLOSED, LoadSpec.OPEN, LoadSpec.SWEEP,
            LoadSpec.SEARCH, LoadSpec.TRACE);
    /** What a trace sets itself, or has no meaning in a replay. */
    private static final List<String> NOT_FOR_TRACE = List.of("requests", "duration", "warmup", "prompt-order",
            "prompt-seed", "random-prefix");
    private static final List<String> TRACE_KEYS = List.of("trace", "speed", "limit");
    private static final List<String> PROMPT_ORDERS = List.of(LoadSpec.PromptOrder.CYCLE_ORDER,
            LoadSpec.PromptOrder.SAMPLE_ORDER);
    private static final List<String> ARRIVALS = List.of(LoadSpec.OpenLoop.FIXED, LoadSpec.OpenLoop.POISSON);

    private final LoadState state;
    private final Problems problems;
    /** Targets written (the targets block is read before this one), for the limits on streams in flight. */
    private final int targetCount;

    LoadBlock(LoadState state) {
        this.state = state;
        this.problems = state.problems;
        this.targetCount = state.targetNames.size();
    }

    LoadSpec read(Fields top) {
        Fields f = top.mapping("load", "mode, concurrency, requests or duration, warmup, timeout, stall-timeout, "
                + "for mode open: rate, arrival, seed, and for mode trace: trace, speed, limit");
        if (f == null) {
            return DEFAULT_LOAD;
        }
        f.allowOnly(LOAD_KEYS);
        String mode = LoadSpec.CLOSED;
        Text modeText = f.text("mode");
        if (modeText != null && LOAD_MODES.contains(modeText.value())) {
            mode = modeText.value();
        } else if (modeText != null) {
            problems.add(f.path("mode"), "unknown load mode '" + modeText.asWritten() + "'"
                    + Suggestions.didYouMean(modeText, LOAD_MODES) + "; use one of " + String.join(", ", LOAD_MODES));
        }
        boolean stepped = mode.equals(LoadSpec.SWEEP) || mode.equals(LoadSpec.SEARCH);
        // In a sweep or search, the level being stepped is a list or a {min, max} range, not a number.
        String dimension = null;
        if (stepped) {
            boolean byRate = f.has("rate");
            dimension = byRate ? LoadSpec.Steps.RATE : LoadSpec.Steps.CONCURRENCY;
            if (byRate && f.raw("concurrency") != null && !f.raw("concurrency").isValueNode()) {
                problems.add(f.path("concurrency"), "a " + mode + " steps either concurrency or rate, not both; "
                        + "with rate, concurrency is the in-flight cap (a number)");
            }
        }
        boolean concurrencyStepped = LoadSpec.Steps.CONCURRENCY.equals(dimension);
        Integer concurrencyValue = concurrencyStepped ? null : f.integer("concurrency", 1);
        int concurrency = requireNonNullElse(concurrencyValue, DEFAULT_LOAD.concurrency());
        Integer requestsValue = f.integer("requests", 1);
        Duration duration = f.duration("duration", true);
        int requests = requestsValue != null ? requestsValue
                : duration != null ? LoadSpec.UNBOUNDED : DEFAULT_LOAD.requests();
        int warmup = requireNonNullElse(f.integer("warmup", 0), DEFAULT_LOAD.warmup());
        Duration timeout = requireNonNullElse(f.duration("timeout", true), DEFAULT_LOAD.timeout());
        Duration stallTimeout = requireNonNullElse(f.duration("stall-timeout", true), DEFAULT_LOAD.stallTimeout());
        // 0s, as the CLI's --drop-lagged 0: keep every request.
        Duration dropLagged = f.duration("drop-lagged", false);

        LoadSpec.OpenLoop open = null;
        LoadSpec.Steps steps = null;
        boolean openPhases = LoadSpec.OPEN.equals(mode) || LoadSpec.Steps.RATE.equals(dimension);
        if (openPhases) {
            Double rate = stepped ? Double.valueOf(1) : f.number("rate", 0, false, 1_000_000, "10");
            if (!f.has("rate")) {
                problems.add(f.path("rate"), "rate is required for mode open: request starts per second per "
                        + "target, e.g. rate: 5");
            }
            String arrival = f.oneOf("arrival", ARRIVALS, LoadSpec.OpenLoop.FIXED);
            Long seed = f.longInteger("seed");
            if (!f.has("concurrency")) {
                // An open loop is not bounded by its workers: without a cap, in flight grows as the endpoint slows.
                concurrency = Math.max(concurrency, 1_000);
            }
            if (rate != null && arrival != null) {
                open = new LoadSpec.OpenLoop(rate, arrival, seed == null ? 1 : seed);
            }
        } else {
            for (String key : List.of("arrival", "seed")) {
                if (f.has(key)) {
                    problems.add(f.path(key), key + " is for open-loop phases; remove it, or set mode: open (or "
                            + "step rate in a sweep or search)");
                }
            }
            if (f.has("rate") && !stepped) {
                problems.add(f.path("rate"), "rate is for mode open; remove it, or set mode: open");
            }
        }
        if (mode.equals(LoadSpec.SWEEP)) {
            List<Double> levels = levels(f, dimension);
            steps = levels == null ? null : LoadSpec.Steps.sweep(dimension, levels);
        } else if (mode.equals(LoadSpec.SEARCH)) {
            steps = search(f, dimension);
        }
        if (!mode.equals(LoadSpec.SEARCH)) {
            for (String key : List.of("goodput", "max-steps", "resolution")) {
                if (f.has(key)) {
                    problems.add(f.path(key), key + " is for mode search; remove it, or set mode: search");
                }
            }
        }
        LoadSpec.Retries retries = retries(f);
        Double budget = f.number("budget", 0, false, 1e9, "25.00");
        LoadSpec.PromptOrder prompts = promptOrder(f);
        TraceSpec trace = null;
        if (mode.equals(LoadSpec.TRACE)) {
            trace = trace(f);
            requests = trace == null ? 1 : trace.rows();
            if (!f.has("concurrency")) {
                concurrency = Math.max(concurrency, 1_000); // an open loop: see mode open
            }
        } else {
            for (String key : TRACE_KEYS) {
                if (f.has(key)) {
                    problems.add(f.path(key), key + " is for mode trace; remove it, or set mode: trace");
                }
            }
        }
        LoadSpec spec = LoadSpec.builder()
                .mode(mode)
                .concurrency(concurrency)
                .requests(requests)
                .duration(duration)
                .warmup(warmup)
                .timeout(timeout)
                .stallTimeout(stallTimeout)
                .open(open)
                .steps(steps)
                .retries(retries)
                .budgetUsd(budget)
                .prompts(prompts)
                .trace(trace)
                .dropLagged(dropLagged)
                .build();
        Limits.load(spec, targetCount, f.has("concurrency"), problems);
        return spec;
    }

    /**
     * Mode trace: {@code trace: FILE} (required), {@code speed} (2.0 replays twice as fast), {@code limit} (the first N
     * rows). The trace sets the requests, their prompts and their times, so the keys that set those are refused.
     */
    private TraceSpec trace(Fields f) {
        for (String key : NOT_FOR_TRACE) {
            if (f.has(key)) {
                problems.add(f.path(key), key + " is not used by mode trace: the trace's rows are the requests, "
                        + "each with its own prompt and time (limit takes the first rows); remove it");
            }
        }
        Text file = f.text("trace");
        if (!f.has("trace")) {
            problems.add(f.path("trace"), "mode trace needs the trace to replay, e.g. trace: traces/azure-code.csv "
                    + "(the Azure LLM inference trace's CSV, or JSONL rows)");
        }
        Double speed = f.number("speed", 0, false, 1_000, "2.0");
        Integer limit = f.integer("limit", 1);
        if (file == null) {
            return null;
        }
        DataFiles.Found found = DataFiles.find(file.value().strip(), f.path("trace"), "trace", state);
        if (found == null || (f.has("speed") && speed == null) || (f.has("limit") && limit == null)) {
            return null;
        }
        return TraceFiles.read(found, speed == null ? 1.0 : speed, limit == null ? 0 : limit,
                SyntheticPrompts.DEFAULT_TOKENIZER, problems);
    }

    /** A sweep's levels: {@code concurrency: [1, 2, 4]} or {@code rate: [0.5, 1, 2]}. */
    private List<Double> levels(Fields f, String dimension) {
        boolean whole = dimension.equals(LoadSpec.Steps.CONCURRENCY);
        String example = whole ? "concurrency: [1, 2, 4, 8]" : "rate: [0.5, 1, 2, 4]";
        if (!f.has(dimension)) {
            problems.add(f.path(dimension), "a sweep needs the levels to step through, e.g. " + example);
            return null;
        }
        ArrayNode list = f.list(dimension, (whole ? "concurrencies" : "rates") + ", e.g. " + example);
        if (list == null) {
            return null;
        }
        if (list.isEmpty()) {
            problems.add(f.path(dimension), "is empty; list at least one level, e.g. " + example);
            return null;
        }
        List<Double> levels = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Double level = level(list.get(i), f.path(dimension) + "[" + i + "]", whole);
            if (level != null) {
                levels.add(level);
            }
        }
        return levels.size() == list.size() ? levels : null;
    }

    private Double level(JsonNode value, String path, boolean whole) {
        String kind = whole ? "a whole number of 1 or more" : "a number greater than 0";
        if (value == null || !value.isNumber()) {
            problems.add(path, "must be " + kind + ", found " + Fields.describe(value));
            return null;
        }
        double d = value.doubleValue();
        if ((whole && (!value.isIntegralNumber() || d < 1 || d > Limits.MAX_OPEN_STREAMS))
                || (!whole && !(d > 0 && d <= 1e6))) {
            problems.add(path, "is " + Fields.plain(d) + "; it must be " + kind + (whole ? " (at most "
                    + Limits.MAX_OPEN_STREAMS + " streams at once on one process)" : " (at most 1000000)"));
            return null;
        }
        return d;
    }

    /** {@code concurrency: {min: 1, max: 64}} (or rate), {@code goodput}, {@code max-steps}, {@code resolution}. */
    private LoadSpec.Steps search(Fields f, String dimension) {
        boolean whole = dimension.equals(LoadSpec.Steps.CONCURRENCY);
        String example = whole ? "concurrency: {min: 1, max: 64}" : "rate: {min: 0.5, max: 20}";
        int before = problems.count();
        Fields range = f.has(dimension) ? f.mapping(dimension, "the range to search, e.g. " + example) : null;
        if (!f.has(dimension)) {
            problems.add(f.path(dimension), "a search needs the range to search, e.g. " + example);
        }
        Double min = null;
        Double max = null;
        if (range != null) {
            range.allowOnly(List.of("min", "max"));
            min = level(range.raw("min"), range.path("min"), whole);
            max = level(range.raw("max"), range.path("max"), whole);
            if (min != null && max != null && max <= min) {
                problems.add(range.path("max"), "is " + Fields.plain(max) + ", not above min " + Fields.plain(min)
                        + "; raise max");
            }
        }
        double goodput = requireNonNullElse(f.number("goodput", 0, false, 1, "0.95"), 0.95);
        int maxSteps = requireNonNullElse(f.integer("max-steps", 2), 12);
        double resolution = requireNonNullElse(f.number("resolution", 0, false, 1, "0.1"), 0.1);
        if (whole && f.has("resolution")) {
            problems.add(f.path("resolution"), "resolution is for a search over rate; a concurrency search "
                    + "narrows to neighbouring whole numbers; remove it");
        }
        if (problems.count() > before || min == null || max == null) {
            return null;
        }
        return LoadSpec.Steps.search(dimension, min, max, goodput, maxSteps, resolution);
    }

    /** {@code retries: {max: 3, backoff: 1s, max-backoff: 30s, retry-after: true}}, or none. */
    private LoadSpec.Retries retries(Fields load) {
        Fields f = load.mapping("retries", "max, backoff, max-backoff, retry-after");
        if (f == null) {
            return LoadSpec.Retries.NONE;
        }
        f.allowOnly(List.of("max", "backoff", "max-backoff", "retry-after"));
        LoadSpec.Retries d = LoadSpec.Retries.NONE;
        int max = requireNonNullElse(f.integer("max", 0), 3);
        Duration backoff = requireNonNullElse(f.duration("backoff", true), d.backoff());
        Duration maxBackoff = requireNonNullElse(f.duration("max-backoff", true), d.maxBackoff());
        boolean retryAfter = requireNonNullElse(f.bool("retry-after"), d.honourRetryAfter());
        if (maxBackoff.compareTo(backoff) < 0) {
            problems.add(f.path("max-backoff"), "is shorter than backoff " + Durations.format(backoff)
                    + "; raise max-backoff or lower backoff");
        }
        return new LoadSpec.Retries(max, backoff, maxBackoff, retryAfter);
    }

    /** {@code prompt-order: cycle | sample}, {@code prompt-seed}, {@code random-prefix}. */
    private LoadSpec.PromptOrder promptOrder(Fields f) {
        String order = f.oneOf("prompt-order", PROMPT_ORDERS, LoadSpec.PromptOrder.CYCLE_ORDER);
        Long seed = f.longInteger("prompt-seed");
        Boolean prefix = f.bool("random-prefix");
        return new LoadSpec.PromptOrder(order == null ? LoadSpec.PromptOrder.CYCLE_ORDER : order,
                seed == null ? 1 : seed, prefix != null && prefix);
    }
}
