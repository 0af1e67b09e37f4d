package dev.tokenbench.metrics;

import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.ClientHealth;
import dev.tokenbench.measure.MeterNames;
import dev.tokenbench.measure.Metric;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.StreamShape;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.provider.ProviderApi;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.run.RunObserver;
import dev.tokenbench.run.RunResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Every Prometheus meter tokenbench publishes, made here and nowhere else; the names come from measure/
 * ({@link Metric#meterName()}, {@link MeterNames}). Names follow Prometheus conventions
 * once the registry renders them (base units, {@code _total} counters); distributions are histograms with fixed
 * buckets, so {@code histogram_quantile} over {@code sum by (le)} aggregates probes and runs exactly.
 *
 * <p>Meters are created once per target when its run starts ({@link #target}); the record writer's thread then
 * records each finished request into them through fields, never by name. The event loops never touch a meter.
 * Label values are bounded: target, api, model, cloud, region, probe and benchmark come from the benchmark file
 * and the command line, never from requests or prompts.
 *
 * <p>Bound to a registry it is handed: the CLI gives each run its own {@code PrometheusMeterRegistry} and pushes it;
 * a long-lived service can give the application's registry, and the meters of a target are reused run after run.
 */
public final class TokenbenchMetrics implements RunObserver {
    // Names as Micrometer takes them; the Prometheus registry appends the base unit and _total.
    static final String TTFT = Metric.TTFT_MS.meterName();
    static final String TIME_TO_FIRST_OUTPUT = Metric.TIME_TO_FIRST_OUTPUT_MS.meterName();
    static final String TPOT = Metric.TPOT_MS.meterName();
    static final String REQUEST_DURATION = Metric.E2E_LATENCY_MS.meterName();
    static final String STREAM_TPS = Metric.STREAM_TPS.meterName();
    static final String VISIBLE_TPS = Metric.VISIBLE_TPS.meterName();
    static final String E2E_TPS = Metric.E2E_TPS.meterName();
    static final String MAX_STALL = Metric.MAX_STALL_MS.meterName();
    static final String REQUESTS = MeterNames.REQUESTS;
    static final String OUTPUT_TOKENS = Metric.OUTPUT_TOKENS.meterName();
    static final String TOKENS_PER_EVENT = Metric.TOKENS_PER_EVENT.meterName();
    static final String PAUSE_SHARE = Metric.PAUSE_SHARE.meterName();
    static final String INPUT_TOKENS = MeterNames.INPUT_TOKENS;
    static final String REASONING_TOKENS = MeterNames.REASONING_TOKENS;
    static final String COST_USD = MeterNames.COST_USD;
    static final String GOODPUT = MeterNames.GOODPUT;
    static final String RUNS = MeterNames.RUNS;
    static final String LAST_RUN = MeterNames.LAST_RUN;
    static final String IN_FLIGHT = MeterNames.IN_FLIGHT;
    static final String CLIENT_LAG = MeterNames.CLIENT_LAG;
    static final String CLIENT_THROTTLED = MeterNames.CLIENT_THROTTLED;
    static final String CLIENT_GC_PAUSE = MeterNames.CLIENT_GC_PAUSE;
    static final String CLIENT_VERDICT = MeterNames.CLIENT_VERDICT;
    /** The quantiles of the last run's event-loop lag, as a summary names them ({@code 1} is the worst tick). */
    public static final List<String> CLIENT_LAG_QUANTILES = List.of("0.5", "0.99", "1");
    /** The client's verdicts, one series each (a state set: 1 for the last run's, 0 for the others). */
    public static final List<String> CLIENT_VERDICTS = List.of(ClientHealth.GOOD, ClientHealth.DEGRADED,
            ClientHealth.UNTRUSTWORTHY);

    /** Labels of every per-target meter, in this order. */
    public static final List<String> TARGET_LABELS = List.of("target", "api", "model", "cloud", "region", "probe",
            "benchmark");
    public static final int MAX_LABEL_VALUE_LENGTH = 128;

    /**
     * TTFT and time to first output, seconds: from a fast local model (tens of ms) through loaded cloud endpoints
     * (0.2-3 s) to reasoning models thinking before their first visible token (tens of seconds).
     */
    public static final double[] FIRST_TOKEN_BUCKETS = {0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5,
            0.6, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10, 15, 20, 30, 45, 60, 120};
    /** Time per output token, seconds: 1000 tok/s (1 ms) down to 1 tok/s. */
    public static final double[] TPOT_BUCKETS = {0.001, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.0125, 0.015,
            0.02, 0.025, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1};
    /** Whole request, seconds: short answers in under a second to long reasoning answers over minutes. */
    public static final double[] DURATION_BUCKETS = {0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 7.5, 10, 15, 20, 30,
            45, 60, 90, 120, 180, 300, 600};
    /**
     * Tokens per second: the slow tail of big models (5-20) through typical cloud rates to specialised hardware.
     * Whole numbers on purpose: Micrometer's fixed-boundary histograms compare ceil(value) with the bounds, which is
     * exact only for whole-number bounds (times are recorded as Timers in nanoseconds, exact for any bound).
     */
    public static final double[] TPS_BUCKETS = {1, 2, 5, 10, 15, 20, 25, 30, 35, 40, 50, 60, 70, 80, 90, 100, 125,
            150, 175, 200, 250, 300, 400, 500, 750, 1000, 1500, 2000, 3000};
    /**
     * Streamed tokens per content event: one (token by token) through small chunks to a content filter's bursts.
     * Whole numbers, as for {@link #TPS_BUCKETS}.
     */
    public static final double[] TOKENS_PER_EVENT_BUCKETS = {1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50, 100, 200};
    /** Longest gap between content events, seconds. */
    public static final double[] STALL_BUCKETS = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 15, 30, 60};
    /** Run statuses of tokenbench_runs_total, as RunResult names them. */
    public static final List<String> RUN_STATUSES = List.of(RunResult.DONE, RunResult.FAILED, RunResult.INTERRUPTED);

    private final MeterRegistry registry;
    private final String probe;
    private final Map<String, TargetMeters> targets = new ConcurrentHashMap<>();
    private final Map<String, Counter> runs = new ConcurrentHashMap<>();
    private volatile double lastRunSeconds = Double.NaN;
    /** The last run's client health; null before the first run that measured it. */
    private volatile ClientHealth lastClient;
    private final Counter clientThrottled;
    private final Counter clientGcPause;

    public TokenbenchMetrics(MeterRegistry registry, String probe) {
        this.registry = registry;
        this.probe = bounded(probe);
        for (String status : RUN_STATUSES) {
            runs.put(status, Counter.builder(RUNS).description("Runs finished, by status (done, failed, "
                    + "interrupted)").tags("probe", this.probe, "status", status).register(registry));
        }
        Gauge.builder(LAST_RUN, this, m -> m.lastRunSeconds).baseUnit("seconds")
                .description("When this probe's last run ended, Unix time").tags("probe", this.probe)
                .register(registry);
        for (String quantile : CLIENT_LAG_QUANTILES) {
            Gauge.builder(CLIENT_LAG, this, m -> m.lagSeconds(quantile)).baseUnit("seconds")
                    .description("The last run's event-loop lag of the client itself, by quantile over its probe "
                            + "ticks (1 = the worst); high values mean the client, not the endpoint, was slow")
                    .tags("probe", this.probe, "quantile", quantile).register(registry);
        }
        clientThrottled = Counter.builder(CLIENT_THROTTLED).baseUnit("seconds")
                .description("Time the client's cgroup CPU quota throttled it during runs")
                .tags("probe", this.probe).register(registry);
        clientGcPause = Counter.builder(CLIENT_GC_PAUSE).baseUnit("seconds")
                .description("Stop-the-world GC pauses of the client during runs")
                .tags("probe", this.probe).register(registry);
        for (String verdict : CLIENT_VERDICTS) {
            Gauge.builder(CLIENT_VERDICT, this, m -> m.lastClient != null && verdict.equals(m.lastClient.verdict())
                            ? 1 : 0)
                    .description("The last run's client-health verdict: 1 for its verdict, 0 for the others")
                    .tags("probe", this.probe, "verdict", verdict).register(registry);
        }
    }

    private double lagSeconds(String quantile) {
        ClientHealth c = lastClient;
        if (c == null) {
            return Double.NaN;
        }
        double ms = switch (quantile) {
            case "0.5" -> c.lagP50Ms();
            case "0.99" -> c.lagP99Ms();
            default -> c.lagMaxMs();
        };
        return ms / 1e3;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public String probe() {
        return probe;
    }

    /**
     * The label values of a target's meters, in {@link #TARGET_LABELS} order: the benchmark's name among them, so
     * that dashboards filter by benchmark and two benchmarks with a target of the same name stay apart.
     */
    public List<String> labelValues(String benchmark, TargetSpec spec) {
        return List.of(bounded(spec.name()), bounded(spec.api()), bounded(model(spec)), bounded(cloud(spec)),
                bounded(region(spec)), probe, bounded(benchmark));
    }

    /** Before a run: the target's meters (created on first use, reused after), fed on the record writer's thread. */
    @Override
    public Consumer<RequestRecord> target(String benchmark, TargetSpec spec, IntSupplier inFlight) {
        List<String> values = labelValues(benchmark, spec);
        TargetMeters meters = targets.computeIfAbsent(String.join("\u0000", values),
                k -> new TargetMeters(registry, values));
        meters.inFlight = inFlight;
        return meters::record;
    }

    /** After a run: its status, when it ended and each target's goodput. */
    public void runFinished(RunResult result) {
        Counter counter = runs.get(result.status());
        if (counter != null) {
            counter.increment();
        }
        for (int i = 0; i < result.targets().size() && i < result.plan().targets().size(); i++) {
            TargetSpec spec = result.plan().secrets().displayed(result.plan().targets().get(i));
            TargetMeters meters = targets.get(String.join("\u0000", labelValues(result.plan().name(), spec)));
            if (meters != null) {
                TargetSummary summary = result.targets().get(i);
                meters.goodput = summary.goodput();
                meters.pauseShare = StreamShape.of(summary).pauseShare();
                meters.inFlight = () -> 0;
            }
        }
        ClientHealth client = result.client();
        if (client != null) {
            lastClient = client;
            if (client.cpuThrottledMs() > 0) {
                clientThrottled.increment(client.cpuThrottledMs() / 1e3);
            }
            if (client.gcPauseTotalMs() > 0) {
                clientGcPause.increment(client.gcPauseTotalMs() / 1e3);
            }
        }
        lastRunSeconds = result.endedAt().toEpochMilli() / 1000.0;
    }

    /** A run that ended without a result (it could not start, or its files could not be written). */
    public void runFailed(Instant at) {
        runs.get(RunResult.FAILED).increment();
        lastRunSeconds = at.toEpochMilli() / 1000.0;
    }

    static String model(TargetSpec spec) {
        if (spec.model() != null) {
            return spec.model();
        }
        return spec.deployment() == null ? "" : spec.deployment();
    }

    /** Asked for each api's {@link ProviderApi#cloud()}: the {@code cloud} label of a target whose labels give none. */
    private static final ProviderRegistry PROVIDERS = ProviderRegistry.defaults();

    /** The {@code cloud} label, or where the target's labels give none, the provider its api belongs to. */
    static String cloud(TargetSpec spec) {
        String label = spec.labels().get("cloud");
        if (label != null) {
            return label;
        }
        if (spec.baseUrl() != null && spec.baseUrl().startsWith("sim://")) {
            return "simulator";
        }
        ProviderApi api = PROVIDERS.kind(spec.api());
        return api == null ? "" : api.cloud();
    }

    /** The {@code region} label, or the target's cloud region (Bedrock region, Vertex location), or empty. */
    static String region(TargetSpec spec) {
        String label = spec.labels().get("region");
        if (label != null) {
            return label;
        }
        if (spec.access() != null && spec.access().region() != null) {
            return spec.access().region();
        }
        return spec.access() != null && spec.access().location() != null ? spec.access().location() : "";
    }

    static String bounded(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= MAX_LABEL_VALUE_LENGTH ? value : value.substring(0, MAX_LABEL_VALUE_LENGTH);
    }

    /** One target's meters; recorded into by the record writer's thread only. */
    static final class TargetMeters {
        final Timer ttft;
        final Timer timeToFirstOutput;
        final Timer tpot;
        final Timer duration;
        final DistributionSummary streamTps;
        final DistributionSummary visibleTps;
        final DistributionSummary e2eTps;
        final Timer maxStall;
        final DistributionSummary tokensPerEvent;
        volatile double pauseShare = Double.NaN;
        final Counter[] requests = new Counter[Outcome.values().length];
        final Counter outputTokens;
        final Counter inputTokens;
        final Counter reasoningTokens;
        final Counter costUsd;
        volatile IntSupplier inFlight = () -> 0;
        volatile double goodput = Double.NaN;

        TargetMeters(MeterRegistry registry, List<String> values) {
            Tags tags = Tags.empty();
            for (int i = 0; i < TARGET_LABELS.size(); i++) {
                tags = tags.and(TARGET_LABELS.get(i), values.get(i));
            }
            ttft = timer(registry, TTFT, "Time to first token (first visible content), ok requests",
                    FIRST_TOKEN_BUCKETS, tags);
            timeToFirstOutput = timer(registry, TIME_TO_FIRST_OUTPUT,
                    "Time to first output (reasoning or visible), ok requests", FIRST_TOKEN_BUCKETS, tags);
            tpot = timer(registry, TPOT, "Time per output token after the first, ok requests",
                    TPOT_BUCKETS, tags);
            duration = timer(registry, REQUEST_DURATION, "Send to last byte, ok requests",
                    DURATION_BUCKETS, tags);
            streamTps = histogram(registry, STREAM_TPS,
                    "Output tokens per second from first output to end, ok requests", TPS_BUCKETS, tags);
            visibleTps = histogram(registry, VISIBLE_TPS,
                    "Visible (non-reasoning) tokens per second from first token to end, ok requests", TPS_BUCKETS,
                    tags);
            e2eTps = histogram(registry, E2E_TPS, "Output tokens per second from send to end, ok requests",
                    TPS_BUCKETS, tags);
            maxStall = timer(registry, MAX_STALL, "Longest gap between content events, per request",
                    STALL_BUCKETS, tags);
            tokensPerEvent = histogram(registry, TOKENS_PER_EVENT, "Streamed tokens per content event, ok requests "
                    + "(1: token by token; a content filter's bursts carry many)", TOKENS_PER_EVENT_BUCKETS, tags);
            Gauge.builder(PAUSE_SHARE, this, m -> m.pauseShare).tags(tags)
                    .description("The last run's mean share of streaming time spent in long pauses (docs/metrics.md, "
                            + "Stream shape)").register(registry);
            for (Outcome o : Outcome.values()) {
                requests[o.ordinal()] = Counter.builder(REQUESTS)
                        .description("Measured requests by outcome (a retried request counts once, by its last "
                                + "attempt; warm-ups are not counted)")
                        .tags(tags).tag("outcome", o.label()).register(registry);
            }
            outputTokens = counter(registry, OUTPUT_TOKENS, "Output tokens of measured requests (reasoning included)",
                    tags);
            inputTokens = counter(registry, INPUT_TOKENS, "Input tokens of measured requests", tags);
            reasoningTokens = counter(registry, REASONING_TOKENS, "Reasoning tokens of measured requests", tags);
            costUsd = counter(registry, COST_USD, "Cost of measured requests in USD, from the target's pricing",
                    tags);
            Gauge.builder(GOODPUT, this, m -> m.goodput).tags(tags)
                    .description("Share of the last run's measured requests that met the SLO").register(registry);
            Gauge.builder(IN_FLIGHT, this, m -> m.inFlight.getAsInt()).tags(tags)
                    .description("Requests started and not yet recorded").register(registry);
        }

        void record(RequestRecord r) {
            if (r.retried() || r.warmup()) {
                return;
            }
            requests[r.outcome().ordinal()].increment();
            outputTokens.increment(r.outputTokens());
            inputTokens.increment(r.inputTokens());
            reasoningTokens.increment(r.reasoningTokens());
            costUsd.increment(r.costUsd());
            seconds(maxStall, r.maxStallMs());
            if (!r.ok()) {
                return;
            }
            seconds(ttft, r.ttftMs());
            seconds(timeToFirstOutput, r.timeToFirstOutputMs());
            seconds(tpot, r.tpotMs());
            seconds(duration, r.e2eLatencyMs());
            rate(streamTps, r.streamTokensPerSecond());
            rate(visibleTps, r.visibleTokensPerSecond());
            rate(e2eTps, r.e2eTokensPerSecond());
            rate(tokensPerEvent, r.tokensPerEvent());
        }

        private static void seconds(Timer timer, double ms) {
            if (!Double.isNaN(ms) && ms >= 0 && !Double.isInfinite(ms)) {
                timer.record(Math.round(ms * 1e6), TimeUnit.NANOSECONDS);
            }
        }

        private static void rate(DistributionSummary summary, double value) {
            if (!Double.isNaN(value) && value >= 0 && !Double.isInfinite(value)) {
                summary.record(value);
            }
        }

        private static DistributionSummary histogram(MeterRegistry registry, String name, String description,
                double[] buckets, Tags tags) {
            return DistributionSummary.builder(name).description(description).serviceLevelObjectives(buckets)
                    .tags(tags).register(registry);
        }

        /** A histogram in seconds (the registry's base unit for timers), recorded in nanoseconds: exact buckets. */
        private static Timer timer(MeterRegistry registry, String name, String description, double[] bucketsSeconds,
                Tags tags) {
            Duration[] slos = new Duration[bucketsSeconds.length];
            for (int i = 0; i < slos.length; i++) {
                slos[i] = Duration.ofNanos(Math.round(bucketsSeconds[i] * 1e9));
            }
            return Timer.builder(name).description(description).serviceLevelObjectives(slos)
                    .minimumExpectedValue(slos[0]).maximumExpectedValue(slos[slos.length - 1]).tags(tags)
                    .register(registry);
        }

        private static Counter counter(MeterRegistry registry, String name, String description, Tags tags) {
            return Counter.builder(name).description(description).tags(tags).register(registry);
        }
    }
}
