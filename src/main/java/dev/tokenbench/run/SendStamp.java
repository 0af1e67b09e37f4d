package dev.tokenbench.run;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An outbound handler of a connection's pipeline, just before Vert.x's own (see {@link ConnectionTracker}): it stamps
 * {@link System#nanoTime()} when a flush carries written bytes on to the socket. The HTTP codec encodes on write, so
 * by the flush the request is encoded and only the socket write follows. A request's {@code t_send} is read from here, so the time Vert.x and Netty spend encoding and queueing the
 * request is not counted as the server's (issue 16: the stamp taken before {@code request.end} ran 0.3 ms ahead of
 * the wire at the median and milliseconds at p99). Touched on the connection's event loop only; per flush, a clock
 * read and two field writes, no allocation.
 */
@RegisterForReflection(methods = true) // Netty reads a handler's methods reflectively (ChannelHandlerMask)
final class SendStamp extends ChannelOutboundHandlerAdapter {
    private boolean written;
    private long flushes;
    private long lastFlushNanos;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        written = true;
        ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (written) {
            written = false;
            lastFlushNanos = System.nanoTime();
            flushes++;
        }
        ctx.flush();
    }

    /** How many flushes have carried written bytes so far: a request compares it before and after its write. */
    long flushes() {
        return flushes;
    }

    /** When the last flush that carried written bytes went to the socket. */
    long lastFlushNanos() {
        return lastFlushNanos;
    }
}
