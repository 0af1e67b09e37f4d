package dev.tokenbench.bench;

import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.StreamDecoder;
import dev.tokenbench.provider.openai.OpenAiChatApi;
import dev.tokenbench.wire.SseFramer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The streaming hot path without the network: an OpenAI chat stream of {@link #EVENTS} one-token chunks, as the
 * built-in simulator writes them, fed in reads of {@code readBytes}. Scores are per event (= per token); run
 * with {@code -prof gc} for bytes allocated per event. Run on demand: {@code bench/jmh.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OpenAiChatParseBenchmark {
    static final int EVENTS = 4_096;

    @Param({"1460", "16384"})
    int readBytes;

    private byte[] stream;
    private RequestMeasurement measurement;
    private StreamDecoder decoder;
    private SseFramer framer;
    private int framedEvents;

    @Setup(Level.Trial)
    public void encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1763830000,"
                + "\"model\":\"gpt-4.1-mini\",\"system_fingerprint\":\"fp_bench\",\"choices\":[";
        String[] words = {" the", " model", " answer", " stream", " token", " café", " 世界"};
        for (int i = 0; i < EVENTS; i++) {
            out.writeBytes((head + "{\"index\":0,\"delta\":{\"content\":\"" + words[i % words.length]
                    + "\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
        stream = out.toByteArray();
    }

    @Setup(Level.Invocation)
    public void fresh() {
        measurement = new RequestMeasurement("bench", 0, 0, false, "p", null);
        decoder = new OpenAiChatApi().newDecoder(measurement);
        framer = new SseFramer(new SseFramer.EventHandler() {
            @Override
            public void onEvent(byte[] event, int eventLength, byte[] data, int dataLength, long arrivalNanos) {
                framedEvents++;
            }

            @Override
            public void onOversize(long arrivalNanos) {
            }
        }, 4 << 20);
    }

    /** Framing, JSON scanning and timing of every chunk: what tokenbench does per streamed token. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void decodeOpenAiChat(Blackhole bh) {
        for (int off = 0; off < stream.length; off += readBytes) {
            decoder.onBytes(stream, off, Math.min(readBytes, stream.length - off), off);
        }
        bh.consume(measurement.contentEvents);
    }

    /** The SSE framer alone. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void frameSse(Blackhole bh) {
        for (int off = 0; off < stream.length; off += readBytes) {
            framer.feed(stream, off, Math.min(readBytes, stream.length - off), off);
        }
        bh.consume(framedEvents);
    }
}
