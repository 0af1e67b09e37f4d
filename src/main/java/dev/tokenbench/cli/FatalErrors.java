package dev.tokenbench.cli;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Out of memory (or another {@link VirtualMachineError}) anywhere ends the process with exit code 3 and one line on
 * stderr, never exit 1 or a hang: on the main thread (through {@link TokenbenchMain}), on a thread of its own that
 * would otherwise die silently (the default uncaught-exception handler) and on an event loop, where Vert.x would
 * log it and carry on with a request that never ends. The process halts: after an out-of-memory error nothing
 * (a shutdown hook, the application's orderly stop) can be trusted to finish. Records already on disk stay: each
 * line of requests.jsonl reached the OS in one write.
 */
final class FatalErrors {
    private static final AtomicBoolean HALTING = new AtomicBoolean();
    private static final byte[] OUT_OF_MEMORY_LINE = ("tokenbench: out of memory; the run was stopped (exit 3). Give it "
            + "more memory (TOKENBENCH_JAVA_OPTS=-Xmx2g, or the container's limit) or a smaller load"
            + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);

    private FatalErrors() {
    }

    /** For every thread that has no handler of its own; other failures keep the JVM's default handling. */
    static void installDefault() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (e instanceof VirtualMachineError fatal) {
                halt(fatal);
            } else if (previous != null) {
                previous.uncaughtException(thread, e);
            } else {
                thread.getThreadGroup().uncaughtException(thread, e);
            }
        });
    }

    /** For the event loops of {@code vertx}: what Vert.x catches there would otherwise only be logged. */
    static void installOn(Vertx vertx) {
        Handler<Throwable> previous = vertx.exceptionHandler();
        vertx.exceptionHandler(e -> {
            if (e instanceof VirtualMachineError fatal) {
                halt(fatal);
            } else if (previous != null) {
                previous.handle(e);
            }
        });
    }

    /**
     * One line, exit 3; when several threads run out of memory at once, only the first says so. Building the line
     * can itself run out of memory: then a line made in advance is written, as bytes, and the process halts anyway.
     */
    static void halt(VirtualMachineError e) {
        try {
            byte[] bytes;
            try {
                bytes = (line(e) + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
            } catch (Throwable noRoomForIt) {
                bytes = OUT_OF_MEMORY_LINE;
            }
            if (HALTING.compareAndSet(false, true)) {
                PrintStream err = System.err;
                err.write(bytes, 0, bytes.length);
                err.flush();
            }
        } finally {
            Runtime.getRuntime().halt(ExitCodes.RUN_FAILED);
        }
    }

    static String line(VirtualMachineError e) {
        if (e instanceof OutOfMemoryError) {
            return "tokenbench: out of memory (" + e.getMessage() + "); the run was stopped (exit 3). Give it more "
                    + "memory (TOKENBENCH_JAVA_OPTS=-Xmx2g, or the container's limit) or a smaller load";
        }
        return "tokenbench: the JVM failed (" + e + "); the run was stopped (exit 3)";
    }
}
