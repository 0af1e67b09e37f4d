package dev.tokenbench.store;

import java.time.Instant;

/** One point of a target's history: one run's figure (NaN when the run had no value), with where it came from. */
public record HistoryPoint(String runId, String probe, String region, Instant startedAt, double value, long count) {
}
