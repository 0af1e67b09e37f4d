package dev.tokenbench.measure;

import java.util.Map;
import java.util.SplittableRandom;

/** Random but plausible finished requests, built as the record writer builds them (to the thousandth). */
final class SinkFixtures {
    private SinkFixtures() {
    }

    static RequestRecord record(SplittableRandom random, int sequence, boolean ok, int step) {
        return builder(random, sequence, ok, step).build();
    }

    static RequestRecord.Builder builder(SplittableRandom random, int sequence, boolean ok, int step) {
        long sent = 1_000_000_000L + sequence * 7_000_000L;
        long intended = sent - random.nextLong(0, 3_000_000L);
        long headers = sent + random.nextLong(500_000L, 20_000_000L);
        long firstToken = headers + random.nextLong(1_000_000L, 2_000_000_000L);
        long end = firstToken + random.nextLong(1_000_000L, 5_000_000_000L);
        long outputTokens = random.nextLong(2, 4_000);
        double ttftMs = RequestRecord.thousandths((firstToken - sent) / 1e6);
        double tps = RequestRecord.thousandths(outputTokens / ((end - firstToken) / 1e9));
        return RequestRecord.builder().requestId("r-" + sequence).target("t").promptId("p")
                .outcome(ok ? Outcome.OK : Outcome.HTTP_5XX).httpStatus(ok ? 200 : 503).step(step)
                .intendedStartNanos(intended).sentNanos(sent).headersNanos(headers)
                .firstOutputNanos(ok ? firstToken : 0).firstTokenNanos(ok ? firstToken : 0).endNanos(end)
                .ttfbMs(RequestRecord.thousandths((headers - sent) / 1e6)).ttftMs(ok ? ttftMs : Double.NaN)
                .timeToFirstOutputMs(ok ? ttftMs : Double.NaN)
                .e2eLatencyMs(RequestRecord.thousandths((end - sent) / 1e6))
                .streamTokensPerSecond(ok ? tps : Double.NaN).visibleTokensPerSecond(ok ? tps : Double.NaN)
                .e2eTokensPerSecond(ok ? RequestRecord.thousandths(outputTokens / ((end - sent) / 1e9)) : Double.NaN)
                .tpotMs(ok ? RequestRecord.thousandths((end - firstToken) / 1e6 / (outputTokens - 1)) : Double.NaN)
                .maxStallMs(ok ? RequestRecord.thousandths(random.nextDouble(1, 900)) : Double.NaN)
                .contentEvents(ok ? (int) outputTokens : 0).outputTokens(ok ? outputTokens : 0)
                .inputTokens(random.nextLong(10, 900)).costUsd(random.nextDouble() / 1_000)
                .error(ok ? null : "HTTP 503").connectionReused(random.nextBoolean())
                .firstAttemptSentNanos(sent).headers(Map.of());
    }
}
