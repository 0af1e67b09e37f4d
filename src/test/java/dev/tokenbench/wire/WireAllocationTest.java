package dev.tokenbench.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The steady-state hot path allocates nothing: SSE framing of chunks split at random places, then a JSON
 * walk of each event that compares names, unescapes the content and reads the numbers. This counts bytes,
 * not time, so it holds on any machine; speed is for benchmarks.
 */
class WireAllocationTest {

    private static final byte[] CONTENT = "content".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOKENS = "completion_tokens".getBytes(StandardCharsets.US_ASCII);

    /** Walks each event as a provider decoder would; allocation-free by construction. */
    private static final class DecodingHandler implements SseFramer.EventHandler {
        final JsonScanner scanner = new JsonScanner();
        final ByteSink content = new ByteSink(256);
        long events;
        long completionTokens;
        double numberSum;

        @Override
        public void onEvent(byte[] event, int eventLength, byte[] data, int dataLength, long arrivalNanos) {
            events++;
            scanner.reset(data, 0, dataLength);
            int t;
            while ((t = scanner.next()) != JsonScanner.END && t != JsonScanner.ERROR) {
                if (t == JsonScanner.NAME) {
                    if (scanner.textEquals(CONTENT)) {
                        if (scanner.next() == JsonScanner.STRING) {
                            scanner.appendText(content);
                        }
                    } else if (scanner.textEquals(TOKENS)) {
                        scanner.next();
                        completionTokens += scanner.longValue();
                    } else if (scanner.textLength() == 8) {
                        scanner.skipValue(); // e.g. "logprobs"
                    }
                } else if (t == JsonScanner.NUMBER) {
                    numberSum += scanner.doubleValue();
                }
            }
        }

        @Override
        public void onOversize(long arrivalNanos) {
            throw new AssertionError("no oversize expected");
        }
    }

    @Test
    void framingAndScanningAllocateNothingPerEvent() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "HotSpot allocation counters");
        com.sun.management.ThreadMXBean counters = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(counters.isThreadAllocatedMemorySupported() && counters.isThreadAllocatedMemoryEnabled());

        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            sb.append("data: {\"id\":\"chatcmpl-").append(i).append("\",\"created\":1700000000,\"choices\":[{\"index\":0,")
                    .append("\"delta\":{\"content\":\"tok\\u00e9n ").append(i).append(" \\ud83d\\ude00\\n\"},")
                    .append("\"logprobs\":{\"content\":[{\"token\":\"a\",\"logprob\":-0.25}]},")
                    .append("\"finish_reason\":null}],\"usage\":{\"completion_tokens\":").append(i)
                    .append(",\"temperature\":0.7,\"big\":1.5e3}}\r\n\r\n");
        }
        sb.append(": keep-alive\n\nevent: done\ndata: [DONE]\n\n");
        byte[] stream = sb.toString().getBytes(StandardCharsets.UTF_8);
        Random random = new Random(5L);
        int[][] splits = new int[64][];
        for (int i = 0; i < splits.length; i++) {
            splits[i] = SseTestSupport.randomCuts(random, stream.length, 40);
        }

        DecodingHandler handler = new DecodingHandler();
        SseFramer framer = new SseFramer(handler, 1 << 20);
        for (int round = 0; round < 2000; round++) { // warm-up: buffers reach their steady size, JIT compiles
            replay(framer, handler, stream, splits[round % splits.length]);
        }
        long eventsBefore = handler.events;
        long allocatedBefore = counters.getCurrentThreadAllocatedBytes();
        for (int round = 0; round < 2000; round++) {
            replay(framer, handler, stream, splits[round % splits.length]);
        }
        long allocatedBytes = counters.getCurrentThreadAllocatedBytes() - allocatedBefore;
        long events = handler.events - eventsBefore;
        assertEquals(2000L * 51, events);
        assertTrue(handler.completionTokens > 0 && handler.numberSum != 0);
        // Zero is expected; the slack only absorbs a stray allocation by the JVM itself, far below one per event.
        assertTrue(allocatedBytes < events, allocatedBytes + " bytes allocated over " + events + " events");
    }

    private static void replay(SseFramer framer, DecodingHandler handler, byte[] stream, int[] cuts) {
        int from = 0;
        for (int c = 0; c <= cuts.length; c++) {
            int to = c < cuts.length ? cuts[c] : stream.length;
            framer.feed(stream, from, to - from, System.nanoTime());
            from = to;
        }
        framer.end(System.nanoTime());
        handler.content.reset();
    }
}
