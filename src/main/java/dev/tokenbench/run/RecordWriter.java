package dev.tokenbench.run;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.measure.RequestRecord;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The one thread that turns finished measurements into records: derives the figures (tokenizing the text when
 * the provider sent no usage), appends the requests.jsonl line, then feeds the target's aggregate. Event loops
 * only enqueue, so file writes and tokenizing never block them.
 *
 * <p>What survives what: each line goes to the OS in one write as soon as its request has finished, so a crash
 * of the process (or {@code kill -9}) loses no finished request. The lines are forced to the disk
 * ({@link FileChannel#force}) when the writer closes (the run's end, also after SIGTERM) and, with
 * {@code fsyncEvery} N > 0, after every N records: a power loss then loses at most the last N - 1 records.
 *
 * <p>When a write or a force fails (disk full, I/O error), or deriving a record fails (out of memory included),
 * the file is cut back to the end of its last whole line, so every line in it stays whole JSON; the writer writes
 * nothing more, tells {@code onFailure} once (the engine then stops the run), and keeps draining its queue so
 * that nothing waiting on it (a step's barrier, the run's end) waits forever. {@link #close()} then throws the
 * {@link WriteFailure}.
 */
final class RecordWriter implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();

    /** Forces a channel's content to the disk: {@code channel.force(false)}, or a test's counting stand-in. */
    @FunctionalInterface
    interface Sync {
        Sync FORCE = channel -> channel.force(false);

        void force(FileChannel channel) throws IOException;
    }

    /** A finished measurement, or (runner and measurement null) a barrier to complete once all before it are in. */
    private record Finished(TargetRunner runner, RequestMeasurement measurement, Promise<Void> barrier) {
    }

    private static final Finished END = new Finished(null, null, null);

    /** The line being written; its array is reused from record to record. */
    private static final class LineBuffer extends ByteArrayOutputStream {
        LineBuffer() {
            super(4096);
        }

        ByteBuffer asByteBuffer() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }

    private final BlockingQueue<Finished> queue = new LinkedBlockingQueue<>();
    private final Path file;
    private final FileChannel channel;
    private final Consumer<RequestRecord> listener;
    private final Consumer<WriteFailure> onFailure;
    private final int fsyncEvery;
    private final Sync sync;
    private final Thread thread;
    private final LineBuffer line = new LineBuffer();
    /** The end of the last whole line: where the file is cut back to after a failed write. Writer thread only. */
    private long wholeLinesBytes;
    private int unsyncedRecords;
    private volatile WriteFailure failure;
    /** Made up front: when the heap is exhausted there may be no room to build the message then. */
    private final WriteFailure outOfMemory;

    /**
     * @param listener   sees every record after it is written (may be null)
     * @param onFailure  told once, on the writer's thread, when the file cannot be written any more
     * @param fsyncEvery force the file to the disk after every this many records; 0: only when closing
     */
    RecordWriter(Path requestsJsonl, Consumer<RequestRecord> listener, Consumer<WriteFailure> onFailure,
            int fsyncEvery, Sync sync) {
        if (fsyncEvery < 0) {
            throw new IllegalArgumentException("fsyncEvery must be 0 (at the end only) or more, found " + fsyncEvery);
        }
        this.file = requestsJsonl;
        try {
            Files.createDirectories(requestsJsonl.toAbsolutePath().getParent());
            this.channel = FileChannel.open(requestsJsonl, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            this.wholeLinesBytes = channel.size();
        } catch (IOException e) {
            throw new WriteFailure(requestsJsonl, e);
        }
        this.outOfMemory = new WriteFailure(requestsJsonl, new IOException("out of memory (OutOfMemoryError)"));
        this.listener = listener;
        this.onFailure = onFailure;
        this.fsyncEvery = fsyncEvery;
        this.sync = sync;
        this.thread = new Thread(this::drain, "tokenbench-record-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    void submit(TargetRunner runner, RequestMeasurement measurement) {
        queue.add(new Finished(runner, measurement, null));
    }

    /**
     * Completes, on the writer's thread, once every measurement submitted before it has been recorded and added
     * to its aggregate: a step's summary is taken then.
     */
    Future<Void> barrier() {
        Promise<Void> promise = Promise.promise();
        queue.add(new Finished(null, null, promise));
        return promise.future();
    }

    /** The failure that stopped the writer, or null while it writes. */
    WriteFailure failure() {
        return failure;
    }

    private void drain() {
        while (true) {
            Finished f;
            try {
                f = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (f == END) {
                return;
            }
            if (f.barrier() != null) {
                f.barrier().tryComplete();
                continue;
            }
            if (failure != null) {
                continue; // the run is stopping: what is still queued cannot be written
            }
            try {
                record(f);
            } catch (IOException e) {
                fail(new WriteFailure(file, e));
            } catch (OutOfMemoryError e) {
                fail(outOfMemory);
            } catch (RuntimeException | Error e) {
                // Out of memory, or a bug in deriving a record: the run cannot go on recording either way.
                fail(new WriteFailure(file, new IOException(e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()), e)));
            }
        }
    }

    private void record(Finished f) throws IOException {
        RequestRecord record = f.runner().toRecord(f.measurement());
        line.reset();
        try (JsonGenerator g = JSON.createGenerator(line, JsonEncoding.UTF8)) {
            RequestRecordJson.write(g, record);
        }
        line.write('\n');
        ByteBuffer bytes = line.asByteBuffer();
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        wholeLinesBytes += line.size();
        if (fsyncEvery > 0 && ++unsyncedRecords >= fsyncEvery) {
            sync.force(channel);
            unsyncedRecords = 0;
        }
        f.runner().accept(f.measurement(), record);
        if (listener != null) {
            listener.accept(record);
        }
    }

    /** Cuts a partly written line off, so that every line in the file is whole JSON, and stops the run. */
    private void fail(WriteFailure writeFailure) {
        try {
            if (channel.size() > wholeLinesBytes) {
                channel.truncate(wholeLinesBytes);
            }
        } catch (IOException | RuntimeException e) {
            writeFailure.addSuppressed(e);
        }
        failure = writeFailure;
        if (onFailure != null) {
            try {
                onFailure.accept(writeFailure);
            } catch (RuntimeException | Error e) {
                writeFailure.addSuppressed(e);
            }
        }
    }

    /**
     * Writes what is queued, forces the file to the disk and stops.
     *
     * @throws WriteFailure when a record could not be written (the run was stopped then), or forcing failed
     */
    @Override
    public void close() {
        queue.add(END);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (channel) {
            if (failure == null && channel.size() > 0) {
                sync.force(channel);
            }
        } catch (IOException e) {
            if (failure == null) {
                failure = new WriteFailure(file, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
