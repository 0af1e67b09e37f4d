package dev.tokenbench.run;

import dev.tokenbench.measure.ClientHealth;
import dev.tokenbench.measure.RequestMeasurement;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.impl.ContextInternal;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches the client while a run goes on (DESIGN.md §6): a probe on every event loop the run uses (a timer every
 * {@link #PERIOD_NANOS}; how late it fires is the loop's lag), GC pauses, the cgroup's CPU throttling and the
 * process's CPU time. Each request reads the worst lag its own loop saw while it was in flight: a look into the
 * loop's ring of recent ticks once, when it ends; nothing per streamed event.
 */
public final class ClientHealthMonitor {
    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long AFFECTED_MICROS = (long) (ClientHealth.LAG_AFFECTED_MS * 1_000);

    private final LoopLag[] loops;
    private final long startNanos;
    private final Instant startedAt;
    private final double dropLaggedMs;
    private final long dropLaggedMicros;
    private final GcPauses gc;
    private final CgroupCpu cgroup;
    private final CgroupCpu.Throttling throttlingAtStart;
    private final AtomicLong measuredRequests = new AtomicLong();
    private final AtomicLong affectedRequests = new AtomicLong();
    private final AtomicLong leftOutRequests = new AtomicLong();
    private volatile boolean running = true;

    private ClientHealthMonitor(List<Context> contexts, Instant startedAt, long startNanos, double dropLaggedMs) {
        this.startedAt = startedAt;
        this.startNanos = startNanos;
        this.dropLaggedMs = dropLaggedMs;
        this.dropLaggedMicros = dropLaggedMs > 0 ? (long) (dropLaggedMs * 1_000) : 0;
        this.gc = GcPauses.start();
        this.cgroup = CgroupCpu.find();
        this.throttlingAtStart = cgroup == null ? CgroupCpu.Throttling.NONE : cgroup.read();
        this.loops = new LoopLag[contexts.size()];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new LoopLag(((ContextInternal) contexts.get(i)).nettyEventLoop());
        }
    }

    /**
     * Starts the probes on the given event-loop contexts.
     *
     * @param dropLaggedMs requests whose client lag exceeds this are marked left out; 0 or less: none is
     */
    public static ClientHealthMonitor start(List<Context> contexts, Instant startedAt, long startNanos,
            double dropLaggedMs) {
        ClientHealthMonitor monitor = new ClientHealthMonitor(contexts, startedAt, startNanos, dropLaggedMs);
        for (LoopLag loop : monitor.loops) {
            loop.schedule(monitor);
        }
        return monitor;
    }

    /** The probe of the event loop the caller runs on, or null off the run's loops. */
    LoopLag loopOfCurrentThread() {
        for (LoopLag loop : loops) {
            if (loop.eventLoop.inEventLoop()) {
                return loop;
            }
        }
        return null;
    }

    /** A request's attempt has ended on {@code loop}: its client lag is set, and it is counted. */
    void finished(RequestMeasurement m, LoopLag loop, long ticksAtStart) {
        long lagMicros = loop.maxLagMicrosSince(ticksAtStart, System.nanoTime());
        m.clientLagMicros = lagMicros;
        if (m.warmup) {
            return;
        }
        measuredRequests.incrementAndGet();
        if (lagMicros > AFFECTED_MICROS) {
            affectedRequests.incrementAndGet();
        }
        if (dropLaggedMicros > 0 && lagMicros > dropLaggedMicros) {
            m.leftOutForLag = true;
            leftOutRequests.incrementAndGet();
        }
    }

    /** Stops the probes (each loop's pending tick fires once more and is not renewed) and the GC listener. */
    void stop() {
        running = false;
        gc.close();
    }

    /**
     * Stops the probes and judges the run.
     *
     * @param lateStarts open loop's late starts over every target
     */
    ClientHealth finish(double wallSeconds, double cpuSeconds, long lateStarts) {
        stop();
        Histogram lag = new Histogram(3);
        long firstLagged = Long.MAX_VALUE;
        long lastLagged = Long.MIN_VALUE;
        for (LoopLag loop : loops) {
            lag.add(loop.recorder.getIntervalHistogram());
            if (loop.firstLaggedNanos != 0) {
                firstLagged = Math.min(firstLagged, loop.firstLaggedNanos);
                lastLagged = Math.max(lastLagged, loop.lastLaggedNanos);
            }
        }
        double cores = cgroup == null ? Double.NaN : cgroup.quotaCores();
        int processors = Runtime.getRuntime().availableProcessors();
        cores = Double.isNaN(cores) ? processors : Math.min(cores, processors);
        ClientHealth.Builder health = ClientHealth.builder()
                .wallSeconds(wallSeconds)
                .cpuSeconds(cpuSeconds, cores)
                .gcPauseMs(gc.totalMs(), gc.maxMs(), gc.count())
                .cpuThrottledMs(cgroup == null ? Double.NaN
                        : cgroup.read().since(throttlingAtStart).throttledNanos() / 1e6)
                .lateStarts(lateStarts)
                .requests(measuredRequests.get(), affectedRequests.get());
        if (lag.getTotalCount() > 0) {
            health.lagMs(lag.getValueAtPercentile(50) / 1e3, lag.getValueAtPercentile(99) / 1e3,
                    lag.getMaxValue() / 1e3);
        }
        if (firstLagged != Long.MAX_VALUE) {
            health.lagWindow(startedAt.plusNanos(firstLagged - startNanos), startedAt.plusNanos(lastLagged - startNanos));
        }
        if (dropLaggedMs > 0) {
            health.leftOut(dropLaggedMs, leftOutRequests.get());
        }
        return health.judge();
    }

    /**
     * One event loop's probe. Written by its loop only: each tick's lag into a ring (the last
     * {@link #FINE_TICKS} ticks) and into a coarser ring of per-block maxima (the last {@link #COARSE_BLOCKS}
     * blocks of {@link #BLOCK_TICKS} ticks, about 80 minutes), so that a long request still finds its worst lag.
     */
    static final class LoopLag implements Runnable {
        static final int FINE_TICKS = 1 << 14;
        static final int BLOCK_SHIFT = 7;
        static final int BLOCK_TICKS = 1 << BLOCK_SHIFT;
        static final int COARSE_BLOCKS = 1 << 12;

        private final EventLoop eventLoop;
        private final SingleWriterRecorder recorder = new SingleWriterRecorder(3);
        private final int[] fineMicros = new int[FINE_TICKS];
        private final int[] blockMaxMicros = new int[COARSE_BLOCKS];
        /** Ticks recorded so far; written after the rings, so a reader that sees a count sees its ticks. */
        private volatile long ticks;
        private long deadlineNanos;
        private ClientHealthMonitor monitor;
        private volatile long firstLaggedNanos;
        private volatile long lastLaggedNanos;

        LoopLag(EventLoop eventLoop) {
            this.eventLoop = eventLoop;
        }

        private void schedule(ClientHealthMonitor owner) {
            this.monitor = owner;
            deadlineNanos = System.nanoTime() + PERIOD_NANOS;
            eventLoop.schedule(this, PERIOD_NANOS, TimeUnit.NANOSECONDS);
        }

        @Override
        public void run() {
            long now = System.nanoTime();
            tick(now, now - deadlineNanos);
            if (monitor.running) {
                deadlineNanos = now + PERIOD_NANOS;
                eventLoop.schedule(this, PERIOD_NANOS, TimeUnit.NANOSECONDS);
            }
        }

        /** Records one tick that fired {@code lateNanos} after its deadline. */
        void tick(long nowNanos, long lateNanos) {
            long micros = Math.max(0, lateNanos / 1_000);
            int lag = (int) Math.min(Integer.MAX_VALUE, micros);
            recorder.recordValue(lag);
            long t = ticks;
            fineMicros[(int) (t & (FINE_TICKS - 1))] = lag;
            int block = (int) ((t >>> BLOCK_SHIFT) & (COARSE_BLOCKS - 1));
            blockMaxMicros[block] = (t & (BLOCK_TICKS - 1)) == 0 ? lag : Math.max(blockMaxMicros[block], lag);
            if (micros > AFFECTED_MICROS) {
                if (firstLaggedNanos == 0) {
                    firstLaggedNanos = nowNanos - lateNanos;
                }
                lastLaggedNanos = nowNanos;
            }
            ticks = t + 1;
        }

        long ticks() {
            return ticks;
        }

        /**
         * The worst lag of the ticks since {@code ticksAtStart}, and of the tick due now if it is overdue (the loop
         * is late at this very moment). Ticks older than the fine ring are read from the block maxima.
         */
        long maxLagMicrosSince(long ticksAtStart, long nowNanos) {
            long end = ticks;
            boolean probing = monitor != null && monitor.running && deadlineNanos != 0;
            long worst = probing ? Math.max(0, (nowNanos - deadlineNanos) / 1_000) : 0;
            if (end - ticksAtStart <= FINE_TICKS) {
                for (long t = ticksAtStart; t < end; t++) {
                    worst = Math.max(worst, fineMicros[(int) (t & (FINE_TICKS - 1))]);
                }
                return worst;
            }
            long firstBlock = Math.max(ticksAtStart >>> BLOCK_SHIFT, ((end - 1) >>> BLOCK_SHIFT) - COARSE_BLOCKS + 1);
            for (long b = firstBlock; b <= (end - 1) >>> BLOCK_SHIFT; b++) {
                worst = Math.max(worst, blockMaxMicros[(int) (b & (COARSE_BLOCKS - 1))]);
            }
            return worst;
        }
    }
}
