package dev.tokenbench.measure;

/**
 * The Micrometer names of the meters that are not a per-request {@link Metric} (those carry theirs:
 * {@link Metric#meterName()}). Names as Micrometer takes them; the Prometheus registry appends the base unit and
 * {@code _total}.
 */
public final class MeterNames {
    public static final String REQUESTS = "tokenbench.requests";
    public static final String INPUT_TOKENS = "tokenbench.input.tokens";
    public static final String REASONING_TOKENS = "tokenbench.reasoning.tokens";
    public static final String COST_USD = "tokenbench.cost.usd";
    public static final String GOODPUT = "tokenbench.goodput.ratio";
    public static final String RUNS = "tokenbench.runs";
    public static final String LAST_RUN = "tokenbench.last.run.timestamp";
    public static final String IN_FLIGHT = "tokenbench.requests.in.flight";
    public static final String CLIENT_LAG = "tokenbench.client.event.loop.lag";
    public static final String CLIENT_THROTTLED = "tokenbench.client.cpu.throttled";
    public static final String CLIENT_GC_PAUSE = "tokenbench.client.gc.pause";
    public static final String CLIENT_VERDICT = "tokenbench.client.verdict";

    private MeterNames() {
    }
}
