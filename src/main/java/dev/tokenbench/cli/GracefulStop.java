package dev.tokenbench.cli;

import dev.tokenbench.run.RunEngine;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * SIGTERM and SIGINT (Ctrl-C) during a run: no request starts any more, those in flight get a grace period to
 * finish, and what is still running then is recorded as {@code cancelled}; the run then ends as usual, writing
 * run.json (status {@code interrupted}) and the reports, and the command exits 128 + the signal's number (143
 * for SIGTERM, 130 for SIGINT), as a process ended by that signal would. A second signal cancels at once.
 *
 * <p>The signals are handled rather than left to the JVM's shutdown: on SIGTERM the JVM runs every shutdown hook
 * at once, and Quarkus's own hook stops the application, which closes the Vert.x the requests run on: in-flight
 * requests would die mid-stream instead of getting their grace period. A shutdown hook stays as the fallback for
 * a shutdown that starts some other way (System.exit, SIGHUP): it cancels what is in flight and holds the JVM
 * until run.json is written, for a few seconds at most. The JVM's own handlers come back after the run.
 */
final class GracefulStop implements AutoCloseable {
    static final String[] SIGNALS = {"TERM", "INT"};
    private static final long HOOK_WAIT_SECONDS = 5;

    private final RunEngine.Handle handle;
    private final Duration grace;
    /** Prints a notice at once, on its own line(s), above any progress display. */
    private final Consumer<String> notices;
    private final List<Signal> installed = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();
    private final CountDownLatch written = new CountDownLatch(1);
    private final Thread hook;
    private volatile int signalNumber;
    private volatile Thread graceTimer;

    GracefulStop(RunEngine.Handle handle, Duration grace, Consumer<String> notices) {
        this.handle = handle;
        this.grace = grace;
        this.notices = notices;
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                previous.add(Signal.handle(signal, this::onSignal));
                installed.add(signal);
            } catch (IllegalArgumentException | UnsupportedOperationException unavailable) {
                // e.g. a signal the platform does not have, or one the JVM was told not to touch (-Xrs)
            }
        }
        hook = new Thread(this::onJvmShutdown, "tokenbench-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** 128 + the signal's number when a signal stopped the run, else 0. */
    int exitCodeIfInterrupted() {
        return signalNumber == 0 ? 0 : 128 + signalNumber;
    }

    private void onSignal(Signal signal) {
        boolean first = signalNumber == 0;
        if (first) {
            signalNumber = signal.getNumber();
        }
        String name = "SIG" + signal.getName();
        if (!first) {
            handle.cancelInFlight("cancelled: " + name + " received twice");
            notices.accept("tokenbench: stopping now: the requests still in flight are cancelled");
            return;
        }
        handle.stop();
        // At once, before anything else: the user must see that the signal was heard.
        notices.accept(stoppingNotice(signal.getName(), grace, handle.inFlight()));
        Thread timer = new Thread(() -> {
            try {
                Thread.sleep(grace.toMillis());
                handle.cancelInFlight("cancelled: the run was stopped (" + name + ") and the request was still "
                        + "running after the grace period of " + Durations.format(grace));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tokenbench-grace");
        timer.setDaemon(true);
        graceTimer = timer;
        timer.start();
    }

    /**
     * {@code stopping: waiting up to 10s for 3 in flight (Ctrl-C again to stop now)}: what the first signal
     * prints.
     */
    static String stoppingNotice(String signalName, Duration grace, int inFlight) {
        String again = "INT".equals(signalName) ? "Ctrl-C again" : "SIG" + signalName + " again";
        return "tokenbench: stopping: waiting up to " + Durations.format(grace) + " for " + inFlight
                + " in flight (" + again + " to stop now)";
    }

    private void onJvmShutdown() {
        if (written.getCount() == 0) {
            return;
        }
        handle.cancelInFlight("cancelled: the process was shutting down");
        try {
            written.await(HOOK_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The run's files are written: restores the signal handlers and drops the hook. */
    @Override
    public void close() {
        written.countDown();
        Thread timer = graceTimer;
        if (timer != null) {
            timer.interrupt();
        }
        for (int i = 0; i < installed.size(); i++) {
            Signal.handle(installed.get(i), previous.get(i));
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: nothing to remove
        }
    }

    /** Durations as the benchmark file writes them. */
    private static final class Durations {
        static String format(Duration d) {
            long ms = d.toMillis();
            return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
        }
    }
}
