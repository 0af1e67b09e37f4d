package dev.tokenbench.bench;

import dev.tokenbench.measure.InterTokenLatencyLane;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.ProviderApi;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.provider.StreamDecoder;
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
 * What tokenbench does per streamed token, without the network: framing, JSON scanning, text accumulation,
 * timing and the inter-token-latency record, for one response of {@link #EVENTS} one-token events in each
 * API's wire format (as the simulator writes it), fed in reads of {@code readBytes}. Each invocation is one
 * response with a fresh decoder and measurement, as each request gets, so the per-response allocations are in the
 * bytes per event that {@code -prof gc} reports (divided over the events).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StreamDecodeBenchmark {
    static final int EVENTS = 4_096;

    @Param({"openai-chat", "anthropic", "bedrock-converse"})
    String api;

    @Param({"8192"})
    int readBytes;

    private byte[] stream;
    private ProviderApi provider;
    private InterTokenLatencyLane interTokenLatency;

    @Setup
    public void setUp() {
        stream = BenchStreams.of(api, EVENTS);
        provider = ProviderRegistry.defaults().get(api);
        interTokenLatency = new InterTokenLatencyLane();
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void decode(Blackhole bh) {
        RequestMeasurement m = new RequestMeasurement("bench", 0, 0, false, "p", interTokenLatency);
        StreamDecoder decoder = provider.newDecoder(m);
        long nanos = 0;
        for (int off = 0; off < stream.length; off += readBytes) {
            nanos += 1_000; // a plausible gap per read, so the latency record sees real values
            decoder.onBytes(stream, off, Math.min(readBytes, stream.length - off), nanos);
        }
        decoder.onBodyEnd(nanos);
        if (m.contentEvents != EVENTS || !m.streamEndSeen) {
            throw new IllegalStateException(api + ": decoded " + m.contentEvents + " events");
        }
        if (m.outcome == null) {
            m.finish(null, null, nanos);
        }
        m.recordInterTokenLatency(); // the loop's share of the per-event work: the gaps into its recorder
        bh.consume(m.contentEvents);
    }
}
