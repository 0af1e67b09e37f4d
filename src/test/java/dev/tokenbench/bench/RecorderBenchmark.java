package dev.tokenbench.bench;

import dev.tokenbench.config.SloSpec;
import dev.tokenbench.measure.InterTokenLatencyLane;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.TargetAggregate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * The recorders: per event, the measurement's content-event bookkeeping with its HdrHistogram inter-token-latency
 * record (the event loop's share); per request, a finished record into the target's aggregate (every metric's
 * histogram; the record writer's share). {@code -prof gc} shows bytes allocated per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecorderBenchmark {
    static final int EVENTS = 1_024;

    private InterTokenLatencyLane interTokenLatency;
    private TargetAggregate aggregate;
    private RequestRecord[] records;
    private int nextRecord;

    @Setup
    public void setUp() {
        interTokenLatency = new InterTokenLatencyLane();
        aggregate = new TargetAggregate("bench", SloSpec.DEFAULT);
        records = new RequestRecord[256];
        for (int i = 0; i < records.length; i++) {
            RequestMeasurement m = new RequestMeasurement("r" + i, 0, i, false, "p", null);
            m.sentNanos = 1_000_000;
            m.headersNanos = m.sentNanos + 40_000_000L + i * 100_000L;
            for (int e = 0; e < 100; e++) {
                m.onContentEvent(m.headersNanos + 10_000_000L + e * (12_000_000L + i * 10_000L), true);
            }
            m.onUsage(20, 100, 0, 0);
            m.onStreamEnd(m.lastContentNanos + 1_000_000);
            m.finish(null, null, m.lastContentNanos + 1_000_000);
            records[i] = RequestRecord.of(m, "bench", null, 20, null, false);
        }
    }

    /**
     * One streamed event's bookkeeping: first-token checks, the gap kept, and its share of the histogram record the
     * event loop makes once the request has ended ok.
     */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void contentEvent(Blackhole bh) {
        RequestMeasurement m = new RequestMeasurement("bench", 0, 0, false, "p", interTokenLatency);
        long nanos = 1_000_000;
        for (int e = 0; e < EVENTS; e++) {
            nanos += 9_000 + (e & 1023) * 37;
            m.onContentEvent(nanos, true);
        }
        m.onStreamEnd(nanos);
        m.finish(null, null, nanos);
        m.recordInterTokenLatency();
        bh.consume(m.maxGapNanos);
    }

    /** One finished request into the target's histograms and counters. */
    @Benchmark
    public void addRecord() {
        aggregate.add(records[nextRecord]);
        nextRecord = (nextRecord + 1) & (records.length - 1);
    }
}
