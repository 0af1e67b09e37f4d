package dev.tokenbench.fuzz;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How the fuzz targets cut one input into reads: a fixed function of the input, so a finding replays exactly,
 * but different for every input, so the fuzzer also explores where reads end (mid-line, mid-UTF-8, mid-frame).
 */
public final class FuzzReads {
    private FuzzReads() {
    }

    /** Sorted cut offsets in [0, length]; repeats make empty reads. */
    public static int[] cuts(byte[] input, int length) {
        SplittableRandom random = new SplittableRandom(Arrays.hashCode(input));
        int[] cuts = new int[random.nextInt(Math.min(length, 64) + 1)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = random.nextInt(length + 1);
        }
        Arrays.sort(cuts);
        return cuts;
    }

    /** Each read copied between junk bytes, so that code reading outside [off, off + len) goes wrong. */
    public interface ReadSink {
        void read(byte[] buf, int off, int len, long arrivalNanos);
    }

    /** Feeds {@code stream} cut at {@code cuts}; read r (from 1) is stamped {@code base + r}. Returns the next stamp. */
    public static long feed(byte[] stream, int[] cuts, long base, ReadSink sink) {
        int from = 0;
        long stamp = base + 1;
        for (int c = 0; c <= cuts.length; c++) {
            int to = c < cuts.length ? cuts[c] : stream.length;
            byte[] read = new byte[to - from + 6];
            Arrays.fill(read, (byte) '\n');
            System.arraycopy(stream, from, read, 3, to - from);
            sink.read(read, 3, to - from, stamp++);
            from = to;
        }
        return stamp;
    }
}
