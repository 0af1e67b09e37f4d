package dev.tokenbench.measure;

/**
 * Every per-request figure that gets a distribution. Defined once here: the keys are those of run.json, the
 * report and requests.jsonl, and {@link #meterName()} is the metric's Prometheus meter. Histograms hold
 * {@code value * scale} as longs: microseconds for times and milli-tokens per second for rates, so three
 * significant digits survive.
 */
public enum Metric {
    TTFT_MS("ttft_ms", "TTFT", "ms", false, "tokenbench.ttft"),
    TTFT_FROM_INTENDED_MS("ttft_from_intended_ms", "TTFT from intended start", "ms", false, null),
    TTFT_INCLUDING_RETRIES_MS("ttft_including_retries_ms", "TTFT including retries", "ms", false, null),
    TTFB_MS("ttfb_ms", "TTFB", "ms", false, null),
    TIME_TO_FIRST_OUTPUT_MS("time_to_first_output_ms", "time to first output", "ms", false,
            "tokenbench.time.to.first.output"),
    E2E_LATENCY_MS("e2e_latency_ms", "E2E latency", "ms", false, "tokenbench.request.duration"),
    E2E_LATENCY_FROM_INTENDED_MS("e2e_latency_from_intended_ms", "E2E latency from intended start", "ms", false,
            null),
    START_DELAY_MS("start_delay_ms", "start delay", "ms", false, null),
    TPOT_MS("tpot_ms", "TPOT", "ms", false, "tokenbench.tpot"),
    ITL_MS("itl_ms", "inter-token latency", "ms", false, null),
    MAX_STALL_MS("max_stall_ms", "max stall", "ms", false, "tokenbench.max.stall"),
    STREAM_TPS("stream_tps", "stream TPS", "tok/s", true, "tokenbench.stream.tokens.per.second"),
    VISIBLE_TPS("visible_tps", "visible TPS", "tok/s", true, "tokenbench.visible.tokens.per.second"),
    E2E_TPS("e2e_tps", "E2E TPS", "tok/s", true, "tokenbench.e2e.tokens.per.second"),
    OUTPUT_TOKENS("output_tokens", "output tokens", "tokens", true, "tokenbench.output.tokens"),
    TOKENS_PER_EVENT("tokens_per_event", "tokens per event", "tokens", false, "tokenbench.tokens.per.event"),
    PAUSE_SHARE("pause_share", "pause share", "share", false, "tokenbench.pause.share");

    private final String key;
    private final String label;
    private final String unit;
    private final boolean higherIsBetter;
    private final String meterName;

    Metric(String key, String label, String unit, boolean higherIsBetter, String meterName) {
        this.key = key;
        this.label = label;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
        this.meterName = meterName;
    }

    public String key() {
        return key;
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }

    /**
     * The Micrometer name of this metric's meter, as Micrometer takes it (the Prometheus registry appends the base
     * unit and {@code _total}); null for a metric published in no meter. The meters that are no per-request metric
     * are named in {@link MeterNames}.
     */
    public String meterName() {
        return meterName;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /**
     * Histogram units per metric unit: 1000 (µs per ms, milli-tokens per token, thousandths of a share) except for
     * token counts.
     */
    public double histogramScale() {
        return this == OUTPUT_TOKENS ? 1 : 1000;
    }

    /** This metric's value for one ok request; NaN when it has none. ITL comes from the stream, not the record. */
    public double of(RequestRecord r) {
        return switch (this) {
            case TTFT_MS -> r.ttftMs();
            case TTFT_FROM_INTENDED_MS -> r.ttftFromIntendedMs();
            case TTFT_INCLUDING_RETRIES_MS -> r.ttftIncludingRetriesMs();
            case E2E_LATENCY_FROM_INTENDED_MS -> r.e2eLatencyFromIntendedMs();
            case START_DELAY_MS -> r.startDelayMs();
            case TTFB_MS -> r.ttfbMs();
            case TIME_TO_FIRST_OUTPUT_MS -> r.timeToFirstOutputMs();
            case E2E_LATENCY_MS -> r.e2eLatencyMs();
            case TPOT_MS -> r.tpotMs();
            case ITL_MS -> Double.NaN;
            case MAX_STALL_MS -> r.maxStallMs();
            case STREAM_TPS -> r.streamTokensPerSecond();
            case VISIBLE_TPS -> r.visibleTokensPerSecond();
            case E2E_TPS -> r.e2eTokensPerSecond();
            case OUTPUT_TOKENS -> r.outputTokens();
            case TOKENS_PER_EVENT -> r.tokensPerEvent();
            case PAUSE_SHARE -> r.pauseShare();
        };
    }

    public static Metric byKey(String key) {
        for (Metric m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric " + key);
    }
}
