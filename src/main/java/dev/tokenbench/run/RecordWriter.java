package dev.tokenbench.run;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.measure.RequestRecord;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The one thread that turns finished measurements into records: derives the figures (tokenizing the text when
 * the provider sent no usage), appends the requests.jsonl line and flushes it, then feeds the target's
 * aggregate. Event loops only enqueue, so file writes and tokenizing never block them, and a crash loses no
 * request that had finished: each line is flushed to the OS before the next is taken.
 */
final class RecordWriter implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();

    /** A finished measurement, or (runner and measurement null) a barrier to complete once all before it are in. */
    private record Finished(TargetRunner runner, RequestMeasurement measurement, Promise<Void> barrier) {
    }

    private static final Finished END = new Finished(null, null, null);

    private final BlockingQueue<Finished> queue = new LinkedBlockingQueue<>();
    private final OutputStream out;
    private final Consumer<RequestRecord> listener;
    private final Thread thread;
    private volatile Throwable failure;

    RecordWriter(Path requestsJsonl, Consumer<RequestRecord> listener) throws IOException {
        Files.createDirectories(requestsJsonl.toAbsolutePath().getParent());
        this.out = new BufferedOutputStream(Files.newOutputStream(requestsJsonl, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), 64 * 1024);
        this.listener = listener;
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

    private void drain() {
        try {
            while (true) {
                Finished f = queue.take();
                if (f == END) {
                    return;
                }
                if (f.barrier() != null) {
                    f.barrier().complete();
                    continue;
                }
                RequestRecord record = f.runner().toRecord(f.measurement());
                try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
                    g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
                    RequestRecordJson.write(g, record);
                }
                out.write('\n');
                out.flush();
                f.runner().accept(f.measurement(), record);
                if (listener != null) {
                    listener.accept(record);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        queue.add(END);
        try {
            thread.join();
            out.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (failure != null) {
            throw new IllegalStateException("writing requests.jsonl failed: " + failure.getMessage(), failure);
        }
    }
}
