package dev.tokenbench.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tokenbench.sim.SimScenario;

import java.time.Duration;
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
            "tokens-per-chunk", "output-tokens", "include-usage", "slow-share", "slow-ttft",
            "slow-tokens-per-second", "seed", "reasoning-tokens", "reasoning-visible", "ttft-per-in-flight", "all-out");

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
        if (ttft.compareTo(headersDelay) < 0) {
            f.problems().add(f.path("ttft"), "ttft " + Durations.format(ttft) + " is shorter than headers-delay "
                    + Durations.format(headersDelay) + "; the first token cannot come before the headers, raise ttft");
        }
        if (slowTtft.compareTo(headersDelay) < 0) {
            f.problems().add(f.path("slow-ttft"), "slow-ttft " + Durations.format(slowTtft)
                    + " is shorter than headers-delay " + Durations.format(headersDelay) + "; raise slow-ttft");
        }
        if (f.problems().count() > before) {
            return null;
        }
        return new SimScenario(name, headersDelay, ttft, tokensPerSecond, jitter, tokensPerChunk, outputTokens,
                includeUsage, slowShare, slowTtft, slowTokensPerSecond, seed, reasoningTokens, reasoningVisible,
                ttftPerInFlight, allOut);
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
