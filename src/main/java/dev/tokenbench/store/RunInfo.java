package dev.tokenbench.store;

import java.time.Instant;
import java.util.List;

/** One line of the runs list: what the runs table shows, without run.json or records. */
public record RunInfo(String id, String name, String status, String probe, String region, Instant startedAt,
        Instant endedAt, int measured, int failed, double costUsd, List<String> targets) {
}
