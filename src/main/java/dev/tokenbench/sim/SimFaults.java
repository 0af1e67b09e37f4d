package dev.tokenbench.sim;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A scenario's fault rules, in order: a request gets the first rule that picks it (see {@link SimFault}), or none.
 * The choice draws from its own generator, seeded by the scenario's seed and the request's index, so adding faults
 * to a scenario changes neither its slow requests nor its jitter nor its words.
 */
public record SimFaults(List<SimFault> rules) {

    public static final SimFaults NONE = new SimFaults(List.of());

    /** Keeps the fault draws apart from the request generator of the same seed and index. */
    private static final long FAULT_SEED_SALT = 0x5DEECE66DL;

    public SimFaults {
        rules = List.copyOf(rules);
    }

    public static SimFaults of(SimFault... rules) {
        return new SimFaults(List.of(rules));
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** The fault for the {@code requestIndex}-th request (0-based) of a scenario with this seed, or null. */
    public SimFault pick(long scenarioSeed, long requestIndex) {
        if (rules.isEmpty()) {
            return null;
        }
        SplittableRandom random = Simulator.requestRandom(scenarioSeed ^ FAULT_SEED_SALT, requestIndex);
        for (SimFault rule : rules) {
            if (rule.every() > 0) {
                if ((requestIndex + 1) % rule.every() == 0) {
                    return rule;
                }
            } else if (random.nextDouble() < rule.share()) {
                return rule;
            }
        }
        return null;
    }
}
