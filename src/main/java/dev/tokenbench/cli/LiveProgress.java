package dev.tokenbench.cli;

import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.measure.TargetAggregate;
import dev.tokenbench.report.TerminalReport;
import dev.tokenbench.run.RunEngine;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The live progress of a run, drawn from its own thread by sampling the targets' counters and live medians
 * ({@link RunEngine.Handle#sampleLive()}): nothing is added to the requests' own path. On a terminal, one line per
 * target redrawn in place twice a second: a bar, done/total, errors, the median TTFT and stream TPS so far, the step
 * of a sweep or search and an ETA. Elsewhere (a pipe, a CI log) the plain lines of {@link TerminalReport} every five
 * seconds. Notices (Ctrl-C's) go through {@link #notice} so that the redraw never writes over them.
 */
final class LiveProgress {
    private static final int BAR_WIDTH = 20;
    private static final String GAP = "  ";

    private final RunPlan plan;
    private final RunEngine.Handle handle;
    private final PrintWriter out;
    private final PrintWriter notices;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private Thread thread;
    private int linesDrawn;

    /**
     * @param out      where the progress goes (stdout, or stderr under --json)
     * @param notices  where notices go (stderr)
     * @param terminal whether {@code out} is a terminal: redraw in place
     */
    LiveProgress(RunPlan plan, RunEngine.Handle handle, PrintWriter out, PrintWriter notices, boolean terminal) {
        this.plan = plan;
        this.handle = handle;
        this.out = out;
        this.notices = notices;
        this.terminal = terminal;
    }

    /** What the run will send per target, as the progress counts it (a sweep's steps included). */
    static String header(RunPlan plan) {
        LoadSpec load = plan.load();
        int targets = plan.targets().size();
        StringBuilder line = new StringBuilder().append(targets).append(targets == 1 ? " target x " : " targets x ");
        int perStep = load.requests();
        boolean bounded = perStep != LoadSpec.UNBOUNDED;
        if (load.steps() != null && load.steps().isSearch()) {
            line.append("up to ").append(load.steps().maxSteps()).append(" steps of ")
                    .append(bounded ? perStep + " requests" : "requests");
        } else if (load.steps() != null) {
            int steps = load.steps().levels().size();
            line.append(bounded ? load.plannedRequests() + " requests (" + steps + " steps of " + perStep + ")"
                    : steps + " steps");
        } else {
            line.append(bounded ? perStep + (perStep == 1 ? " request" : " requests") : "requests");
        }
        if (load.duration() != null) {
            long ms = load.duration().toMillis();
            String duration = ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
            line.append(bounded ? " or " + duration + ", whichever ends first" : " for " + duration)
                    .append(load.steps() != null ? " per step" : "");
        }
        return line.toString();
    }

    void start() {
        thread = new Thread(this::loop, "tokenbench-progress");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        if (thread != null) {
            thread.interrupt();
            thread.join();
            draw();
        }
    }

    /** Prints a notice at once, above the progress lines, which are redrawn below it. */
    synchronized void notice(String text) {
        notices.println();
        notices.println(text);
        notices.flush();
        linesDrawn = 0;
    }

    private void loop() {
        long periodMs = terminal ? 500 : 5_000;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(periodMs);
                draw();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void draw() {
        List<RunEngine.LiveTarget> all = handle.sampleLive();
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        int nameWidth = 0;
        for (int i = 0; i < all.size(); i++) {
            nameWidth = Math.max(nameWidth, printable(plan.targets().get(i).name()).length());
        }
        LoadSpec load = plan.load();
        int stepsTotal = load.steps() == null ? 1 : load.steps().isSearch() ? 0 : load.steps().levels().size();
        StringBuilder sb = new StringBuilder();
        if (terminal && linesDrawn > 0) {
            sb.append("\033[").append(linesDrawn).append('A');
        }
        for (int i = 0; i < all.size(); i++) {
            String name = plan.targets().get(i).name();
            if (terminal) {
                sb.append(terminalLine(name, nameWidth, all.get(i), load.plannedRequests(), load.warmup(),
                        stepsTotal, elapsed)).append("\033[K");
            } else {
                sb.append(TerminalReport.progressLine(name, all.get(i).counters(), load.plannedRequests(),
                        load.warmup(), elapsed, nameWidth));
            }
            sb.append('\n');
        }
        linesDrawn = all.size();
        out.print(sb);
        out.flush();
    }

    /**
     * One target's line on a terminal.
     *
     * @param measuredTotal the requests the target will measure, 0 when unknown (a duration or a search)
     * @param stepsTotal    the steps of a sweep (1: a single phase), 0 when unknown (a search)
     */
    static String terminalLine(String target, int nameWidth, RunEngine.LiveTarget live, int measuredTotal,
            int warmupTotal, int stepsTotal, double elapsedSeconds) {
        TargetAggregate.Progress p = live.counters();
        StringBuilder line = new StringBuilder(pad(printable(target), nameWidth)).append(GAP);
        boolean warmingUp = live.step() == 0 && warmupTotal > 0;
        if (measuredTotal > 0) {
            int filled = (int) Math.min(BAR_WIDTH, (long) p.done() * BAR_WIDTH / measuredTotal);
            line.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append(']').append(GAP);
            String total = String.valueOf(measuredTotal);
            line.append(" ".repeat(Math.max(0, total.length() - String.valueOf(p.done()).length())))
                    .append(p.done()).append('/').append(total);
        } else {
            line.append(p.done()).append(" done");
        }
        line.append(GAP).append("errors ").append(p.failed());
        if (warmingUp) {
            line.append(GAP).append("warm-up ").append(p.warmupsDone()).append('/').append(warmupTotal);
        }
        double ttft = live.medians().p50TtftMs();
        double tps = live.medians().p50StreamTps();
        line.append(GAP).append("p50 TTFT ").append(Double.isNaN(ttft) ? "-" : String.format(Locale.ROOT,
                ttft < 10 ? "%.1f ms" : "%.0f ms", ttft));
        line.append(GAP).append("p50 stream ").append(Double.isNaN(tps) ? "-" : String.format(Locale.ROOT,
                "%.1f tok/s", tps));
        if (stepsTotal != 1 && live.step() > 0) {
            line.append(GAP).append("step ").append(live.step());
            if (stepsTotal > 1) {
                line.append('/').append(stepsTotal);
            }
        }
        line.append(GAP).append(clock(elapsedSeconds));
        if (measuredTotal > 0 && p.done() > 0 && p.done() < measuredTotal && !warmingUp) {
            double remaining = elapsedSeconds * (measuredTotal - p.done()) / p.done();
            line.append(GAP).append("ETA ").append(clock(remaining));
        }
        return line.toString();
    }

    /** {@code 0:07}, {@code 12:30}, {@code 1:02:03}. */
    static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String printable(String s) {
        return s.replaceAll("\\p{Cntrl}", "?");
    }
}
