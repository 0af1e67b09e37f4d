package dev.tokenbench.wire;

import java.util.Objects;

// Hand-written rather than taken from an SSE client library because this runs once per streamed event on
// the hot path: it frames by index over the raw bytes, allocates nothing per event, and never decodes text,
// so a UTF-8 character split across two reads reaches the handler intact.

/**
 * Server-Sent Events framer per the WHATWG spec, over raw bytes, carrying partial lines across reads.
 *
 * <p>Lines end with CRLF, LF or CR; a CR that ends one read and an LF that starts the next are one line end.
 * A UTF-8 byte order mark at stream start is skipped. Only the {@code event} and {@code data} fields are
 * kept; {@code id}, {@code retry}, unknown fields and {@code :} comments are ignored. A complete line is
 * handed on from the caller's buffer without a copy; only a line still open at the end of a read is copied,
 * into a buffer that is reused.
 *
 * <p>Memory is bounded by {@code maxEventBytes}: the bytes held for the current event (its event type and
 * data) plus its line in progress never exceed it. A line that would, or an event that grows past it, is
 * reported once through {@link EventHandler#onOversize} and the whole event is dropped up to its blank line,
 * because delivering the event with a line missing would hand the decoder corrupt data. Framing
 * resynchronises at the next line end and the events after it are delivered as usual.
 *
 * <p>Single-threaded; one instance per connection, reusable with {@link #reset()}. An exception thrown by
 * the handler propagates out of {@link #feed}, leaving the rest of that read unframed: reset before reuse.
 */
public final class SseFramer {

    public interface EventHandler {
        /**
         * One dispatched event. event: the `event:` field bytes (eventLength 0 when absent); data: the joined
         * `data:` lines (joined with \n, no trailing \n). Arrays are only valid during the call. arrivalNanos:
         * the stamp of the read that completed the event.
         */
        void onEvent(byte[] event, int eventLength, byte[] data, int dataLength, long arrivalNanos);

        /**
         * A line longer than maxLineBytes (or an event larger than maxEventBytes): the framer drops it,
         * resynchronises at the next line end, and carries on.
         */
        void onOversize(long arrivalNanos);
    }

    private static final byte LF = '\n';
    private static final byte CR = '\r';
    private static final byte COLON = ':';
    private static final byte SPACE = ' ';
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    /** Most events of LLM streams are a few hundred bytes; buffers start small and grow to what is seen. */
    private static final int INITIAL_LINE_BYTES = 1024;
    private static final int INITIAL_EVENT_TYPE_BYTES = 64;

    private final EventHandler handler;
    private final int maxEventBytes;
    /** The line still open at the end of the last read, to be completed by the next one. */
    private final ByteSink partialLine;
    private final ByteSink eventType;
    private final ByteSink data;
    /** Tells "data:" with an empty value (an event with empty data) from no data line at all (no event). */
    private boolean hasData;
    private boolean lastReadEndedWithCr;
    private boolean bomCheckDone;
    private int bomBytesMatched;
    /** The rest of an oversize line is skipped up to its line end. */
    private boolean discardingLine;
    /** The event that met an oversize line or grew too large is dropped when its blank line arrives. */
    private boolean discardingEvent;

    /**
     * @param maxEventBytes the most bytes held for one event: its event type, its data and its line in
     *     progress together; also the longest line accepted (e.g. 4 MiB)
     */
    public SseFramer(EventHandler handler, int maxEventBytes) {
        this.handler = Objects.requireNonNull(handler, "handler");
        if (maxEventBytes < 1) {
            throw new IllegalArgumentException("maxEventBytes must be positive: " + maxEventBytes);
        }
        this.maxEventBytes = maxEventBytes;
        this.partialLine = new ByteSink(Math.min(INITIAL_LINE_BYTES, maxEventBytes), maxEventBytes);
        this.eventType = new ByteSink(Math.min(INITIAL_EVENT_TYPE_BYTES, maxEventBytes), maxEventBytes);
        this.data = new ByteSink(Math.min(INITIAL_LINE_BYTES, maxEventBytes), maxEventBytes);
    }

    /**
     * Frames one read. Events completed by it are delivered to the handler, stamped with
     * {@code arrivalNanos}, before this returns.
     */
    public void feed(byte[] buf, int off, int len, long arrivalNanos) {
        Objects.checkFromIndexSize(off, len, buf.length);
        final int end = off + len;
        int pos = off;
        if (lastReadEndedWithCr && pos < end) {
            lastReadEndedWithCr = false;
            if (buf[pos] == LF) {
                pos++;
            }
        }
        if (!bomCheckDone) {
            pos = skipBom(buf, pos, end, arrivalNanos);
        }
        while (pos < end) {
            int lineEnd = indexOfLineEnd(buf, pos, end);
            if (lineEnd == end) {
                holdPartialLine(buf, pos, end - pos, arrivalNanos);
                return;
            }
            int lineBytes = lineEnd - pos;
            if (discardingLine) {
                discardingLine = false;
            } else if (partialLine.length() > 0) {
                if (fitsInEvent((long) partialLine.length() + lineBytes)) {
                    partialLine.append(buf, pos, lineBytes);
                    processLine(partialLine.array(), 0, partialLine.length(), arrivalNanos);
                } else {
                    oversize(arrivalNanos);
                }
                partialLine.reset();
            } else if (fitsInEvent(lineBytes)) {
                processLine(buf, pos, lineBytes, arrivalNanos);
            } else {
                oversize(arrivalNanos);
            }
            pos = lineEnd + 1;
            if (buf[lineEnd] == CR) {
                if (pos == end) {
                    lastReadEndedWithCr = true;
                } else if (buf[pos] == LF) {
                    pos++;
                }
            }
        }
    }

    /**
     * End of body. Returns true when an incomplete event (data without its blank line) was pending; per spec
     * it is discarded. An event already reported through onOversize does not count again. The framer is
     * then ready for another stream.
     *
     * @param arrivalNanos when the end of body was seen; nothing is dispatched at the end, per spec
     */
    public boolean end(long arrivalNanos) {
        boolean incompleteEventPending = !discardingEvent && !discardingLine
                && (hasData || isDataLine(partialLine.array(), partialLine.length()));
        reset();
        return incompleteEventPending;
    }

    /** Reuse for another stream; keeps the buffers' capacity. */
    public void reset() {
        partialLine.reset();
        eventType.reset();
        data.reset();
        hasData = false;
        lastReadEndedWithCr = false;
        bomCheckDone = false;
        bomBytesMatched = 0;
        discardingLine = false;
        discardingEvent = false;
    }

    /** Consumes the stream's leading byte order mark, which may itself arrive split across reads. */
    private int skipBom(byte[] buf, int pos, int end, long arrivalNanos) {
        int p = pos;
        while (p < end) {
            if (buf[p] != UTF8_BOM[bomBytesMatched]) {
                bomCheckDone = true;
                // Bytes that looked like the start of a mark belong to the first line after all.
                if (bomBytesMatched > 0) {
                    holdPartialLine(UTF8_BOM, 0, bomBytesMatched, arrivalNanos);
                }
                return p;
            }
            p++;
            if (++bomBytesMatched == UTF8_BOM.length) {
                bomCheckDone = true;
                return p;
            }
        }
        return p;
    }

    private static int indexOfLineEnd(byte[] buf, int from, int to) {
        int i = from;
        while (i <= to - Long.BYTES) {
            long lineEnds = Swar.lineEndBytes(Swar.longAt(buf, i));
            if (lineEnds != 0) {
                return i + Swar.firstFlaggedByte(lineEnds);
            }
            i += Long.BYTES;
        }
        for (; i < to; i++) {
            byte b = buf[i];
            if (b == LF || b == CR) {
                return i;
            }
        }
        return to;
    }

    private void holdPartialLine(byte[] buf, int off, int len, long arrivalNanos) {
        if (discardingLine) {
            return;
        }
        if (fitsInEvent((long) partialLine.length() + len)) {
            partialLine.append(buf, off, len);
        } else {
            partialLine.reset();
            discardingLine = true;
            oversize(arrivalNanos);
        }
    }

    /**
     * The one size rule, applied alike to a line held across reads and to one seen whole, so that where the
     * reads split a stream never changes which events are delivered.
     */
    private boolean fitsInEvent(long lineBytes) {
        return (long) eventType.length() + data.length() + lineBytes <= maxEventBytes;
    }

    private void oversize(long arrivalNanos) {
        if (discardingEvent) {
            return;
        }
        discardingEvent = true;
        clearEvent();
        handler.onOversize(arrivalNanos);
    }

    private void processLine(byte[] line, int off, int len, long arrivalNanos) {
        if (len == 0) {
            dispatch(arrivalNanos);
            return;
        }
        if (discardingEvent || line[off] == COLON) {
            return;
        }
        final int lineEnd = off + len;
        int nameEnd = lineEnd;
        for (int i = off; i < lineEnd; i++) {
            if (line[i] == COLON) {
                nameEnd = i;
                break;
            }
        }
        int valueStart = nameEnd == lineEnd ? lineEnd : nameEnd + 1;
        if (valueStart < lineEnd && line[valueStart] == SPACE) {
            valueStart++;
        }
        int nameBytes = nameEnd - off;
        // fitsInEvent already counted the whole line, so neither append can pass maxEventBytes.
        if (isData(line, off, nameBytes)) {
            if (hasData) {
                data.append(LF);
            }
            data.append(line, valueStart, lineEnd - valueStart);
            hasData = true;
        } else if (isEvent(line, off, nameBytes)) {
            eventType.reset();
            eventType.append(line, valueStart, lineEnd - valueStart);
        }
        // id, retry and unknown fields carry nothing a benchmark measures.
    }

    private void dispatch(long arrivalNanos) {
        if (discardingEvent) {
            discardingEvent = false;
            clearEvent();
            return;
        }
        if (!hasData) {
            eventType.reset();
            return;
        }
        try {
            handler.onEvent(eventType.array(), eventType.length(), data.array(), data.length(), arrivalNanos);
        } finally {
            clearEvent();
        }
    }

    private void clearEvent() {
        eventType.reset();
        data.reset();
        hasData = false;
    }

    private static boolean isData(byte[] b, int off, int nameBytes) {
        return nameBytes == 4 && b[off] == 'd' && b[off + 1] == 'a' && b[off + 2] == 't' && b[off + 3] == 'a';
    }

    private static boolean isEvent(byte[] b, int off, int nameBytes) {
        return nameBytes == 5 && b[off] == 'e' && b[off + 1] == 'v' && b[off + 2] == 'e' && b[off + 3] == 'n'
                && b[off + 4] == 't';
    }

    /** Whether an unterminated line is a data field, i.e. "data" followed by a colon or by nothing. */
    private static boolean isDataLine(byte[] line, int len) {
        return len >= 4 && isData(line, 0, 4) && (len == 4 || line[4] == COLON);
    }

    // Package-private accessors for the memory-bound tests.

    int partialLineCapacityBytes() {
        return partialLine.capacity();
    }

    int dataCapacityBytes() {
        return data.capacity();
    }

    int eventTypeCapacityBytes() {
        return eventType.capacity();
    }

    /** Bytes held right now for the current event and its line in progress. */
    int heldBytes() {
        return partialLine.length() + eventType.length() + data.length();
    }
}
