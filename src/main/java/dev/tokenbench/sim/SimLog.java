package dev.tokenbench.sim;

import dev.tokenbench.core.Json;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Every request the simulator finished (completed or abandoned by the client), newest last. Thread-safe: the
 * simulator's event loop adds, tests and tools read from any thread. Holds at most {@code capacity} entries in
 * memory, dropping the oldest, so a long load run cannot exhaust the heap.
 *
 * <p>A simulator running in another process shares its truth through a JSONL file ({@link #startJsonl(Path)}):
 * one line per finished request, written by a thread of its own so that file I/O never stalls the event loop,
 * and flushed whenever that thread catches up, so a crash loses at most the lines still queued.
 */
public final class SimLog {

    public static final int DEFAULT_CAPACITY = 100_000;

    private final int capacity;
    private final ArrayDeque<SimRequestLog> inArrivalOrder = new ArrayDeque<>(); // guarded by this
    private final Map<String, SimRequestLog> latestByRequestId = new HashMap<>(); // guarded by this
    private volatile JsonlWriter jsonlWriter;

    public SimLog() {
        this(DEFAULT_CAPACITY);
    }

    public SimLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** Called once per finished request, on the event loop: never blocks. */
    void add(SimRequestLog entry) {
        synchronized (this) {
            inArrivalOrder.addLast(entry);
            latestByRequestId.put(entry.requestId(), entry);
            if (inArrivalOrder.size() > capacity) {
                SimRequestLog evicted = inArrivalOrder.removeFirst();
                // A retried request may reuse its id: only forget the id if this entry is still its latest.
                latestByRequestId.remove(evicted.requestId(), evicted);
            }
        }
        JsonlWriter writer = jsonlWriter;
        // After a write failure the writer thread is gone: stop queueing so the queue cannot grow without bound.
        if (writer != null && writer.failure == null) {
            writer.queue.add(entry);
        }
    }

    /** The latest finished request with this {@code x-request-id}, or null. */
    public synchronized SimRequestLog find(String requestId) {
        return latestByRequestId.get(requestId);
    }

    /** A snapshot of the entries held, oldest first. */
    public synchronized List<SimRequestLog> all() {
        return new ArrayList<>(inArrivalOrder);
    }

    public synchronized int size() {
        return inArrivalOrder.size();
    }

    /** Forgets the in-memory entries; lines already queued for the JSONL file are still written. */
    public synchronized void clear() {
        inArrivalOrder.clear();
        latestByRequestId.clear();
    }

    /**
     * Appends one line per request finished from now on to {@code file} (created if missing). Blocks while it
     * opens the file: call it from setup code, not from an event loop.
     */
    public synchronized void startJsonl(Path file) throws IOException {
        if (jsonlWriter != null) {
            throw new IllegalStateException("a JSONL sink is already running: " + jsonlWriter.file);
        }
        BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        JsonlWriter writer = new JsonlWriter(file, out);
        writer.thread.start();
        jsonlWriter = writer;
    }

    /**
     * Writes every queued line, then closes the file; no-op without a sink. Blocks until the file is closed, so
     * never call it on an event loop.
     */
    public void stopJsonl() throws IOException {
        JsonlWriter writer;
        synchronized (this) {
            writer = jsonlWriter;
            jsonlWriter = null;
        }
        if (writer == null) {
            return;
        }
        writer.queue.add(JsonlWriter.STOP);
        try {
            writer.thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while flushing " + writer.file, e);
        }
        if (writer.failure != null) {
            throw writer.failure;
        }
    }

    /** Reads a file written by {@link #startJsonl(Path)}, e.g. by a simulator in another process. */
    public static List<SimRequestLog> readJsonl(Path file) throws IOException {
        ObjectMapper mapper = Json.MAPPER;
        List<SimRequestLog> entries = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                entries.add(fromJson(mapper.readTree(line)));
            }
        }
        return entries;
    }

    static String toJsonLine(SimRequestLog entry) {
        StringBuilder line = new StringBuilder(256 + entry.contentEventWrittenNanos().length * 20);
        line.append("{\"request_id\":\"");
        JsonStringEncoder.getInstance().quoteAsString(entry.requestId(), line);
        line.append("\",\"scenario\":\"");
        JsonStringEncoder.getInstance().quoteAsString(entry.scenario(), line);
        line.append("\",\"slow\":").append(entry.slow());
        line.append(",\"received_ns\":").append(entry.receivedNanos());
        appendStamp(line, "headers_written_ns", entry.headersWrittenNanos());
        appendStamp(line, "first_output_written_ns", entry.firstOutputWrittenNanos());
        appendStamp(line, "first_token_written_ns", entry.firstTokenWrittenNanos());
        appendStamp(line, "end_written_ns", entry.endWrittenNanos());
        line.append(",\"output_tokens\":").append(entry.outputTokens());
        line.append(",\"reasoning_tokens\":").append(entry.reasoningTokens());
        line.append(",\"content_events\":").append(entry.contentEvents());
        line.append(",\"reasoning_events\":").append(entry.reasoningEvents());
        line.append(",\"content_event_written_ns\":[");
        long[] stamps = entry.contentEventWrittenNanos();
        for (int i = 0; i < stamps.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(stamps[i]);
        }
        return line.append("]}").toString();
    }

    private static void appendStamp(StringBuilder line, String field, long nanos) {
        line.append(",\"").append(field).append("\":");
        if (nanos == SimRequestLog.NOT_WRITTEN) {
            line.append("null");
        } else {
            line.append(nanos);
        }
    }

    static SimRequestLog fromJson(JsonNode node) {
        JsonNode stampsNode = node.path("content_event_written_ns");
        long[] stamps = new long[stampsNode.size()];
        for (int i = 0; i < stamps.length; i++) {
            stamps[i] = stampsNode.get(i).asLong();
        }
        long firstTokenWrittenNanos = readStamp(node, "first_token_written_ns");
        // Lines from before reasoning phases have no first output: it was the first token.
        long firstOutputWrittenNanos = node.has("first_output_written_ns")
                ? readStamp(node, "first_output_written_ns") : firstTokenWrittenNanos;
        return SimRequestLog.builder()
                .requestId(node.path("request_id").asText())
                .scenario(node.path("scenario").asText())
                .slow(node.path("slow").asBoolean())
                .receivedNanos(node.path("received_ns").asLong())
                .headersWrittenNanos(readStamp(node, "headers_written_ns"))
                .firstOutputWrittenNanos(firstOutputWrittenNanos)
                .firstTokenWrittenNanos(firstTokenWrittenNanos)
                .endWrittenNanos(readStamp(node, "end_written_ns"))
                .contentEventWrittenNanos(stamps)
                .outputTokens(node.path("output_tokens").asInt())
                .reasoningTokens(node.path("reasoning_tokens").asInt(0))
                .contentEvents(node.path("content_events").asInt())
                .reasoningEvents(node.path("reasoning_events").asInt(0))
                .build();
    }

    private static long readStamp(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? SimRequestLog.NOT_WRITTEN : value.asLong();
    }

    /** One writer thread per sink; the event loop only enqueues. */
    private static final class JsonlWriter implements Runnable {
        static final SimRequestLog STOP = SimRequestLog.builder()
                .requestId("")
                .scenario("")
                .slow(false)
                .receivedNanos(0)
                .headersWrittenNanos(0)
                .firstOutputWrittenNanos(0)
                .firstTokenWrittenNanos(0)
                .endWrittenNanos(0)
                .contentEventWrittenNanos(new long[0])
                .outputTokens(0)
                .reasoningTokens(0)
                .contentEvents(0)
                .reasoningEvents(0)
                .build();

        final Path file;
        final BufferedWriter out;
        final LinkedBlockingQueue<SimRequestLog> queue = new LinkedBlockingQueue<>();
        final Thread thread;
        volatile IOException failure;

        JsonlWriter(Path file, BufferedWriter out) {
            this.file = file;
            this.out = out;
            this.thread = new Thread(this, "tokenbench-sim-jsonl");
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            try (out) {
                while (true) {
                    SimRequestLog entry = queue.take();
                    if (entry == STOP) {
                        out.flush();
                        return;
                    }
                    out.write(toJsonLine(entry));
                    out.write('\n');
                    if (queue.isEmpty()) {
                        out.flush();
                    }
                }
            } catch (IOException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
