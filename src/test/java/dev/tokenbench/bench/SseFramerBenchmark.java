package dev.tokenbench.bench;

import dev.tokenbench.wire.SseFramer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * The SSE framer alone, in steady state: one framer frames stream after stream (as one connection's framer does
 * response after response), an openai-chat stream of {@link #EVENTS} one-token events fed in reads of
 * {@code readBytes}. Scores are per event; {@code -prof gc} shows bytes allocated per event, which must be 0 once
 * the framer's buffers have grown to the largest event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SseFramerBenchmark {
    static final int EVENTS = 4_096;

    /** 1460: one TCP segment per read; 8192: Vert.x's largest HTTP chunk; 65536: one large socket read. */
    @Param({"1460", "8192", "65536"})
    int readBytes;

    private byte[] stream;
    private SseFramer framer;
    private int framedEvents;

    @Setup
    public void setUp() {
        stream = BenchStreams.of("openai-chat", EVENTS);
        framer = new SseFramer(new SseFramer.EventHandler() {
            @Override
            public void onEvent(byte[] event, int eventLength, byte[] data, int dataLength, long arrivalNanos) {
                framedEvents++;
            }

            @Override
            public void onOversize(long arrivalNanos) {
                throw new IllegalStateException("oversize");
            }
        }, 4 << 20);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void frame(Blackhole bh) {
        for (int off = 0; off < stream.length; off += readBytes) {
            framer.feed(stream, off, Math.min(readBytes, stream.length - off), off);
        }
        framer.end(0);
        bh.consume(framedEvents);
    }
}
