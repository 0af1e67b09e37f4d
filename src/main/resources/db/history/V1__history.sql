-- The history store's schema, shared by the embedded store (SQLite) and PostgreSQL: only types and statements
-- both understand. Times are epoch milliseconds (BIGINT); JSON is kept as TEXT.
CREATE TABLE runs (
    id                 VARCHAR(255) NOT NULL PRIMARY KEY,
    name               VARCHAR(255) NOT NULL,
    status             VARCHAR(32)  NOT NULL,
    probe              VARCHAR(255) NOT NULL,
    region             VARCHAR(255) NOT NULL,
    started_at         BIGINT       NOT NULL,
    ended_at           BIGINT       NOT NULL,
    wall_seconds       DOUBLE PRECISION,
    measured           INTEGER      NOT NULL,
    failed             INTEGER      NOT NULL,
    cost_usd           DOUBLE PRECISION NOT NULL,
    tokenbench_version VARCHAR(64),
    config             TEXT         NOT NULL,
    run_json           TEXT         NOT NULL,
    stored_at          BIGINT       NOT NULL
);
CREATE INDEX runs_started_at ON runs (started_at);
CREATE INDEX runs_name ON runs (name);

CREATE TABLE run_targets (
    run_id   VARCHAR(255) NOT NULL,
    position INTEGER      NOT NULL,
    target   VARCHAR(255) NOT NULL,
    api      VARCHAR(64)  NOT NULL,
    model    VARCHAR(255),
    measured INTEGER      NOT NULL,
    ok       INTEGER      NOT NULL,
    failed   INTEGER      NOT NULL,
    cost_usd DOUBLE PRECISION NOT NULL,
    summary  TEXT         NOT NULL,
    PRIMARY KEY (run_id, target)
);
CREATE INDEX run_targets_target ON run_targets (target);

-- One row per target and metric: the figures the history chart draws, and the encoded HdrHistogram that
-- merges exactly with other runs' and probes'.
CREATE TABLE target_metrics (
    run_id    VARCHAR(255) NOT NULL,
    target    VARCHAR(255) NOT NULL,
    metric    VARCHAR(64)  NOT NULL,
    count     BIGINT       NOT NULL,
    mean      DOUBLE PRECISION,
    p50       DOUBLE PRECISION,
    p90       DOUBLE PRECISION,
    p99       DOUBLE PRECISION,
    worst10   DOUBLE PRECISION,
    histogram TEXT,
    PRIMARY KEY (run_id, target, metric)
);
CREATE INDEX target_metrics_series ON target_metrics (target, metric);

-- requests.jsonl, line by line, in the order the run wrote it.
CREATE TABLE request_records (
    run_id VARCHAR(255) NOT NULL,
    seq    INTEGER      NOT NULL,
    target VARCHAR(255) NOT NULL,
    record TEXT         NOT NULL,
    PRIMARY KEY (run_id, seq)
);
