package dev.tokenbench.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tokenbench.sim.SimFault;
import dev.tokenbench.sim.SimFaults;
import dev.tokenbench.sim.SimPrefill;
import dev.tokenbench.sim.SimScenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The benchmark's {@code simulator} block: named latency profiles for {@code sim://<scenario>/…} targets. */
final class SimulatorBlock {
    /** A scenario name is the host of a sim:// URL and a path segment of the simulator's routes. */
    static final Pattern SCENARIO_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]*");

    private static final List<String> BLOCK_KEYS = List.of("scenarios");
    private static final List<String> SCENARIO_KEYS = List.of("headers-delay", "ttft", "tokens-per-second", "jitter",
            "tokens-per-chunk", "pause-every", "pause", "reasoning-at-once", "output-tokens", "include-usage",
            "slow-share", "slow-ttft", "slow-tokens-per-second", "seed", "reasoning-tokens", "reasoning-visible",
            "ttft-per-in-flight", "all-out", "faults", "prefill-tokens-per-second",
            "prefix-cache");
    private static final List<String> FAULT_KEYS = List.of("kind", "share", "every", "after-tokens", "status",
            "retry-after", "message", "duration", "bytes", "keep-alive");
    private static final String FAULT_EXAMPLE = "e.g. {kind: http-error, status: 429, retry-after: 2s, share: 0.1}";

    private SimulatorBlock() {
    }

    /** Scenarios in file order; invalid ones are left out after their errors are recorded. */
    static Map<String, SimScenario> parse(Fields block) {
        block.allowOnly(BLOCK_KEYS);
        Map<String, SimScenario> scenarios = new LinkedHashMap<>();
        Fields byName = block.mapping("scenarios", "scenario names to latency profiles");
        if (!block.has("scenarios")) {
            block.problems().add(block.path("scenarios"), "scenarios is required in the simulator block; "
                    + "define at least one, e.g. scenarios: {fast: {ttft: 200ms, tokens-per-second: 80}}");
        }
        if (byName == null) {
            return scenarios;
        }
        for (String name : byName.keys()) {
            String path = byName.path(name);
            if (!SCENARIO_NAME.matcher(name).matches()) {
                block.problems().add(path, "scenario name '" + name + "' must be letters, digits, '.' and '-' "
                        + "(it is the host of sim://" + name + "/v1); rename it");
                continue;
            }
            // A bare "fast:" with no settings is a scenario with every default.
            JsonNode settings = byName.raw(name) == null ? JsonNodeFactory.instance.objectNode() : byName.raw(name);
            Fields fields = Fields.of(settings, path, "scenario settings (ttft, tokens-per-second, …)",
                    block.problems(), block.references());
            if (fields != null) {
                SimScenario scenario = scenario(name, fields);
                if (scenario != null) {
                    scenarios.put(name, scenario);
                }
            }
        }
        return scenarios;
    }

    private static SimScenario scenario(String name, Fields f) {
        int before = f.problems().count();
        f.allowOnly(SCENARIO_KEYS);
        SimScenario d = SimScenario.defaults(name);
        Duration headersDelay = or(f.duration("headers-delay", false), d.headersDelay());
        Duration ttft = or(f.duration("ttft", false), d.ttft());
        double tokensPerSecond = or(f.number("tokens-per-second", 0, false, Double.MAX_VALUE, "50"),
                d.tokensPerSecond());
        double jitter = or(f.number("jitter", 0, true, 1, "0.2"), d.jitter());
        int tokensPerChunk = or(f.integer("tokens-per-chunk", 1), d.tokensPerChunk());
        Integer outputTokens = f.has("output-tokens") ? f.integer("output-tokens", 1) : d.outputTokens();
        boolean includeUsage = or(f.bool("include-usage"), d.includeUsage());
        double slowShare = or(f.number("slow-share", 0, true, 1, "0.1"), d.slowShare());
        // An unset slow-ttft follows ttft, so slow-share alone slows only the stream, as users expect.
        Duration slowTtft = or(f.duration("slow-ttft", false), ttft);
        double slowTokensPerSecond = or(f.number("slow-tokens-per-second", 0, false, Double.MAX_VALUE, "1.5"),
                tokensPerSecond);
        long seed = or(f.longInteger("seed"), d.seed());
        int reasoningTokens = or(f.integer("reasoning-tokens", 0), d.reasoningTokens());
        boolean reasoningVisible = or(f.bool("reasoning-visible"), d.reasoningVisible());
        Duration ttftPerInFlight = or(f.duration("ttft-per-in-flight", false), d.ttftPerInFlight());
        boolean allOut = or(f.bool("all-out"), d.allOut());
        int pauseEveryEvents = or(f.integer("pause-every", 1), d.pauseEveryEvents());
        Duration pause = or(f.duration("pause", false), d.pause());
        boolean reasoningAtOnce = or(f.bool("reasoning-at-once"), d.reasoningAtOnce());
        SimFaults faults = faults(f);
        SimPrefill prefill = prefill(f);
        if (ttft.compareTo(headersDelay) < 0) {
            f.problems().add(f.path("ttft"), "ttft " + Durations.format(ttft) + " is shorter than headers-delay "
                    + Durations.format(headersDelay) + "; the first token cannot come before the headers, raise ttft");
        }
        if (slowTtft.compareTo(headersDelay) < 0) {
            f.problems().add(f.path("slow-ttft"), "slow-ttft " + Durations.format(slowTtft)
                    + " is shorter than headers-delay " + Durations.format(headersDelay) + "; raise slow-ttft");
        }
        if (f.has("pause-every") != f.has("pause")) {
            f.problems().add(f.path(f.has("pause") ? "pause" : "pause-every"), "pause-every and pause go together: "
                    + "e.g. {pause-every: 10, pause: 800ms} holds every tenth event back 800 ms");
        }
        if (f.problems().count() > before) {
            return null;
        }
        return SimScenario.builder()
                .name(name)
                .headersDelay(headersDelay)
                .ttft(ttft)
                .tokensPerSecond(tokensPerSecond)
                .jitter(jitter)
                .tokensPerChunk(tokensPerChunk)
                .outputTokens(outputTokens)
                .includeUsage(includeUsage)
                .slowShare(slowShare)
                .slowTtft(slowTtft)
                .slowTokensPerSecond(slowTokensPerSecond)
                .seed(seed)
                .reasoningTokens(reasoningTokens)
                .reasoningVisible(reasoningVisible)
                .ttftPerInFlight(ttftPerInFlight)
                .allOut(allOut)
                .faults(faults)
                .pauseEveryEvents(pauseEveryEvents)
                .pause(pause)
                .reasoningAtOnce(reasoningAtOnce)
                .prefill(prefill)
                .build();
    }

    /**
     * {@code prefill-tokens-per-second} (ttft grows by uncached prompt tokens / rate) and {@code prefix-cache} (a
     * prompt's leading messages already sent to this scenario are cached): see {@link SimPrefill}.
     */
    private static SimPrefill prefill(Fields f) {
        double rate = or(f.number("prefill-tokens-per-second", 0, true, Double.MAX_VALUE, "5000"), 0.0);
        boolean cache = or(f.bool("prefix-cache"), false);
        return new SimPrefill(rate, cache);
    }

    /** The scenario's fault rules, in file order; each error names the rule and the fix. */
    private static SimFaults faults(Fields scenario) {
        ArrayNode list = scenario.list("faults", "fault rules, " + FAULT_EXAMPLE);
        if (list == null) {
            return SimFaults.NONE;
        }
        List<SimFault> rules = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Fields f = Fields.of(list.get(i), scenario.path("faults") + "[" + i + "]", "fault settings, "
                    + FAULT_EXAMPLE, scenario.problems(), scenario.references());
            SimFault rule = f == null ? null : fault(f);
            if (rule != null) {
                rules.add(rule);
            }
        }
        return new SimFaults(rules);
    }

    private static SimFault fault(Fields f) {
        int before = f.problems().count();
        f.allowOnly(FAULT_KEYS);
        String kindText = f.string("kind");
        List<String> kinds = new ArrayList<>();
        for (SimFault.Kind k : SimFault.Kind.values()) {
            kinds.add(k.label());
        }
        SimFault.Kind kind = kindText == null ? null : SimFault.Kind.of(kindText);
        if (kindText == null) {
            f.problems().add(f.path("kind"), "kind is required; one of " + String.join(", ", kinds));
        } else if (kind == null) {
            f.problems().add(f.path("kind"), "unknown fault kind '" + kindText + "'"
                    + Suggestions.closest(kindText, kinds).map(s -> "; did you mean '" + s + "'?")
                    .orElse("; one of " + String.join(", ", kinds)));
        }
        if (f.has("share") && f.has("every")) {
            f.problems().add(f.path("every"), "set share or every, not both: share picks a seeded random share "
                    + "of the requests, every picks every N-th one");
        }
        SimFault d = kind == null ? SimFault.of(SimFault.Kind.RESET) : SimFault.of(kind);
        double share = or(f.number("share", 0, true, 1, "0.1"), 1.0);
        int every = or(f.integer("every", 1), 0);
        int afterTokens = or(f.integer("after-tokens", 0), 0);
        Integer status = f.integer("status", 0);
        Duration retryAfter = f.duration("retry-after", false);
        String message = f.string("message");
        Duration duration = f.duration("duration", false);
        Integer bytes = f.integer("bytes", 1);
        Duration keepAlive = f.duration("keep-alive", true);
        if (kind != null) {
            onlyFor(f, kind, "after-tokens", kind.afterTokens(), "the stream faults (reset, truncate, error-event, "
                    + "stall, hang, malformed, big-line)");
            onlyFor(f, kind, "status", kind == SimFault.Kind.HTTP_ERROR, "http-error");
            onlyFor(f, kind, "retry-after", kind == SimFault.Kind.HTTP_ERROR, "http-error");
            onlyFor(f, kind, "message", kind == SimFault.Kind.HTTP_ERROR || kind == SimFault.Kind.ERROR_EVENT,
                    "http-error and error-event");
            onlyFor(f, kind, "duration", kind == SimFault.Kind.STALL || kind == SimFault.Kind.SLOW_HEADERS,
                    "stall and slow-headers");
            onlyFor(f, kind, "bytes", kind == SimFault.Kind.BIG_LINE, "big-line");
            onlyFor(f, kind, "keep-alive", kind.afterTokens() || kind == SimFault.Kind.KEEP_ALIVE,
                    "keep-alive and the stream faults");
            if (kind == SimFault.Kind.HTTP_ERROR && status != null && (status < 400 || status > 599)) {
                f.problems().add(f.path("status"), "status " + status + " is not an HTTP error; use 400-599, "
                        + "e.g. 429, 500, 503 or 529");
            }
            if (kind == SimFault.Kind.KEEP_ALIVE && !f.has("keep-alive")) {
                f.problems().add(f.path("keep-alive"), "kind keep-alive needs keep-alive: the interval, e.g. 100ms");
            }
        }
        if (f.problems().count() > before) {
            return null;
        }
        return SimFault.builder()
                .kind(kind)
                .share(share)
                .every(every)
                .afterTokens(afterTokens)
                .status(or(status, d.status()))
                .retryAfter(retryAfter)
                .message(message)
                .duration(or(duration, d.duration()))
                .bytes(or(bytes, d.bytes()))
                .keepAlive(or(keepAlive, d.keepAlive()))
                .build();
    }

    private static void onlyFor(Fields f, SimFault.Kind kind, String key, boolean applies, String appliesTo) {
        if (f.has(key) && !applies) {
            f.problems().add(f.path(key), key + " does not apply to kind " + kind.label() + ", only to "
                    + appliesTo + "; remove it");
        }
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
