package dev.tokenbench.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The checks a {@link SimConfig} passes before a {@link Simulator} starts on it, every error at once. */
final class SimConfigCheck {

    private SimConfigCheck() {
    }

    /** Every problem of {@code config}, as {@code scenarios.<name>.<field> …} lines; empty when it can be served. */
    static List<String> validate(SimConfig config) {
        List<String> errors = new ArrayList<>();
        if (config == null || config.scenarios() == null || config.scenarios().isEmpty()) {
            errors.add("scenarios: at least one scenario is required");
            return errors;
        }
        config.scenarios().forEach((name, scenario) -> {
            String at = "scenarios." + name + ": ";
            if (name == null || name.isEmpty() || name.contains("/")) {
                errors.add(at + "the name must be one non-empty path segment");
            }
            if (scenario == null) {
                errors.add(at + "missing");
                return;
            }
            requireNonNegative(errors, at + "headers-delay", scenario.headersDelay());
            requireNonNegative(errors, at + "ttft", scenario.ttft());
            requireNonNegative(errors, at + "ttft-per-in-flight", scenario.ttftPerInFlight());
            requireNonNegative(errors, at + "slow-ttft", scenario.slowTtft());
            requirePositiveRate(errors, at + "tokens-per-second", scenario.tokensPerSecond());
            requirePositiveRate(errors, at + "slow-tokens-per-second", scenario.slowTokensPerSecond());
            requireShare(errors, at + "jitter", scenario.jitter());
            requireShare(errors, at + "slow-share", scenario.slowShare());
            if (scenario.tokensPerChunk() < 1) {
                errors.add(at + "tokens-per-chunk must be at least 1, got " + scenario.tokensPerChunk());
            }
            if (scenario.outputTokens() != null && scenario.outputTokens() < 1) {
                errors.add(at + "output-tokens must be at least 1 when set, got " + scenario.outputTokens());
            }
            if (scenario.reasoningTokens() < 0) {
                errors.add(at + "reasoning-tokens must be >= 0, got " + scenario.reasoningTokens());
            }
            validateFaults(errors, at, scenario.faults());
        });
        return errors;
    }

    private static void validateFaults(List<String> errors, String at, SimFaults faults) {
        for (int i = 0; i < faults.rules().size(); i++) {
            SimFault f = faults.rules().get(i);
            String rule = at + "faults[" + i + "]";
            if (f == null || f.kind() == null) {
                errors.add(rule + ": kind is required");
                continue;
            }
            requireShare(errors, rule + ".share", f.share());
            if (f.every() < 0) {
                errors.add(rule + ".every must be >= 0, got " + f.every());
            }
            if (f.afterTokens() < 0) {
                errors.add(rule + ".after-tokens must be >= 0, got " + f.afterTokens());
            }
            switch (f.kind()) {
                case HTTP_ERROR -> {
                    if (f.status() < 400 || f.status() > 599) {
                        errors.add(rule + ".status must be an HTTP error status (400-599), got " + f.status());
                    }
                    if (f.retryAfter() != null) {
                        requireNonNegative(errors, rule + ".retry-after", f.retryAfter());
                    }
                }
                case STALL, SLOW_HEADERS -> requireNonNegative(errors, rule + ".duration", f.duration());
                case BIG_LINE -> {
                    if (f.bytes() < 1) {
                        errors.add(rule + ".bytes must be at least 1, got " + f.bytes());
                    }
                }
                case KEEP_ALIVE -> {
                    if (f.keepAlive() == null) {
                        errors.add(rule + ".keep-alive is required for kind keep-alive");
                    }
                }
                default -> {
                }
            }
            if (f.keepAlive() != null && (f.keepAlive().isNegative() || f.keepAlive().toMillis() < 1)) {
                errors.add(rule + ".keep-alive must be at least 1ms, got " + f.keepAlive());
            }
        }
    }

    private static void requireNonNegative(List<String> errors, String field, Duration value) {
        if (value == null || value.isNegative()) {
            errors.add(field + " must be a duration >= 0, got " + value);
        }
    }

    private static void requirePositiveRate(List<String> errors, String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            errors.add(field + " must be a finite number > 0, got " + value);
        }
    }

    private static void requireShare(List<String> errors, String field, double value) {
        if (!(value >= 0 && value <= 1)) {
            errors.add(field + " must be between 0 and 1, got " + value);
        }
    }
}
