/**
 * How fast one core of this machine is right now, for reading bench/e2e.sh's figures on a shared host: the best
 * thread-CPU time of a plain byte-scanning loop, in ns per byte. A quiet modern core takes about 0.3-0.5; a figure
 * several times higher means the host is contended and the CPU-per-token figures are inflated by as much.
 * <p>
 * And the host's wake-up floor: a thread blocked reading a loopback socket, woken by a one-byte write from another
 * thread, 1,000 times at 1-2 ms intervals; the time from the write to the reader running, p50/p99/max. No client can
 * see a streamed token sooner than its thread is woken, so a deliver latency's tail is read against this one's.
 * Run as a single-file program: {@code java bench/CoreSpeed.java}.
 */
public class CoreSpeed {
    public static void main(String[] args) throws Exception {
        coreSpeed();
        wakeUp();
    }

    static void wakeUp() throws Exception {
        int samples = 1000;
        long[] latencies = new long[samples];
        try (var server = java.nio.channels.ServerSocketChannel.open()) {
            server.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            try (var writer = java.nio.channels.SocketChannel.open(server.getLocalAddress());
                 var reader = server.accept()) {
                writer.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                var sent = new java.util.concurrent.atomic.AtomicLong();
                Thread readerThread = new Thread(() -> {
                    var one = java.nio.ByteBuffer.allocate(1);
                    try {
                        for (int i = 0; i < samples; i++) {
                            one.clear();
                            reader.read(one);
                            latencies[i] = System.nanoTime() - sent.get();
                        }
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                readerThread.start();
                var random = new java.util.Random(16);
                var one = java.nio.ByteBuffer.allocate(1);
                for (int i = 0; i < samples; i++) {
                    Thread.sleep(1, random.nextInt(1_000_000));
                    one.clear();
                    sent.set(System.nanoTime());
                    writer.write(one);
                    while (readerThread.isAlive() && latencies[i] == 0) {
                        Thread.onSpinWait();
                    }
                }
                readerThread.join();
            }
        }
        java.util.Arrays.sort(latencies);
        System.out.printf("wake-up floor: %.3f ms p50, %.3f ms p99, %.3f ms max (a thread blocked on a loopback read,"
                        + " woken by a write: no deliver latency's p99 is below this p99)%n", latencies[samples / 2] / 1e6,
                latencies[samples * 99 / 100 - 1] / 1e6, latencies[samples - 1] / 1e6);
    }

    static void coreSpeed() {
        byte[] bytes = new byte[1 << 20];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long found = 0;
        long bestNanos = Long.MAX_VALUE;
        for (int round = 0; round < 400; round++) {
            long start = threads.getCurrentThreadCpuTime();
            for (byte b : bytes) {
                if (b == '\n') {
                    found++;
                }
            }
            long spent = threads.getCurrentThreadCpuTime() - start;
            if (round >= 100) {
                bestNanos = Math.min(bestNanos, spent);
            }
        }
        System.out.printf("core speed: %.2f ns/byte (byte scan; a quiet core: 0.3-0.5) [%d]%n",
                bestNanos / (double) bytes.length, found);
    }
}
