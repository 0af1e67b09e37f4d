package dev.tokenbench.bench;

import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.sim.SimApi;
import dev.tokenbench.sim.SimEncoder;
import dev.tokenbench.sim.SimRequest;
import dev.tokenbench.sim.SimResponseFacts;
import io.vertx.core.buffer.Buffer;

import java.util.List;
import java.util.SplittableRandom;

/** Streams for the benchmarks, byte for byte as the built-in simulator writes them: one token per event. */
final class BenchStreams {
    /** Words drawn from the start of the simulator's vocabulary (plain words, a few with non-ASCII bytes). */
    private static final int WORDS = 100;

    private BenchStreams() {
    }

    /** A whole response in {@code api}'s wire format: head, {@code events} one-token events, tail with usage. */
    static byte[] of(String api, int events) {
        SimApi simApi = ProviderRegistry.defaults().simApis().stream().filter(a -> a.api().equals(api)).findFirst().orElseThrow();
        SimEncoder encoder = simApi.encoder(new SimRequest("bench-model", null, true, List.of("hi"), false),
                new SimResponseFacts("0123456789abcdef0123456789abcdef", 1_763_830_000L, true, false, 1));
        SplittableRandom random = new SplittableRandom(1);
        Buffer body = Buffer.buffer(events * 300);
        body.appendBuffer(encoder.head());
        int[] token = new int[1];
        for (int i = 0; i < events; i++) {
            token[0] = random.nextInt(WORDS);
            encoder.appendEvent(body, token, 1, false);
        }
        body.appendBuffer(encoder.tail("stop", 1, events, 0));
        return body.getBytes();
    }
}
