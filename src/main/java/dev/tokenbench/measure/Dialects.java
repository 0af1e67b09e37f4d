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

    /**
     * The per-request sums the dialects need beyond tokenbench's own metrics: added up as records come, merged by
     * adding (steps, shards), so a mean over requests stays exact.
     *
     * @param e2ePerTokenRequests          ok requests with output tokens
     * @param e2ePerTokenMsSum             their sum of e2e / output tokens
     * @param decodeFromFirstOutputRequests ok requests with two or more output tokens and a first output
     * @param decodeFromFirstOutputMsSum   their sum of (e2e − time to first output) / (output tokens − 1)
     */
    public record Sums(long e2ePerTokenRequests, double e2ePerTokenMsSum, long decodeFromFirstOutputRequests,
            double decodeFromFirstOutputMsSum) {
        public static final Sums NONE = new Sums(0, 0, 0, 0);

        /** These sums with one more ok request's. */
        public Sums plus(RequestRecord r) {
            if (!r.ok() || r.outputTokens() <= 0 || Double.isNaN(r.e2eLatencyMs())) {
                return this;
            }
            long perToken = e2ePerTokenRequests + 1;
            double perTokenSum = e2ePerTokenMsSum + r.e2eLatencyMs() / r.outputTokens();
            if (r.outputTokens() < 2 || Double.isNaN(r.timeToFirstOutputMs())) {
                return new Sums(perToken, perTokenSum, decodeFromFirstOutputRequests, decodeFromFirstOutputMsSum);
            }
            return new Sums(perToken, perTokenSum, decodeFromFirstOutputRequests + 1, decodeFromFirstOutputMsSum
                    + (r.e2eLatencyMs() - r.timeToFirstOutputMs()) / (r.outputTokens() - 1));
        }

        public Sums plus(Sums other) {
            return new Sums(e2ePerTokenRequests + other.e2ePerTokenRequests,
                    e2ePerTokenMsSum + other.e2ePerTokenMsSum,
                    decodeFromFirstOutputRequests + other.decodeFromFirstOutputRequests,
                    decodeFromFirstOutputMsSum + other.decodeFromFirstOutputMsSum);
        }

        double e2ePerTokenMs() {
            return e2ePerTokenRequests == 0 ? Double.NaN : e2ePerTokenMsSum / e2ePerTokenRequests;
        }

        double decodeFromFirstOutputMs() {
            return decodeFromFirstOutputRequests == 0 ? Double.NaN
                    : decodeFromFirstOutputMsSum / decodeFromFirstOutputRequests;
        }
    }

    /** The dialects of one target's figures: its metric means and its {@link Sums}. */
    public static Dialects of(TargetSummary summary) {
        double ttft = mean(summary, Metric.TTFT_MS);
        double tpot = mean(summary, Metric.TPOT_MS);
        Sums sums = summary.dialectSums();
        double e2ePerToken = sums.e2ePerTokenMs();
        return new Dialects(
                new Dialect(ttft, mean(summary, Metric.ITL_MS), tpot),
                new Dialect(ttft, tpot, e2ePerToken),
                new Dialect(mean(summary, Metric.TIME_TO_FIRST_OUTPUT_MS), sums.decodeFromFirstOutputMs(),
                        Double.NaN),
                new Dialect(ttft, e2ePerToken, Double.NaN));
    }

    private static double mean(TargetSummary summary, Metric metric) {
        MetricSummary m = summary.metric(metric);
        return m.count() == 0 ? Double.NaN : m.mean();
    }
}
