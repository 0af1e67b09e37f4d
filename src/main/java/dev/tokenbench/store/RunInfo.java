package dev.tokenbench.store;

import java.time.Instant;
import java.util.List;

/** One line of the runs list: what the runs table shows, without run.json or records. */
public record RunInfo(String id, String name, String status, String probe, String region, Instant startedAt,
        Instant endedAt, int measured, int failed, double costUsd, List<String> targets) {
    /** RunInfo's fields by name, instead of one long positional call. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link RunInfo} field by field. Unset fields are null, 0 or false. */
    public static final class Builder {
        private String id;
        private String name;
        private String status;
        private String probe;
        private String region;
        private Instant startedAt;
        private Instant endedAt;
        private int measured;
        private int failed;
        private double costUsd;
        private List<String> targets;

        private Builder() {
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder status(String status) {
            this.status = status;
            return this;
        }

        public Builder probe(String probe) {
            this.probe = probe;
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder startedAt(Instant startedAt) {
            this.startedAt = startedAt;
            return this;
        }

        public Builder endedAt(Instant endedAt) {
            this.endedAt = endedAt;
            return this;
        }

        public Builder measured(int measured) {
            this.measured = measured;
            return this;
        }

        public Builder failed(int failed) {
            this.failed = failed;
            return this;
        }

        public Builder costUsd(double costUsd) {
            this.costUsd = costUsd;
            return this;
        }

        public Builder targets(List<String> targets) {
            this.targets = targets;
            return this;
        }

        /** The one place the canonical constructor is called. */
        public RunInfo build() {
            return new RunInfo(id, name, status, probe, region, startedAt, endedAt, measured, failed, costUsd,
                    targets);
        }
    }
}
