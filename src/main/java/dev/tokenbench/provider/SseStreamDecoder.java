package dev.tokenbench.provider;

import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.wire.JsonScanner;
import dev.tokenbench.wire.SseFramer;

/**
 * What every SSE-based decoder shares: the byte-level framer in front, a JSON scanner for the events, the
 * request's measurement, and the treatment of a body that ends inside an event or an oversized event (both
 * {@code protocol_error}). A subclass only reads its API's events in {@link #onEvent}.
 */
public abstract class SseStreamDecoder implements StreamDecoder, SseFramer.EventHandler {
    protected final RequestMeasurement m;
    protected final JsonScanner json = new JsonScanner();
    private final SseFramer framer;
    private final int maxEventBytes;

    protected SseStreamDecoder(RequestMeasurement measurement, int maxEventBytes) {
        this.m = measurement;
        this.maxEventBytes = maxEventBytes;
        this.framer = new SseFramer(this, maxEventBytes);
    }

    @Override
    public final void onBytes(byte[] buf, int off, int len, long arrivalNanos) {
        framer.feed(buf, off, len, arrivalNanos);
    }

    @Override
    public void onBodyEnd(long arrivalNanos) {
        if (framer.end(arrivalNanos) && !m.streamEndSeen) {
            m.onProtocolError("the body ended inside an event");
        }
    }

    @Override
    public final void onOversize(long arrivalNanos) {
        m.onProtocolError("an event exceeded " + (maxEventBytes >> 20) + " MiB");
    }
}
