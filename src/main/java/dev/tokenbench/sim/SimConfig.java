package dev.tokenbench.sim;

import java.util.Map;

/** The simulator's scenarios by name; a request picks one by the first path segment: /{scenario}/v1/… */
public record SimConfig(Map<String, SimScenario> scenarios) {
}
