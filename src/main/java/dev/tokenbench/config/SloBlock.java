package dev.tokenbench.config;

import java.time.Duration;
import java.util.List;

import static java.util.Objects.requireNonNullElse;

/** The {@code slo} block: what counts as a usable request (goodput). */
final class SloBlock {
    private static final List<String> SLO_KEYS = List.of("ttft", "stream-tps");

    private SloBlock() {
    }

    static SloSpec read(Fields top) {
        Fields f = top.mapping("slo", "ttft and stream-tps, e.g. {ttft: 10s, stream-tps: 20}");
        if (f == null) {
            return SloSpec.DEFAULT;
        }
        f.allowOnly(SLO_KEYS);
        Duration ttft = requireNonNullElse(f.duration("ttft", true), SloSpec.DEFAULT.ttft());
        double streamTps = requireNonNullElse(f.number("stream-tps", 0, false, Double.MAX_VALUE, "20"),
                SloSpec.DEFAULT.streamTokensPerSecond());
        return new SloSpec(ttft, streamTps);
    }
}
