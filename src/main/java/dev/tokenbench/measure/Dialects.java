package dev.tokenbench.measure;

/**
 * One target's TTFT, ITL and TPOT as four other benchmarking tools define them, so that tokenbench's figures can be
 * put beside theirs (docs/metrics.md, "Metric dialects", has each tool's source and formula). Every figure is a mean
 * over ok requests, as each tool's headline "mean" is; NaN where the tool defines no such figure or no request had
 * one. tokenbench's "last token" is the end of the stream ({@code t_end}) in every dialect.
 *
 * @param vllm     vLLM {@code bench serve}: TTFT; ITL = every gap between content events, pooled over requests; TPOT
 *                 = (e2e − ttft) / (output tokens − 1)
 * @param guidellm GuideLLM: TTFT; ITL = (e2e − ttft) / (output tokens − 1); TPOT = e2e / output tokens (includes
 *                 the first token)
 * @param aiperf   AIPerf: TTFT to the first response of any kind (reasoning included: tokenbench's time to first
 *                 output); ITL = (e2e − that ttft) / (output tokens − 1); no TPOT
 * @param llmperf  LLMPerf: TTFT; ITL = e2e / output tokens (its "inter-token latency" sums every gap from the send,
 *                 the first token's included); no TPOT
 */
public record Dialects(Dialect vllm, Dialect guidellm, Dialect aiperf, Dialect llmperf) {

    /** One tool's figures, in milliseconds; NaN where it defines none. */
    public record Dialect(double ttftMs, double itlMs, double tpotMs) {
    }

    /** A running mean: how many values and their sum; added up as records come, merged by adding. */
    public record Mean(long count, double sum) {
        public static final Mean NONE = new Mean(0, 0);

        /** With one more value; a NaN value is none. */
        public Mean plus(double value) {
            return Double.isNaN(value) ? this : new Mean(count + 1, sum + value);
        }

        public Mean plus(Mean other) {
            return new Mean(count + other.count, sum + other.sum);
        }

        public double value() {
            return count == 0 ? Double.NaN : sum / count;
        }
    }

    /**
     * The per-request means the dialects need, over ok requests, kept as exact sums (the metrics' histograms keep
     * three significant digits) that merge by adding across steps and shards.
     *
     * @param ttftMs                  ttft
     * @param timeToFirstOutputMs     time to first output (reasoning or visible)
     * @param tpotMs                  (e2e − ttft) / (output tokens − 1), requests with two or more tokens
     * @param e2ePerTokenMs           e2e / output tokens, requests with output
     * @param decodeFromFirstOutputMs (e2e − time to first output) / (output tokens − 1), two or more tokens
     */
    public record Sums(Mean ttftMs, Mean timeToFirstOutputMs, Mean tpotMs, Mean e2ePerTokenMs,
            Mean decodeFromFirstOutputMs) {
        public static final Sums NONE = new Sums(Mean.NONE, Mean.NONE, Mean.NONE, Mean.NONE, Mean.NONE);

        /** These sums with one more request's; only an ok request counts. */
        public Sums plus(RequestRecord r) {
            if (!r.ok()) {
                return this;
            }
            long tokens = r.outputTokens();
            double e2e = r.e2eLatencyMs();
            return new Sums(ttftMs.plus(r.ttftMs()), timeToFirstOutputMs.plus(r.timeToFirstOutputMs()),
                    tpotMs.plus(r.tpotMs()), e2ePerTokenMs.plus(tokens > 0 ? e2e / tokens : Double.NaN),
                    decodeFromFirstOutputMs.plus(tokens > 1 ? (e2e - r.timeToFirstOutputMs()) / (tokens - 1)
                            : Double.NaN));
        }

        public Sums plus(Sums other) {
            return new Sums(ttftMs.plus(other.ttftMs), timeToFirstOutputMs.plus(other.timeToFirstOutputMs),
                    tpotMs.plus(other.tpotMs), e2ePerTokenMs.plus(other.e2ePerTokenMs),
                    decodeFromFirstOutputMs.plus(other.decodeFromFirstOutputMs));
        }
    }

    /** The dialects of one target's figures: its {@link Sums}, and its ITL histogram for vLLM's pooled ITL. */
    public static Dialects of(TargetSummary summary) {
        Sums sums = summary.dialectSums();
        double ttft = sums.ttftMs().value();
        double tpot = sums.tpotMs().value();
        double e2ePerToken = sums.e2ePerTokenMs().value();
        MetricSummary gaps = summary.metric(Metric.ITL_MS);
        return new Dialects(
                new Dialect(ttft, gaps.count() == 0 ? Double.NaN : gaps.mean(), tpot),
                new Dialect(ttft, tpot, e2ePerToken),
                new Dialect(sums.timeToFirstOutputMs().value(), sums.decodeFromFirstOutputMs().value(), Double.NaN),
                new Dialect(ttft, e2ePerToken, Double.NaN));
    }
}
