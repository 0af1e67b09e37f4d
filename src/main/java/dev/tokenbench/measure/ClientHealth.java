package dev.tokenbench.measure;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How healthy the client itself was while it measured (DESIGN.md §6): run.json's {@code client} block. Its verdict
 * says whether the run's figures can be trusted; the thresholds are the constants below, and nowhere else. A figure
 * that could not be measured (no cgroup, no GC notifications in a native image) is {@code NaN}, written as null.
 *
 * @param verdict             {@link #GOOD}, {@link #DEGRADED} or {@link #UNTRUSTWORTHY}
 * @param reasons             one sentence per rule that made the verdict worse than good
 * @param lagP50Ms            event-loop lag over every probe tick of the run, median
 * @param lagP99Ms            … 99th percentile
 * @param lagMaxMs            … worst
 * @param gcPauseTotalMs      stop-the-world GC time during the run
 * @param gcPauseMaxMs        the longest single GC pause
 * @param gcPauses            how many GC pauses there were (the JVM gives each one's length in whole ms)
 * @param cpuThrottledMs      time the process's cgroup was held back by its CPU quota during the run
 * @param cpuSeconds          CPU time the process used during the run (an in-process simulator's included)
 * @param coresAvailable      the cores the process may use: its cgroup's quota, else the processors it sees
 * @param lateStarts          open loop: starts 1 ms or more behind their intended time
 * @param lagAffectedRequests measured requests whose own event loop lagged more than {@link #LAG_AFFECTED_MS}
 *                            while they were in flight
 * @param leftOutRequests     measured requests left out of the summaries because their client lag exceeded
 *                            {@code dropLaggedMs}
 * @param dropLaggedMs        the {@code --drop-lagged} threshold; NaN when none was given
 */
public record ClientHealth(String verdict, List<String> reasons, double lagP50Ms, double lagP99Ms, double lagMaxMs,
        double gcPauseTotalMs, double gcPauseMaxMs, long gcPauses, double cpuThrottledMs, double cpuSeconds,
        double coresAvailable, long lateStarts, long lagAffectedRequests, long leftOutRequests,
        double dropLaggedMs) {

    public static final String GOOD = "good";
    public static final String DEGRADED = "degraded";
    public static final String UNTRUSTWORTHY = "untrustworthy";

    /**
     * A request counts as affected when its event loop lagged more than this while it was in flight. A shared,
     * busy 2-core host delays a 10 ms timer by a few ms now and then (the kernel's scheduler slice); 20 ms is
     * beyond that noise and already visible in a TTFT.
     */
    public static final double LAG_AFFECTED_MS = 20;
    /**
     * Lag degrades the run when this share is affected and the lag's p99 is above {@link #LAG_AFFECTED_MS}, or one
     * stall was longer than {@link #LAG_UNTRUSTWORTHY_MS}: a single stall that long, with many requests in flight
     * (1,000 streams started together), moves every figure of those requests while the ticks' p99 stays low.
     */
    public static final double LAG_DEGRADED_SHARE = 0.05;
    /** Lag makes the run untrustworthy when its p99 is above this and {@link #LAG_UNTRUSTWORTHY_SHARE} is affected. */
    public static final double LAG_UNTRUSTWORTHY_MS = 100;
    public static final double LAG_UNTRUSTWORTHY_SHARE = 0.25;
    /** CPU throttling by the cgroup, as a share of the run's wall time: degraded above, untrustworthy above. */
    public static final double THROTTLED_DEGRADED_SHARE = 0.01;
    public static final double THROTTLED_UNTRUSTWORTHY_SHARE = 0.10;
    /** GC pauses: degraded when one pause is longer or all of them take more of the wall time. */
    public static final double GC_PAUSE_DEGRADED_MS = 50;
    public static final double GC_DEGRADED_SHARE = 0.02;
    public static final double GC_UNTRUSTWORTHY_SHARE = 0.10;
    /** CPU used over the cores it may use: above this share the client was its own bottleneck. */
    public static final double CPU_DEGRADED_SHARE = 0.90;

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    public ClientHealth {
        reasons = List.copyOf(reasons);
    }

    public boolean good() {
        return GOOD.equals(verdict);
    }

    /** The one line the terminal summary and the reports print when the verdict is not good. */
    public String oneLine() {
        return "Client health: " + verdict + (reasons.isEmpty() ? "" : " - " + String.join("; ", reasons));
    }

    /** The one line saying how many requests {@code --drop-lagged} left out of the summaries; null when none. */
    public String leftOutLine() {
        if (Double.isNaN(dropLaggedMs)) {
            return null;
        }
        return leftOutRequests + (leftOutRequests == 1 ? " request" : " requests")
                + " measured while the client lagged more than " + number(dropLaggedMs)
                + " ms left out of the summaries (kept in requests.jsonl, marked left_out)";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The figures, named; {@link #judge()} applies the thresholds, {@link #as} keeps a verdict read back. */
    public static final class Builder {
        private double lagP50Ms = Double.NaN;
        private double lagP99Ms = Double.NaN;
        private double lagMaxMs = Double.NaN;
        private Instant lagFrom;
        private Instant lagTo;
        private double gcPauseTotalMs = Double.NaN;
        private double gcPauseMaxMs = Double.NaN;
        private long gcPauses;
        private double cpuThrottledMs = Double.NaN;
        private double cpuSeconds = Double.NaN;
        private double coresAvailable = Double.NaN;
        private double wallSeconds = Double.NaN;
        private long lateStarts;
        private long measuredRequests;
        private long lagAffectedRequests;
        private long leftOutRequests;
        private double dropLaggedMs = Double.NaN;

        public Builder lagMs(double p50, double p99, double max) {
            this.lagP50Ms = p50;
            this.lagP99Ms = p99;
            this.lagMaxMs = max;
            return this;
        }

        /** When the lag was above {@link #LAG_AFFECTED_MS}: first and last such probe tick (null when never). */
        public Builder lagWindow(Instant from, Instant to) {
            this.lagFrom = from;
            this.lagTo = to;
            return this;
        }

        public Builder gcPauseMs(double total, double max, long pauses) {
            this.gcPauseTotalMs = total;
            this.gcPauseMaxMs = max;
            this.gcPauses = pauses;
            return this;
        }

        public Builder cpuThrottledMs(double ms) {
            this.cpuThrottledMs = ms;
            return this;
        }

        public Builder cpuSeconds(double seconds, double cores) {
            this.cpuSeconds = seconds;
            this.coresAvailable = cores;
            return this;
        }

        public Builder wallSeconds(double seconds) {
            this.wallSeconds = seconds;
            return this;
        }

        public Builder lateStarts(long count) {
            this.lateStarts = count;
            return this;
        }

        public Builder requests(long measured, long lagAffected) {
            this.measuredRequests = measured;
            this.lagAffectedRequests = lagAffected;
            return this;
        }

        public Builder leftOut(double dropLaggedMs, long requests) {
            this.dropLaggedMs = dropLaggedMs;
            this.leftOutRequests = requests;
            return this;
        }

        /** A block read back from run.json: its verdict and reasons as written, not judged again. */
        public ClientHealth as(String verdict, List<String> reasons) {
            return new ClientHealth(verdict, reasons, lagP50Ms, lagP99Ms, lagMaxMs, gcPauseTotalMs, gcPauseMaxMs,
                    gcPauses, cpuThrottledMs, cpuSeconds, coresAvailable, lateStarts, lagAffectedRequests, leftOutRequests,
                    dropLaggedMs);
        }

        /** The verdict: the worst any rule gives, with a sentence for each rule that is not good. */
        public ClientHealth judge() {
            List<String> reasons = new ArrayList<>();
            int worst = 0;
            worst = Math.max(worst, lag(reasons));
            worst = Math.max(worst, throttling(reasons));
            worst = Math.max(worst, gc(reasons));
            worst = Math.max(worst, cpu(reasons));
            String verdict = worst == 0 ? GOOD : worst == 1 ? DEGRADED : UNTRUSTWORTHY;
            return as(verdict, reasons);
        }

        private int lag(List<String> reasons) {
            double share = measuredRequests == 0 ? 0 : (double) lagAffectedRequests / measuredRequests;
            int level = 0;
            boolean stalled = lagMaxMs > LAG_UNTRUSTWORTHY_MS && share >= LAG_DEGRADED_SHARE;
            if (lagP99Ms > LAG_UNTRUSTWORTHY_MS && share >= LAG_UNTRUSTWORTHY_SHARE) {
                level = 2;
            } else if ((lagP99Ms > LAG_AFFECTED_MS && share >= LAG_DEGRADED_SHARE) || stalled) {
                level = 1;
            }
            if (level > 0) {
                String window = lagFrom == null || lagTo == null ? ""
                        : " (" + CLOCK.format(lagFrom) + " to " + CLOCK.format(lagTo) + " UTC)";
                String how = lagP99Ms > LAG_AFFECTED_MS ? "lagged " + number(lagP99Ms) + " ms at p99"
                        : "stalled for up to " + number(lagMaxMs) + " ms";
                reasons.add("the client's event loops " + how + window + ", " + lagAffectedRequests + " of "
                        + measuredRequests + " requests affected");
            }
            return level;
        }

        private int throttling(List<String> reasons) {
            if (!(cpuThrottledMs > 0) || !(wallSeconds > 0)) {
                return 0;
            }
            double share = cpuThrottledMs / (wallSeconds * 1000);
            int level = share > THROTTLED_UNTRUSTWORTHY_SHARE ? 2 : share > THROTTLED_DEGRADED_SHARE ? 1 : 0;
            if (level > 0) {
                reasons.add("the client's CPU was throttled by its cgroup's quota for " + number(cpuThrottledMs)
                        + " ms (summed over its cores) in a " + number(wallSeconds) + " s run: raise the CPU limit "
                        + "or lower the load");
            }
            return level;
        }

        private int gc(List<String> reasons) {
            if (!(gcPauseTotalMs > 0) || !(wallSeconds > 0)) {
                return 0;
            }
            double share = gcPauseTotalMs / (wallSeconds * 1000);
            int level = share > GC_UNTRUSTWORTHY_SHARE ? 2
                    : share > GC_DEGRADED_SHARE || gcPauseMaxMs > GC_PAUSE_DEGRADED_MS ? 1 : 0;
            if (level > 0) {
                reasons.add("GC paused the client for " + number(gcPauseTotalMs) + " ms in " + gcPauses
                        + (gcPauses == 1 ? " pause" : " pauses") + " (" + percent(share) + " of the run, longest "
                        + number(gcPauseMaxMs) + " ms)");
            }
            return level;
        }

        private int cpu(List<String> reasons) {
            if (!(cpuSeconds > 0) || !(wallSeconds > 0) || !(coresAvailable > 0)) {
                return 0;
            }
            double share = cpuSeconds / (wallSeconds * coresAvailable);
            if (share <= CPU_DEGRADED_SHARE) {
                return 0;
            }
            reasons.add("the client used " + percent(share) + " of the " + number(coresAvailable)
                    + " cores it may use: it was its own bottleneck");
            return 1;
        }
    }

    /** 7310 ms, 38.3 ms, 0.25 cores: as many digits as the size of the figure deserves. */
    static String number(double value) {
        double magnitude = Math.abs(value);
        String text = magnitude >= 100 ? String.format(Locale.ROOT, "%.0f", value)
                : magnitude >= 10 ? String.format(Locale.ROOT, "%.1f", value)
                : String.format(Locale.ROOT, "%.2f", value);
        if (text.contains(".")) {
            text = text.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return text;
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }
}
