package dev.tokenbench.sim;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * A whole streamed response encoded once, for an all-out scenario ({@link SimScenario#allOut()}): head, every event
 * and tail, in one off-heap buffer cut into {@link #SLICE_BYTES} slices that are written again for every request
 * with the same shape. Immutable after construction and shared by every response that uses it.
 *
 * <p>The body is what the {@link SimEncoder} writes, byte for byte, with words drawn from a generator seeded by the
 * scenario's seed; every response of one shape therefore carries the same words and the same response id.
 */
final class AllOutBody {

    /**
     * Bytes per write: large enough that a write's fixed cost (a chunk header, a syscall) is spread over a few
     * hundred events, small enough that the write queue's high-water mark is a real bound.
     */
    static final int SLICE_BYTES = 64 * 1024;

    final String contentType;
    final Map<String, String> headers;
    final String processingTimeHeader;
    /** The body's slices, in order; the last one holds the tail. */
    final Buffer[] slices;
    /** The slice holding the first visible event's first byte (or the tail when there is none). */
    final int firstVisibleSlice;
    final int contentEvents;
    final int reasoningEvents;
    final int visibleTokens;
    final int reasoningTokens;
    final long bodyBytes;

    /**
     * Encodes head, events and tail with {@code encoder}; tokens per event and the reasoning phase follow the
     * schedule, whose times are ignored.
     */
    AllOutBody(SimEncoder encoder, SimSchedule schedule, String finishReason, int promptTokens, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int reasoningEventCount = schedule.reasoningEvents();
        int events = schedule.events();
        int[] tokens = new int[schedule.tokensPerChunk()];
        Buffer body = Buffer.buffer(256 + events * 160);
        body.appendBuffer(encoder.head());
        int firstVisibleByte = -1;
        int reasoningWritten = 0;
        int visibleWritten = 0;
        for (int index = 0; index < events; index++) {
            boolean reasoning = index < reasoningEventCount;
            int left = reasoning ? schedule.reasoningTokens() - reasoningWritten : schedule.outputTokens() - visibleWritten;
            int count = Math.min(schedule.tokensPerChunk(), left);
            for (int i = 0; i < count; i++) {
                tokens[i] = random.nextInt(SimVocabulary.SIZE);
            }
            if (!reasoning && firstVisibleByte < 0) {
                firstVisibleByte = body.length();
            }
            encoder.appendEvent(body, tokens, count, reasoning);
            if (reasoning) {
                reasoningWritten += count;
            } else {
                visibleWritten += count;
            }
        }
        if (firstVisibleByte < 0) {
            firstVisibleByte = body.length();
        }
        body.appendBuffer(encoder.tail(finishReason, promptTokens, visibleWritten, schedule.reasoningTokens()));

        this.contentType = encoder.contentType();
        Map<String, String> encoderHeaders = encoder.headers();
        this.headers = encoderHeaders == null ? Map.of() : Map.copyOf(encoderHeaders);
        this.processingTimeHeader = encoder.processingTimeHeader();
        this.contentEvents = events;
        this.reasoningEvents = reasoningEventCount;
        this.visibleTokens = visibleWritten;
        this.reasoningTokens = schedule.reasoningTokens();
        this.bodyBytes = body.length();

        // Off the heap, so that no write has to copy it into a direct buffer first; never released (cached).
        byte[] bytes = body.getBytes();
        ByteBuf direct = Unpooled.directBuffer(bytes.length, bytes.length).writeBytes(bytes);
        int sliceCount = Math.max(1, (bytes.length + SLICE_BYTES - 1) / SLICE_BYTES);
        this.slices = new Buffer[sliceCount];
        for (int s = 0; s < sliceCount; s++) {
            int from = s * SLICE_BYTES;
            int to = Math.min(bytes.length, from + SLICE_BYTES);
            // Buffer hands Netty an unreleasable view of a non-Vert.x ByteBuf, so a slice can be written again
            // and again without its reference count ever reaching zero.
            slices[s] = Buffer.buffer(direct.slice(from, to - from));
        }
        this.firstVisibleSlice = Math.min(sliceCount - 1, firstVisibleByte / SLICE_BYTES);
    }
}
